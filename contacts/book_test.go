package contacts

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// TestReimportUpdatesNeverDuplicates imports, edits and re-imports a file
// into a book with the in-memory index (the console) and into a DiskOnly
// book (the command line, which compares records by hash).
func TestReimportUpdatesNeverDuplicates(t *testing.T) {
	for _, diskOnly := range []bool{false, true} {
		t.Run(fmt.Sprintf("DiskOnly=%v", diskOnly), func(t *testing.T) {
			dir := t.TempDir()
			b := openBook(t, dir, Options{DefaultCountry: "ES", DiskOnly: diskOnly})
			first := importString(t, b, "a.vcf", rankCards)
			if first.Added != 5 || first.Contacts != 5 {
				t.Fatalf("first import %+v", first)
			}
			edited := strings.Replace(rankCards, "FN:Jennifer Doe", "FN:Jennifer Doe-Smith", 1)
			edited += "BEGIN:VCARD\nVERSION:3.0\nFN:No Uid\nTEL:+34 600 111 222\nEND:VCARD\n"
			if diskOnly { // each command-line import is a process of its own
				b.Close()
				b = openBook(t, dir, Options{DefaultCountry: "ES", DiskOnly: true})
			}
			sum := importString(t, b, "a.vcf", edited)
			if sum.Added != 1 || sum.Updated != 1 || sum.Unchanged != 4 || sum.Contacts != 6 {
				t.Errorf("edited re-import %+v", sum)
			}
			sum = importString(t, b, "a.vcf", edited) // the no-UID card keeps its hash key
			if sum.Added != 0 || sum.Updated != 0 || sum.Unchanged != 6 || sum.Contacts != 6 {
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
		})
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

// TestStepBudget checks that a 10ms budget ends every step after a
// bounded number of cards, and that progress reports come between steps,
// each with an ETA until the file is read.
func TestStepBudget(t *testing.T) {
	path, _ := writeCards(t, t.TempDir(), 6000, 0)
	b := openBook(t, t.TempDir(), Options{StepBudget: 10 * time.Millisecond})
	var reports []int
	if _, err := b.Import(context.Background(), path, func(p Progress) {
		reports = append(reports, p.Cards)
		if p.Elapsed > 0 && p.Fraction() < 1 && p.ETA <= 0 {
			t.Errorf("report at %.0f%% after %s: no ETA", 100*p.Fraction(), p.Elapsed)
		}
	}); err != nil {
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

// TestSearchDuringResort: in background mode, the renumbering at the end of
// an import (about a second on 250k contacts) does not hold searches or
// caller-ID back, and a
// contact marked called meanwhile keeps its recency in the renumbered
// index.
func TestSearchDuringResort(t *testing.T) {
	path, _ := writeCards(t, t.TempDir(), 3000, 0)
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES", Background: true})
	building, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	testHookRebuilding = func() { once.Do(func() { close(building); <-release }) }
	t.Cleanup(func() { testHookRebuilding = nil })
	done := make(chan error, 1)
	go func() {
		_, err := b.Import(context.Background(), path, nil)
		done <- err
	}()
	deadline := time.After(30 * time.Second)
	select {
	case <-building:
	case err := <-done:
		t.Fatalf("import ended (%v) without renumbering", err)
	case <-deadline:
		t.Fatal("import did not reach the renumbering")
	}
	type answer struct {
		hits   []Contact
		caller bool
		marked bool
	}
	answered := make(chan answer, 1)
	go func() {
		hits, _ := b.Search("jenny", 3)
		_, caller := b.Lookup("+34 600002998")
		answered <- answer{hits, caller, b.MarkCalled("card-2998")}
	}()
	select {
	case a := <-answered:
		if len(a.hits) == 0 || !a.caller || !a.marked {
			t.Errorf("during the renumbering: %d hits, caller found %v, marked %v", len(a.hits), a.caller, a.marked)
		}
	case <-time.After(10 * time.Second):
		close(release)
		t.Fatal("Search, Lookup or MarkCalled waited for the renumbering")
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	hits, err := b.Search("jenny", 1)
	if err != nil || len(hits) != 1 || hits[0].ID != "card-2998" {
		t.Errorf("after the import, jenny -> %v (%v), want card-2998 first (called during the renumbering)", ids(hits), err)
	}
	if c, ok := b.Lookup("+34 600002998"); !ok || c.ID != "card-2998" {
		t.Errorf("Lookup after the renumbering: %v %v", c.ID, ok)
	}
}
