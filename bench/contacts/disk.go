package main

import (
	"fmt"
	"slices"
	"time"

	"github.com/agentty/agentty/contacts"
)

// diskDigitQueries are the phone queries diskDigitCheck asks: whole
// numbers (from lookupNumbers, as typed in a search box) and prefixes of
// them, each giving at most a handful of contacts.
func diskDigitQueries(numbers []string) []string {
	var qs []string
	for _, n := range numbers {
		if len(qs) == 6 {
			break
		}
		if n[0] == '+' && len(n) > 10 && n[1] != '9' {
			qs = append(qs, n, n[:len(n)-2])
		}
	}
	return qs
}

// diskDigitCheck compares a DiskOnly book's answers to phone queries
// with the loaded book's (want, asked before b was closed): bleve does
// not index phone digits, so the DiskOnly book answers them from its
// stored records (contacts.searchBleve). It prints how many agree and
// how long a query took.
func diskDigitCheck(dir string, qs []string, want map[string][]string) error {
	b, err := contacts.Open(dir, contacts.Options{DefaultCountry: "ES", DiskOnly: true})
	if err != nil {
		return err
	}
	defer b.Close()
	same := 0
	var ds []time.Duration
	for _, q := range qs {
		t0 := time.Now()
		cs, err := b.Search(q, 20)
		if err != nil {
			return err
		}
		ds = append(ds, time.Since(t0))
		if slices.Equal(ids(cs), want[q]) {
			same++
		} else {
			fmt.Printf("  disk-only %q: %v, loaded book: %v\n", q, ids(cs), want[q])
		}
	}
	fmt.Printf("%-38s %14s %14s %16s\n", fmt.Sprintf("disk-only phone search p50 (%d)", len(qs)), ms(pct(ds, 50)), "", "")
	fmt.Printf("%-38s %14s %14s %16s\n", "disk-only phone answers as loaded book", fmt.Sprintf("%d/%d", same, len(qs)), "", "all")
	return nil
}

func ids(cs []contacts.Contact) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}
