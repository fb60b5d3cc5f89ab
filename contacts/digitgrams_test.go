package contacts

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// bruteSearch ranks every live contact of b against q: the reference the
// indexed searches must agree with.
func bruteSearch(b *Book, q string, limit int) []string {
	pq := parseQuery(q)
	if len(pq.terms) == 0 {
		return nil // Search answers nothing to punctuation alone
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	m := b.mem
	tk := topK{k: limit, m: m}
	for n := uint32(0); n < m.n(); n++ {
		if m.isDead(n) {
			continue
		}
		if s, ok := m.match(n, &pq); ok {
			tk.push(s)
		}
	}
	var out []string
	for _, s := range tk.out {
		out = append(out, decodeRec(string(m.rec(s.num))).ID)
	}
	return out
}

// TestDigitQueriesMatchBruteForce: queries with runs of digits (numbers
// typed whole or in part, rare and common, digits inside e-mail local
// parts, digits beside letters) read the digit windows' lists; the answer
// is the one ranking every contact gives, whichever search path runs.
func TestDigitQueriesMatchBruteForce(t *testing.T) {
	path, _ := writeCards(t, t.TempDir(), 3000, 0)
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES"})
	mustImport(t, b, path)
	var extra strings.Builder
	for i := range 30 {
		fmt.Fprintf(&extra, "BEGIN:VCARD\nVERSION:3.0\nUID:num-%d\nFN:Number%d Person\nEMAIL:ab%06dcd@x.example\nTEL:+44 20 7946 %04d\nEND:VCARD\n", i, i, 123450+i, i*7)
	}
	importString(t, b, "extra.vcf", extra.String())
	b.Push([]Contact{{ID: "p1", Name: "Jenna Pushed", Phones: []string{"+34 600 002 999"}}})
	b.MarkCalled("card-2999")
	queries := []string{
		"+34 600 002 99", "+34 600 002 999", "34600002999", "600002999", "0299", "02999", "002999", "2999",
		"+34 600 000", "+34 600 001 2", "600-001-2", "(415) 5", "(415) 512", "415 512-0512", "0512",
		"12345", "123456", "123459", "ab12345", "ab123452cd", "b12345", "45 j", "number1 123451", "user2999",
		"99999", "+34 699 999 999", "7946", "79460", "2079460", "4420794601", "0014", "46 00",
	}
	for _, q := range queries {
		for _, limit := range []int{1, 5, 20} {
			b.cacheMu.Lock()
			b.cache = searchCache{}
			b.cacheMu.Unlock()
			got, err := b.Search(q, limit)
			if err != nil {
				t.Fatal(err)
			}
			if want := bruteSearch(b, q, limit); !reflect.DeepEqual(ids(got), want) {
				t.Errorf("Search(%q, %d):\n indexed %v\n brute   %v", q, limit, ids(got), want)
			}
		}
	}
	// Typed one key at a time, each keystroke refining the last.
	for _, typed := range []string{"+34 600 002 999", "ab123455cd", "415 512-0512"} {
		for i := 1; i <= len(typed); i++ {
			got, _ := b.Search(typed[:i], 20)
			if want := bruteSearch(b, typed[:i], 20); !reflect.DeepEqual(ids(got), want) {
				t.Errorf("typing %q:\n indexed %v\n brute   %v", typed[:i], ids(got), want)
			}
		}
	}
}

func TestAppendDigitWindows(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"1234", nil},
		{"12345", []string{"12345"}},
		{" 123456 ab9876543 12 34567", []string{"12345", "23456", "98765", "87654", "76543", "34567"}},
	} {
		var want []uint32
		for _, w := range tc.want {
			want = append(want, digitWindowKey([]byte(w)))
		}
		if got := appendDigitWindows(nil, []byte(tc.in)); !reflect.DeepEqual(got, want) {
			t.Errorf("appendDigitWindows(%q) = %v, want %v", tc.in, got, want)
		}
	}
}
