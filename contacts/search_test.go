package contacts

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSearchRanking(t *testing.T) {
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES"})
	importString(t, b, "rank.vcf", rankCards)
	tests := []struct {
		q    string
		want []string
	}{
		{"jen", []string{"jen", "jennifer", "jose", "benjen"}}, // exact > prefix (name, then org) > infix
		{"JEN", []string{"jen", "jennifer", "jose", "benjen"}},
		{"jenn", []string{"jennifer", "jose"}},
		{"jose ibanez", []string{"jose"}}, // accents folded
		{"ibáñez", []string{"jose"}},
		{"pepe", []string{"jose"}}, // e-mail local part
		{"jdoe", []string{"jennifer"}},
		{"example", nil},         // e-mail domains are not indexed
		{"小明", []string{"wang"}}, // Chinese by character
		{"明", []string{"wang"}},
		{"华为", []string{"wang"}},
		{"+34 666", []string{"jennifer", "jose"}}, // digits with + and spaces
		{"666-555", []string{"jennifer"}},         // national digits with a dash
		{"666", []string{"jennifer", "jose"}},
		{"555 444", []string{"jennifer"}},  // infix digits
		{"(415) 555", []string{"benjen"}},  // national US number as written
		{"doe acme", []string{"jennifer"}}, // several words: all must match
		{"doe zz", nil},
		{"", nil},
		{"  ", nil},
	}
	for _, tt := range tests {
		got, err := b.Search(tt.q, 10)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.q, err)
		}
		if !reflect.DeepEqual(ids(got), tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.q, ids(got), tt.want)
		}
	}
	if got, _ := b.Search("jen", 2); !reflect.DeepEqual(ids(got), []string{"jen", "jennifer"}) {
		t.Errorf("limit 2: %v", ids(got))
	}
}

func TestMarkCalledRanksFirst(t *testing.T) {
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES"})
	importString(t, b, "rank.vcf", rankCards)
	if !b.MarkCalled("jose") || b.MarkCalled("nobody") {
		t.Fatal("MarkCalled existence")
	}
	got, _ := b.Search("jen", 10)
	// jose matches "jen" as a prefix (Jennings): recently called beats the
	// other prefix match, never the exact one.
	if want := []string{"jen", "jose", "jennifer", "benjen"}; !reflect.DeepEqual(ids(got), want) {
		t.Errorf("after MarkCalled: %v, want %v", ids(got), want)
	}
}

// TestSearchRefines checks that typing one more character reuses the
// previous match set and still gives exactly the answer a fresh search
// gives, on a book large enough for every code path.
func TestSearchRefines(t *testing.T) {
	dir := t.TempDir()
	path, _ := writeCards(t, t.TempDir(), 3000, 0)
	b := openBook(t, dir, Options{DefaultCountry: "ES", BatchSize: 1000})
	mustImport(t, b, path)
	fresh := openBook(t, t.TempDir(), Options{DefaultCountry: "ES", BatchSize: 1000})
	mustImport(t, fresh, path)
	for _, typed := range []string{"jennifer doe 1", "garcia", "+34 600 001", "user12.x", "wei 王", "ibanez jen", "org3 mar"} {
		for i := 1; i <= len(typed); i++ {
			q := typed[:i]
			got, err := b.Search(q, 15)
			if err != nil {
				t.Fatal(err)
			}
			fresh.cacheMu.Lock()
			fresh.cache = searchCache{}
			fresh.cacheMu.Unlock()
			want, _ := fresh.Search(q, 15)
			if !reflect.DeepEqual(ids(got), ids(want)) {
				t.Fatalf("typing %q: refined %v, fresh %v", q, names(got), names(want))
			}
		}
	}
}

