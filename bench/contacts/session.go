package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/agentty/agentty/contacts"
)

// typingOnly replays the typing session on an existing book and prints the
// slowest keystrokes; with fzfEvery > 0, fzf filters the book's lines
// (written to work) after every fzfEvery-th keystroke, as in the full run.
func typingOnly(dir, work string, fzfEvery int) error {
	b, err := contacts.Open(dir, contacts.Options{DefaultCountry: "ES"})
	if err != nil {
		return err
	}
	defer b.Close()
	session, lines, err := sessionAndLines(b, work)
	if err != nil {
		return err
	}
	type key struct {
		q string
		d time.Duration
	}
	var ks []key
	var ds []time.Duration
	n := 0
	for _, typed := range session {
		rs := []rune(typed)
		for i := 1; i <= len(rs); i++ {
			q := string(rs[:i])
			t0 := time.Now()
			if _, err := b.Search(q, 20); err != nil {
				return err
			}
			d := time.Since(t0)
			ks, ds = append(ks, key{q, d}), append(ds, d)
			if fzfEvery > 0 && n%fzfEvery == 0 {
				if _, err := fzfFilter(lines, q); err != nil {
					return err
				}
			}
			n++
		}
	}
	slices.SortFunc(ks, func(a, b key) int { return int(b.d - a.d) })
	fmt.Printf("keystrokes %d: p50 %s p99 %s\n", len(ds), ms(pct(ds, 50)), ms(pct(ds, 99)))
	for _, k := range ks[:min(8, len(ks))] {
		fmt.Printf("  %-24q %s\n", k.q, ms(k.d))
	}
	return nil
}

// sessionAndLines reads every contact of b once: the typing session, and
// the fzf input written as lines to work/lines.txt. The decoded contacts
// are garbage afterwards: a console holds none of them, and a million of
// them alive in the heap would make every collection during the timed
// keystrokes mark them.
func sessionAndLines(b *contacts.Book, work string) (session []string, lines string, err error) {
	var all []contacts.Contact
	b.Each(func(c contacts.Contact) bool { all = append(all, c); return true })
	lines = filepath.Join(work, "lines.txt")
	if err := writeLines(lines, all); err != nil {
		return nil, "", err
	}
	return typingSession(all), lines, nil
}

func writeLines(path string, all []contacts.Contact) error {
	var buf bytes.Buffer
	for _, c := range all {
		fmt.Fprintf(&buf, "%s\t%s\t%s\t%s\n", c.Name, c.Org, strings.Join(c.Phones, " "), strings.Join(c.Emails, " "))
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// typingSession returns what an agent types: fixed names and numbers plus
// names, e-mails and partial phone digits of contacts picked with a fixed
// seed.
func typingSession(all []contacts.Contact) []string {
	s := []string{"jennifer smith", "maria garcia", "jose ibanez", "王小明", "李", "acme logistics",
		"+34 600 000 12", "600-001-2", "(212) 000", "0034 900", "jenny5", "oscar.alvarez", "muñoz", "华为"}
	r := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 16 && len(all) > 0; i++ {
		c := all[r.IntN(len(all))]
		switch i % 4 {
		case 0:
			s = append(s, strings.ToLower(c.Name))
		case 1:
			if len(c.Emails) > 0 {
				s = append(s, strings.SplitN(c.Emails[0], "@", 2)[0])
			} else {
				s = append(s, c.Name)
			}
		case 2:
			if len(c.Phones) == 0 {
				continue
			}
			p := c.Phones[0]
			s = append(s, p[:min(len(p), 9)])
		default:
			if len(c.Digits) == 0 {
				continue
			}
			d := c.Digits[0]
			if len(d) > 6 {
				s = append(s, d[len(d)-6:]) // the last digits someone remembers
			}
		}
	}
	return s
}

func fzfFilter(lines, q string) (time.Duration, error) {
	in, err := os.Open(lines)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	cmd := exec.Command("fzf", "--filter", q)
	cmd.Stdin = in
	cmd.Stdout = io.Discard
	t0 := time.Now()
	err = cmd.Run()
	d := time.Since(t0)
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
		err = nil // no match
	}
	return d, err
}

// lookupTimes times Lookup over nums (lookupNumbers).
func lookupTimes(b *contacts.Book, nums []string) []time.Duration {
	var out []time.Duration
	for _, num := range nums {
		t0 := time.Now()
		b.Lookup(num)
		out = append(out, time.Since(t0))
	}
	return out
}

// lookupNumbers returns numbers of contacts written differently from the
// card: E.164, national with spaces, 0034 prefixes, plus misses.
func lookupNumbers(all []contacts.Contact) []string {
	r := rand.New(rand.NewPCG(9, 9))
	var out []string
	for i := 0; i < 20000 && len(all) > 0; i++ {
		c := all[r.IntN(len(all))]
		d := c.Digits[r.IntN(len(c.Digits))]
		if len(d) < 6 {
			continue
		}
		var num string
		switch i % 4 {
		case 0:
			num = "+" + d
		case 1:
			num = "00" + d
		case 2:
			num = "+" + d[:2] + " " + d[2:5] + " " + d[5:]
		default:
			num = fmt.Sprintf("+999 %09d", i) // nobody
		}
		out = append(out, num)
	}
	return out
}

func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[min(max(i-1, 0), len(s)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/1e6) }

func medianWall(rs []importRun) time.Duration {
	var ds []time.Duration
	for _, r := range rs {
		ds = append(ds, r.res.Wall)
	}
	return pct(ds, 50)
}

func medianRSS(rs []importRun) int64 {
	var v []int64
	for _, r := range rs {
		v = append(v, r.maxRSS)
	}
	slices.Sort(v)
	return v[(len(v)-1)/2]
}
