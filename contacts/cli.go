package contacts

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
)

// Text is the progress in words: cards read, the rate, the ETA, bad cards
// and a pause (the command line's import prints it beside its bar).
func (p Progress) Text() string {
	s := fmt.Sprintf("%s cards  %s/s", thousands(p.Cards), thousands(int(p.Rate)))
	if p.ETA > 0 {
		s += "  ETA " + p.ETA.Round(time.Second).String()
	}
	if p.Bad > 0 {
		s += fmt.Sprintf("  %d bad", p.Bad)
	}
	if p.Paused {
		s += "  (paused)"
	}
	return s
}

// SummaryText renders a Summary for people: one line of counts, then up to
// ten bad cards with their line numbers.
func SummaryText(s Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "imported %s: %s cards in %s (%s cards/s): %s added, %s updated, %s unchanged, %s bad; %s contacts in the book\n",
		filepath.Base(s.File), thousands(s.Cards), s.Elapsed.Round(time.Millisecond), thousands(int(s.Rate)),
		thousands(s.Added), thousands(s.Updated), thousands(s.Unchanged), thousands(s.Bad), thousands(s.Contacts))
	if s.Resumed {
		fmt.Fprintf(&b, "  resumed after line %d\n", s.ResumedAt)
	}
	for i, bc := range s.BadCards {
		if i == 10 {
			fmt.Fprintf(&b, "  ... and %d more bad cards\n", s.Bad-10)
			break
		}
		fmt.Fprintf(&b, "  line %d: %s\n", bc.Line, bc.Err)
	}
	return b.String()
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// RunSearchCLI prints the contacts matching query for `agentty contacts
// search Q`: one per line, name, organisation, phones and e-mails separated
// by tabs, best first; with jsonOut, a JSON array of Contact. limit <= 0
// means 20. No match prints nothing and is not an error.
func RunSearchCLI(ctx context.Context, book *Book, query string, limit int, out io.Writer, jsonOut bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cs, err := book.Search(query, limit)
	if err != nil {
		return fmt.Errorf("contacts: search %q: %w", query, err)
	}
	if jsonOut {
		if cs == nil {
			cs = []Contact{}
		}
		return json.NewEncoder(out).Encode(cs)
	}
	for _, c := range cs {
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", c.Name, c.Org, strings.Join(c.Phones, ", "), strings.Join(c.Emails, ", "))
	}
	return nil
}
