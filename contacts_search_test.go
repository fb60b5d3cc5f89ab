package main

import (
	"strings"
	"testing"
)

// TestContactsSearchOneAnswer: `agentty contacts search` answers what the
// console's search answers (issue 14: the console found a number's tail
// and a number without its country code, the command line nothing).
func TestContactsSearchOneAnswer(t *testing.T) {
	book := bookWith(t)
	queries := []string{"777888", "666 777 888", "jen", "doe", "555 444", "nifer"}
	console := map[string][]string{}
	for _, q := range queries {
		cs, err := book.Search(q, 20)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			t.Errorf("console search %q finds nothing", q)
		}
		for _, c := range cs {
			console[q] = append(console[q], c.Name)
		}
	}
	book.close() // the command line opens the same index
	for _, q := range queries {
		out, err := run(t, "", "contacts", "search", q)
		if err != nil {
			t.Fatalf("search %q: %v\n%s", q, err, out)
		}
		for _, name := range console[q] {
			if !strings.Contains(out, name) {
				t.Errorf("search %q: the console finds %q, the command line does not:\n%s", q, name, out)
			}
		}
	}
}