// TestSearchMatchesBleve cross-checks the in-memory index with prefix
// queries on the bleve index for whole-word prefixes.
func TestSearchMatchesBleve(t *testing.T) {
	path, _ := writeCards(t, t.TempDir(), 800, 0)
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES"})
	mustImport(t, b, path)
	for _, q := range []string{"jen", "garc", "wei", "muñoz", "王", "34600000"} {
		mem, err := b.Search(q, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var memPrefix []string
		for _, c := range mem {
			text := searchText(nil, &c, b.country, b.hasCC)
			if tier, _ := termTier(text, []byte(Fold(q)), nameEndIn(text)); tier <= tierPrefix {
				memPrefix = append(memPrefix, c.ID)
			}
		}
		disk, err := b.searchBleve(q, 1000)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(memPrefix)
		slices.Sort(disk)
		if len(disk) == 0 || !reflect.DeepEqual(memPrefix, disk) {
			t.Errorf("%q: memory prefix matches %d, bleve %d", q, len(memPrefix), len(disk))
		}
	}
}

// TestSearchShortcutMatchesFullSearch checks the early-stopping searches
// (one word, several words) against the complete one on a renumbered book with recently
// called and pushed contacts.
func TestSearchShortcutMatchesFullSearch(t *testing.T) {
	path, _ := writeCards(t, t.TempDir(), 4000, 0)
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES"})
	mustImport(t, b, path)
	// Organisations sharing words with the names, so that equal tiers are
	// told apart by where they match (score.other).
	var orgs strings.Builder
	for i, org := range []string{"Jenkins Logistics", "Garcia Foods", "Wei Tech", "Jennifer Labs", "Li Holdings", "Smith Iberia"} {
		for j := range 40 {
			fmt.Fprintf(&orgs, "BEGIN:VCARD\nVERSION:3.0\nUID:org-%d-%d\nFN:%s %c%d\nORG:%s\nEND:VCARD\n",
				i, j, []string{"Abel", "Zoe", "Jen", "Ana"}[j%4], 'a'+rune(j%26), j, org)
		}
	}
	importString(t, b, "orgs.vcf", orgs.String())
	b.Push([]Contact{{ID: "p1", Name: "Jenna Pushed", Phones: []string{"+34 600 000 777"}}})
	b.mu.RLock()
	nDense := len(b.mem.dense)
	b.mu.RUnlock()
	if nDense == 0 {
		t.Fatal("no dense posting bitsets: the test would not cover them")
	}
	for _, id := range []string{"card-10", "card-3000", "p1"} {
		b.MarkCalled(id)
	}
	full := func(q string, limit int) []Contact {
		b.mu.Lock()
		b.mem.noShortcut = true
		b.mu.Unlock()
		defer func() {
			b.mu.Lock()
			b.mem.noShortcut = false
			b.mu.Unlock()
		}()
		b.cacheMu.Lock()
		b.cache = searchCache{}
		b.cacheMu.Unlock()
		cs, _ := b.Search(q, limit)
		return cs
	}
	queries := []string{"j", "je", "jen", "jennifer", "e", "er", "fer", "garcia", "arc", "王", "wei", "x", "7", "77", "777", "+34", "+34 6", "600000", "0000", "12", "org3", "rg", "muñoz", "ñ", "z", "zz", "user1", "ser12", "q",
		"jen garcia", "garcia j", "jennifer g", "jennifer garcia", "garcia garcia", "org3 lu", "jen ar", "arc en", "wei 王", "user1 j", "jenna pushed", "jen zz", "zzz j", "j g", "jen 600", "600000 j",
		"jenkins", "jenk", "jenkins l", "garcia f", "wei t", "li", "li h", "smith i", "ib", "iberia", "abel jen", "zoe garcia", "ana w", "jennifer l", "labs"}
	for _, q := range queries {
		for _, limit := range []int{1, 5, 20} {
			b.cacheMu.Lock()
			b.cache = searchCache{}
			b.cacheMu.Unlock()
			got, _ := b.Search(q, limit)
			want := full(q, limit)
			if !reflect.DeepEqual(ids(got), ids(want)) {
				t.Errorf("Search(%q, %d):\n shortcut %v\n full     %v", q, limit, ids(got), ids(want))
			}
		}
	}
}

// TestSearchSeveralWordsFindsLateExactMatch: a contact having every word
// of the query whole ranks first even when it comes last in name order
// after many contacts where one word is only a prefix.
func TestSearchSeveralWordsFindsLateExactMatch(t *testing.T) {
	var cards strings.Builder
	for i := range 40 {
		fmt.Fprintf(&cards, "BEGIN:VCARD\nVERSION:3.0\nUID:abel-%d\nFN:Abel Garcia Anabel %d\nEND:VCARD\n", i, i)
	}
	cards.WriteString("BEGIN:VCARD\nVERSION:3.0\nUID:zoe\nFN:Zoe Garcia Ana\nEND:VCARD\n")
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES"})
	importString(t, b, "late.vcf", cards.String())
	got, err := b.Search("garcia ana", 5)
	if err != nil || len(got) != 5 || got[0].ID != "zoe" {
		t.Fatalf(`Search("garcia ana", 5) = %v, %v; want zoe first of 5`, ids(got), err)
	}
}

// TestSearchPrefersTheName: within equal tiers a contact matching in its
// name ranks before one matching only in its organisation, even when it
// comes later in name order; a recently called contact still comes first.
func TestSearchPrefersTheName(t *testing.T) {
	cards := `BEGIN:VCARD
VERSION:3.0
UID:alonso
FN:José Alonso
ORG:Iberia Foods
END:VCARD
BEGIN:VCARD
VERSION:3.0
UID:ibanez
FN:José Ibáñez
ORG:Acme
END:VCARD
BEGIN:VCARD
VERSION:3.0
UID:acme-ana
FN:Ana Acme
END:VCARD
BEGIN:VCARD
VERSION:3.0
UID:acme-abel
FN:Abel Zapata
ORG:Acme
END:VCARD
`
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES"})
	importString(t, b, "name.vcf", cards)
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"jose i", []string{"ibanez", "alonso"}},
		{"ib", []string{"ibanez", "alonso"}},
		{"iba", []string{"ibanez"}},
		{"acme", []string{"acme-ana", "acme-abel", "ibanez"}},
	} {
		if got, err := b.Search(tt.q, 10); err != nil || !reflect.DeepEqual(ids(got), tt.want) {
			t.Errorf("Search(%q) = %v, %v; want %v", tt.q, ids(got), err, tt.want)
		}
	}
	b.MarkCalled("alonso")
	if got, _ := b.Search("jose i", 10); !reflect.DeepEqual(ids(got), []string{"alonso", "ibanez"}) {
		t.Errorf("after calling alonso: %v", ids(got))
	}
}
