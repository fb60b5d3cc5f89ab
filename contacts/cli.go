package contacts

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"
)

// RunImportCLI imports path into book for `agentty contacts import FILE`.
// On a terminal (tty) it redraws one line on out: bubbles' progress bar, the
// cards read, the rate and the ETA; otherwise it prints a plain line at
// every tenth of the file. It ends with a human summary counting added,
// updated, unchanged and bad cards (the first ten bad ones with their
// line), or, with jsonOut, prints only the Summary as one JSON object.
// Bad cards do not make it fail; an unreadable file or index does.
//
// The command runs in a process of its own, so RunImportCLI sets a soft
// memory limit (CLIMemoryLimit) on the Go heap for its duration, trading a
// little CPU in the garbage collector for a lower peak RSS; the previous
// limit is restored on return.
func RunImportCLI(ctx context.Context, book *Book, path string, out io.Writer, tty, jsonOut bool) error {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(CLIMemoryLimit))
	var bar progress.Model
	if tty {
		bar = progress.New(progress.WithDefaultBlend(), progress.WithWidth(30))
	}
	nextTenth := 1
	var last Progress
	onProgress := func(p Progress) {
		last = p
		switch {
		case jsonOut:
		case tty:
			fmt.Fprintf(out, "\r\x1b[2K%s %s", bar.ViewAs(p.Fraction()), progressText(p))
		default:
			for nextTenth <= 10 && p.Fraction() >= float64(nextTenth)/10 {
				fmt.Fprintf(out, "import %s: %3d%% %s\n", filepath.Base(p.File), nextTenth*10, progressText(p))
				nextTenth++
			}
		}
	}
	sum, err := book.Import(ctx, path, onProgress)
	if tty && !jsonOut && last.File != "" {
		fmt.Fprintln(out)
	}
	if jsonOut {
		enc := json.NewEncoder(out)
		if jerr := enc.Encode(sum); jerr != nil && err == nil {
			err = fmt.Errorf("contacts: import %s: write summary: %w", filepath.Base(path), jerr)
		}
		return err
	}
	if err != nil {
		return err
	}
	fmt.Fprint(out, SummaryText(sum))
	return nil
}

// CLIMemoryLimit is the soft Go heap limit RunImportCLI sets.
const CLIMemoryLimit = 200 << 20

func progressText(p Progress) string {
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
