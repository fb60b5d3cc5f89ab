package contacts

import (
	"slices"
	"strings"
	"testing"
)

// Phone digits are not indexed in bleve: searchBleve answers a query with
// a digit word from the stored records. This checks that reading as it
// does (a) gives the sets bleve's prefix queries give for word queries,
// and (b) gives, for digit and mixed queries, exactly the contacts where
// every word prefixes a folded word or a phone's E.164 digits, found here
// by brute force over the book.
func TestSearchBleveDigitsFromRecords(t *testing.T) {
	path, _ := writeCards(t, t.TempDir(), 800, 0)
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES"})
	mustImport(t, b, path)
	var all []Contact
	b.Each(func(c Contact) bool { all = append(all, c); return true })

	for _, q := range []string{"jen", "garc", "wei", "muñoz", "王", "user1", "maría gar", "nothing-like-it"} {
		idx, err := b.searchBleve(q, 1000)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := b.searchStored(q, bleveTerms(q), 1000)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(idx)
		slices.Sort(recs)
		if !slices.Equal(idx, recs) {
			t.Errorf("%q: bleve's words field %d matches, the stored records %d", q, len(idx), len(recs))
		}
	}

	var queries []string
	for i, c := range all {
		if len(c.Digits) == 0 || c.Digits[0] == "" || i%97 != 0 {
			continue
		}
		d := c.Digits[0]
		word := strings.Fields(Fold(c.Name))[0]
		queries = append(queries, d, d[:5], "+"+d[:2]+" "+d[2:6], word+" "+d[:4], d[:3]+" "+word[:2])
	}
	queries = append(queries, "34", "1", "86 130", "0", "99999999999999")
	if len(queries) < 20 {
		t.Fatalf("only %d digit queries from the cards", len(queries))
	}
	for _, q := range queries {
		got, err := b.searchBleve(q, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, c := range all {
			if prefixMatch(c, bleveTerms(q)) {
				want = append(want, c.ID)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q: searchBleve %d matches, brute force %d", q, len(got), len(want))
		}
		if len(want) > 3 {
			few, err := b.searchBleve(q, 3)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range few {
				if _, ok := slices.BinarySearch(want, id); !ok || len(few) != 3 {
					t.Errorf("%q limit 3: %v, not 3 of the %d matches", q, few, len(want))
				}
			}
		}
	}
}

// prefixMatch: every term prefixes a word of the folded name,
// organisation or an e-mail local part, or a phone's E.164 digits.
func prefixMatch(c Contact, terms []string) bool {
	text := Fold(c.Name) + " " + Fold(c.Org)
	for _, e := range c.Emails {
		if i := strings.LastIndexByte(e, '@'); i >= 0 {
			e = e[:i]
		}
		text += " " + Fold(e)
	}
	words := strings.Fields(string(hanSpaced([]byte(text)))) // each Han ideograph a word, as in bleve
	for _, t := range terms {
		ok := slices.ContainsFunc(c.Digits, func(d string) bool { return strings.HasPrefix(d, t) }) ||
			slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, t) })
		if !ok {
			return false
		}
	}
	return true
}
