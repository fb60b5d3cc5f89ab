package contacts

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

const rankCards = `BEGIN:VCARD
VERSION:3.0
UID:jen
FN:Jen Alvarez
TEL:+34 911 000 001
END:VCARD
BEGIN:VCARD
VERSION:3.0
UID:jennifer
FN:Jennifer Doe
ORG:Acme
TEL:+34 666 555 444
EMAIL:jdoe@example.com
END:VCARD
BEGIN:VCARD
VERSION:3.0
UID:benjen
FN:Ben Benjen
TEL:+1 (415) 555-0100
END:VCARD
BEGIN:VCARD
VERSION:3.0
UID:wang
FN:王小明
ORG:华为科技
TEL:+86 138 0013 8000
END:VCARD
BEGIN:VCARD
VERSION:2.1
UID:jose
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9 Ib=C3=A1=C3=B1ez
ORG:Jennings Holdings
TEL;CELL:666-777-888
EMAIL;INTERNET:pepe.ibanez@correo.es
END:VCARD
`

func importString(t *testing.T, b *Book, name, src string) Summary {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(strings.ReplaceAll(src, "\n", "\r\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return mustImport(t, b, p)
}

func ids(cs []Contact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

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
			if termTier(searchText(nil, &c, b.country, b.hasCC), []byte(Fold(q))) <= tierPrefix {
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

func TestReimportUpdatesNeverDuplicates(t *testing.T) {
	dir := t.TempDir()
	b := openBook(t, dir, Options{DefaultCountry: "ES"})
	first := importString(t, b, "a.vcf", rankCards)
	if first.Added != 5 {
		t.Fatalf("first import %+v", first)
	}
	edited := strings.Replace(rankCards, "FN:Jennifer Doe", "FN:Jennifer Doe-Smith", 1)
	edited += "BEGIN:VCARD\nVERSION:3.0\nFN:No Uid\nTEL:+34 600 111 222\nEND:VCARD\n"
	sum := importString(t, b, "a.vcf", edited)
	if sum.Added != 1 || sum.Updated != 1 || sum.Unchanged != 4 || sum.Contacts != 6 {
		t.Errorf("edited re-import %+v", sum)
	}
	sum = importString(t, b, "a.vcf", edited) // the no-UID card keeps its hash key
	if sum.Added != 0 || sum.Updated != 0 || sum.Unchanged != 6 {
		t.Errorf("same re-import %+v", sum)
	}
	if got, _ := b.Search("jennifer", 10); len(got) != 1 || got[0].Name != "Jennifer Doe-Smith" {
		t.Errorf("after update: %+v", got)
	}
	b.Close()
	b = openBook(t, dir, Options{DefaultCountry: "ES"})
	if b.Count() != 6 {
		t.Errorf("after reopen: %d contacts", b.Count())
	}
	if n, _ := b.DocCount(); n != 6 {
		t.Errorf("bleve holds %d documents", n)
	}
	if got, _ := b.Search("smith", 10); len(got) != 1 {
		t.Errorf("after reopen: %v", names(got))
	}
}

func TestLookup(t *testing.T) {
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES"})
	importString(t, b, "rank.vcf", rankCards)
	tests := []struct {
		number, want string
	}{
		{"+34666555444", "jennifer"},
		{"666 55 54 44", "jennifer"},
		{"0034-666-555-444", "jennifer"},
		{"tel:+34666777888", "jose"},
		{"+14155550100", "benjen"},
		{"+8613800138000", "wang"},
		{"+34 999 999 999", ""},
		{"anonymous", ""},
	}
	for _, tt := range tests {
		c, ok := b.Lookup(tt.number)
		if ok != (tt.want != "") || c.ID != tt.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.number, c.ID, ok, tt.want)
		}
	}
}

func TestPushedContacts(t *testing.T) {
	dir := t.TempDir()
	b := openBook(t, dir, Options{DefaultCountry: "ES"})
	importString(t, b, "rank.vcf", rankCards)
	// seed 002's contacts message
	b.Push([]Contact{
		{ID: "id1", Name: "John Doe", Phones: []string{"+34666555444"}},
		{ID: "id2", Name: "Jennifer Doe", Phones: []string{"+34666555444", "+34666777888"}},
	})
	got, _ := b.Search("doe", 10)
	if len(got) != 3 {
		t.Fatalf("Search(doe) = %+v", got)
	}
	var pushed int
	for _, c := range got {
		if c.Source == SourcePushed {
			pushed++
		}
	}
	if pushed != 2 {
		t.Errorf("%d pushed contacts in %v", pushed, got)
	}
	if c, ok := b.Lookup("+34 666 777 888"); !ok {
		t.Errorf("Lookup pushed: %+v", c)
	}
	b.Push([]Contact{{ID: "id3", Name: "Zed Pushed", Phones: []string{"600 123 456"}}})
	if got, _ := b.Search("john", 10); len(got) != 0 {
		t.Errorf("a new push replaces the old: %v", names(got))
	}
	if b.Count() != 6 || !b.MarkCalled("id3") {
		t.Errorf("Count = %d", b.Count())
	}
	b.Close()
	b = openBook(t, dir, Options{DefaultCountry: "ES"})
	if got, _ := b.Search("zed", 10); len(got) != 0 || b.Count() != 5 {
		t.Errorf("pushed contacts survived Close: %v", names(got))
	}
}

// TestSearchableWhileImportingAndPaused pauses the indexer from the
// progress callback (as the UI does when a call rings), searches while the
// import is held, then resumes it.
func TestSearchableWhileImportingAndPaused(t *testing.T) {
	path, good := writeCards(t, t.TempDir(), 3000, 0)
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES", BatchSize: 500, StepBudget: 50 * time.Millisecond})
	ix := b.Indexer()
	paused := make(chan Progress, 1)
	done := make(chan error, 1)
	var calls int
	go func() {
		_, err := b.Import(context.Background(), path, func(p Progress) {
			calls++
			if calls == 1 {
				ix.Pause()
				paused <- p
			}
		})
		done <- err
	}()
	var p Progress
	select {
	case p = <-paused:
	case <-time.After(time.Minute):
		t.Fatal("no progress report")
	}
	if p.Cards == 0 || p.Cards >= good {
		t.Fatalf("paused at %d cards", p.Cards)
	}
	got, err := b.Search("jennifer", 5)
	if err != nil || len(got) == 0 {
		t.Errorf("search while importing: %v, %v", names(got), err)
	}
	if n := b.Count(); n < p.Cards {
		t.Errorf("%d searchable contacts, %d cards read", n, p.Cards)
	}
	select {
	case err := <-done:
		t.Fatalf("import ended while paused: %v", err)
	default:
	}
	ix.Resume()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("import did not finish after Resume")
	}
	if b.Count() != good {
		t.Errorf("Count = %d, want %d", b.Count(), good)
	}
}

func TestImportCancelThenResume(t *testing.T) {
	path, good := writeCards(t, t.TempDir(), 2000, 0)
	dir := t.TempDir()
	b := openBook(t, dir, Options{DefaultCountry: "ES", BatchSize: 300, StepBudget: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := b.Import(ctx, path, func(p Progress) {
		if p.Cards > 500 {
			cancel()
		}
	})
	if err == nil || !strings.Contains(err.Error(), "contacts: import cards-2000.vcf") {
		t.Fatalf("cancelled import: %v", err)
	}
	if sum.Cards == 0 || sum.Cards >= good {
		t.Fatalf("cancelled at %d cards", sum.Cards)
	}
	b.Close()
	b = openBook(t, dir, Options{DefaultCountry: "ES"})
	sum = mustImport(t, b, path)
	if !sum.Resumed || sum.Cards != 2000 || b.Count() != good {
		t.Errorf("resumed summary %+v, count %d", sum, b.Count())
	}
}

func TestImportErrors(t *testing.T) {
	b := openBook(t, t.TempDir(), Options{})
	_, err := b.Import(context.Background(), filepath.Join(t.TempDir(), "missing.vcf"), nil)
	if err == nil || !strings.HasPrefix(err.Error(), "contacts: import missing.vcf: ") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Open(t.TempDir(), Options{DefaultCountry: "Narnia"}); err == nil {
		t.Error("unknown country accepted")
	}
	b.Close()
	if _, err := b.Search("x", 1); err != ErrClosed {
		t.Errorf("Search after Close: %v", err)
	}
}

// TestCloseStopsImport closes the book while an import is paused: Import
// returns ErrClosed, and the next Open resumes it.
func TestCloseStopsImport(t *testing.T) {
	path, good := writeCards(t, t.TempDir(), 2000, 0)
	dir := t.TempDir()
	b := openBook(t, dir, Options{BatchSize: 250, StepBudget: 20 * time.Millisecond})
	paused := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		first := true
		_, err := b.Import(context.Background(), path, func(Progress) {
			if first {
				first = false
				b.Indexer().Pause()
				close(paused)
			}
		})
		done <- err
	}()
	<-paused
	closed := make(chan error, 1)
	go func() { closed <- b.Close() }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), ErrClosed.Error()) {
			t.Errorf("Import after Close: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Import did not stop on Close")
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	b = openBook(t, dir, Options{})
	if sum := mustImport(t, b, path); !sum.Resumed || b.Count() != good {
		t.Errorf("after Close mid-import: %+v, %d contacts", sum, b.Count())
	}
}

// TestStepBudget checks that with a clock advancing 1ms per reading, a
// 10ms budget ends every step after a bounded number of cards, and that
// progress reports come between steps.
func TestStepBudget(t *testing.T) {
	path, _ := writeCards(t, t.TempDir(), 6000, 0)
	b := openBook(t, t.TempDir(), Options{StepBudget: 10 * time.Millisecond})
	var reports []int
	if _, err := b.Import(context.Background(), path, func(p Progress) { reports = append(reports, p.Cards) }); err != nil {
		t.Fatal(err)
	}
	if len(reports) < 3 {
		t.Fatalf("only %d progress reports: %v", len(reports), reports)
	}
	for i := 1; i < len(reports)-1; i++ {
		// 50ms between reports is at most 5 steps of about 10 checks of
		// the clock every 32 cards.
		if d := reports[i] - reports[i-1]; d <= 0 || d > 5*11*32 {
			t.Errorf("step %d read %d cards (reports %v)", i, d, reports)
		}
	}
}

// TestSearchShortcutMatchesFullSearch checks the early-stopping one-word
// search against the complete one on a renumbered book with recently
// called and pushed contacts.
func TestSearchShortcutMatchesFullSearch(t *testing.T) {
	path, _ := writeCards(t, t.TempDir(), 4000, 0)
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES"})
	mustImport(t, b, path)
	b.Push([]Contact{{ID: "p1", Name: "Jenna Pushed", Phones: []string{"+34 600 000 777"}}})
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
	queries := []string{"j", "je", "jen", "jennifer", "e", "er", "fer", "garcia", "arc", "王", "wei", "x", "7", "77", "777", "+34", "+34 6", "600000", "0000", "12", "org3", "rg", "muñoz", "ñ", "z", "zz", "user1", "ser12", "q"}
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
