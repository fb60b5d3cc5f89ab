package contacts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// typingQueries cover every search path: one term of each length, several
// terms, digits, Han, infixes, nothing.
var typingQueries = []string{"j", "je", "jen", "jennifer", "jenn doe", "maría gar", "maria", "ia", "nni", "+34 6000",
	"6000001", "415", "user1", "user12.x", "org3", "王", "li 王", "álvaro 1", "jen smi", "nothing-like-it", "zz"}

// answers is what a book says: search results for typingQueries, caller
// ID for some numbers, the count.
type answers struct {
	search map[string][]string
	lookup map[string]string
	count  int
}

func bookAnswers(t *testing.T, b *Book, numbers []string) answers {
	t.Helper()
	a := answers{search: map[string][]string{}, lookup: map[string]string{}, count: b.Count()}
	for _, q := range typingQueries {
		cs, err := b.Search(q, 15)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		a.search[q] = ids(cs)
	}
	for _, n := range numbers {
		if c, ok := b.Lookup(n); ok {
			a.lookup[n] = c.ID
		}
	}
	return a
}

var typingNumbers = []string{"+34 600000001", "600000002", "0034 600 000 003", "(415) 504-0004", "+1 415 5100010", "+34 699999999"}

// rebuiltAnswers opens dir after removing its typing file, so that the
// book is rebuilt from bleve, and returns its answers (the reference).
func rebuiltAnswers(t *testing.T, dir string, opts Options) answers {
	t.Helper()
	saved, err := os.ReadFile(typingPath(dir))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	os.Remove(typingPath(dir))
	b := openBook(t, dir, opts)
	if from, _ := b.LoadedFrom(); from != LoadedBleve {
		t.Fatalf("loaded from %q, want bleve", from)
	}
	a := bookAnswers(t, b, typingNumbers)
	b.stopWrites.Store(true) // keep the saved file as it was
	b.Close()
	if saved != nil {
		if err := os.WriteFile(typingPath(dir), saved, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func sameAnswers(t *testing.T, what string, got, want answers) {
	t.Helper()
	if got.count != want.count {
		t.Errorf("%s: count %d, want %d", what, got.count, want.count)
	}
	for _, q := range typingQueries {
		if !slices.Equal(got.search[q], want.search[q]) {
			t.Errorf("%s: search %q = %q, want %q", what, q, got.search[q], want.search[q])
		}
	}
	if !reflect.DeepEqual(got.lookup, want.lookup) {
		t.Errorf("%s: lookups %v, want %v", what, got.lookup, want.lookup)
	}
}

// An import writes the typing file; the next Open maps it and answers
// exactly as a book rebuilt from bleve, for the console's import and the
// command line's alike.
func TestTypingFileMappedAnswersAsRebuilt(t *testing.T) {
	for _, diskOnly := range []bool{false, true} {
		t.Run(fmt.Sprintf("diskOnly=%v", diskOnly), func(t *testing.T) {
			dir := t.TempDir()
			path, good := writeCards(t, dir, 700, 50)
			bookDir := filepath.Join(dir, "book")
			imp := openBook(t, bookDir, Options{DefaultCountry: "ES", DiskOnly: diskOnly})
			mustImport(t, imp, path)
			// A card read twice in one import (the last wins), then a
			// file with only some of the book's cards, one edited.
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			dup := "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-4\r\nFN:Twice Read\r\nTEL:+34 699000004\r\nEND:VCARD\r\n"
			importString(t, imp, "dup.vcf", strings.ReplaceAll(string(raw)+dup, "\r\n", "\n"))
			if diskOnly && imp.builtFrom != "staged" {
				t.Errorf("a whole file's import built the typing file from %q, want the staged cards", imp.builtFrom)
			}
			importString(t, imp, "some.vcf", strings.ReplaceAll(rankCards, "FN:Jen Alvarez", "FN:Jen Zamora"))
			if diskOnly && imp.builtFrom != "bleve" {
				t.Errorf("a partial import built the typing file from %q, want bleve", imp.builtFrom)
			}
			rc, _ := decodeAll(t, rankCards)
			good += len(rc)
			imp.Close()
			if _, err := os.Stat(typingPath(bookDir)); err != nil {
				t.Fatalf("no typing file after the import: %v", err)
			}
			want := rebuiltAnswers(t, bookDir, Options{DefaultCountry: "ES"})
			if want.count != good {
				t.Fatalf("rebuilt count %d, want %d", want.count, good)
			}
			b := openBook(t, bookDir, Options{DefaultCountry: "ES"})
			if from, err := b.LoadedFrom(); from != LoadedTyping {
				t.Fatalf("loaded from %q (%v), want the typing index", from, err)
			}
			sameAnswers(t, "mapped", bookAnswers(t, b, typingNumbers), want)
			if cs, _ := b.Search("twice read", 5); len(cs) != 1 || cs[0].ID != "card-4" {
				t.Errorf("the card read last = %q", ids(cs))
			}
			if cs, _ := b.Search("zamora", 5); len(cs) != 1 {
				t.Errorf("the edited card = %q", ids(cs))
			}
		})
	}
}

// A book mapped from its typing file takes pushes, calls and another
// import (which never write into the mapping: it is read-only, a write
// would fault) and answers as a book rebuilt from bleve after them.
func TestTypingFileMappedThenChanged(t *testing.T) {
	dir := t.TempDir()
	path, _ := writeCards(t, dir, 400, 0)
	bookDir := filepath.Join(dir, "book")
	b := openBook(t, bookDir, Options{})
	mustImport(t, b, path)
	b.Close()

	b = openBook(t, bookDir, Options{})
	if from, err := b.LoadedFrom(); from != LoadedTyping {
		t.Fatalf("loaded from %q (%v)", from, err)
	}
	b.Push([]Contact{{ID: "p1", Name: "Jennifer Pushed", Phones: []string{"+34 699999999"}}})
	if c, ok := b.Lookup("+34 699999999"); !ok || c.ID != "p1" {
		t.Errorf("lookup of the pushed number = %+v %v", c, ok)
	}
	// Edit half the cards, add some: an update must kill the mapped
	// version, found through the typing file's ID table.
	moreDir := filepath.Join(dir, "more")
	if err := os.Mkdir(moreDir, 0o755); err != nil {
		t.Fatal(err)
	}
	more, _ := writeCards(t, moreDir, 500, 0)
	raw, err := os.ReadFile(more)
	if err != nil {
		t.Fatal(err)
	}
	raw = []byte(strings.ReplaceAll(string(raw), "ORG:Org3", "ORG:Renamed"))
	if err := os.WriteFile(more, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := mustImport(t, b, more)
	if sum.Added != 100 || sum.Updated == 0 || sum.Contacts != 500 {
		t.Fatalf("second import: %+v", sum)
	}
	if cs, _ := b.Search("renamed", 100); len(cs) == 0 {
		t.Errorf("renamed: nothing")
	}
	if cs, _ := b.Search("org3", 100); len(cs) != 0 {
		t.Errorf("org3 still finds %d contacts", len(cs))
	}
	b.Push(nil)
	got := bookAnswers(t, b, typingNumbers)
	if !b.MarkCalled("card-8") {
		t.Fatal("MarkCalled card-8: not found")
	}
	if cs, _ := b.Search("jennifer", 3); len(cs) == 0 || cs[0].ID != "card-8" {
		t.Errorf("jennifer: the called contact is not first: %q", ids(cs))
	}
	b.Close()
	sameAnswers(t, "after changes", got, rebuiltAnswers(t, bookDir, Options{}))
}

// A typing file written before the cards changed is not used: the
// command-line import below changes one name without changing the count,
// and the old file is put back as if the import had not replaced it (a
// crash, an older program). The same file is not used under another
// default country either.
func TestTypingFileStaleIsNotUsed(t *testing.T) {
	dir := t.TempDir()
	bookDir := filepath.Join(dir, "book")
	b := openBook(t, bookDir, Options{DefaultCountry: "ES"})
	importString(t, b, "a.vcf", rankCards)
	b.Close()
	old, err := os.ReadFile(typingPath(bookDir))
	if err != nil {
		t.Fatal(err)
	}

	cli := openBook(t, bookDir, Options{DefaultCountry: "ES", DiskOnly: true})
	sum := importString(t, cli, "b.vcf", strings.ReplaceAll(rankCards, "FN:Jen Alvarez", "FN:Zoe Alvarez"))
	if sum.Updated != 1 {
		t.Fatalf("edit: %+v", sum)
	}
	cli.Close()
	if err := os.WriteFile(typingPath(bookDir), old, 0o644); err != nil {
		t.Fatal(err)
	}

	b = openBook(t, bookDir, Options{DefaultCountry: "ES"})
	if from, err := b.LoadedFrom(); from != LoadedBleve || !errors.Is(err, errTypingStale) {
		t.Fatalf("loaded from %q (%v), want bleve because the file is stale", from, err)
	}
	if cs, _ := b.Search("zoe", 5); len(cs) != 1 || cs[0].ID != "jen" {
		t.Errorf("zoe = %q, want the edited card", ids(cs))
	}
	if cs, _ := b.Search("jen alv", 5); len(cs) != 0 {
		t.Errorf("the old name is still found: %q", ids(cs))
	}
	b.writes.Wait() // the rebuilt index is written back
	b.Close()
	b = openBook(t, bookDir, Options{DefaultCountry: "ES"})
	if from, err := b.LoadedFrom(); from != LoadedTyping {
		t.Fatalf("after the rewrite: loaded from %q (%v)", from, err)
	}
	if cs, _ := b.Search("zoe", 5); len(cs) != 1 {
		t.Errorf("zoe from the rewritten file = %q", ids(cs))
	}
	b.Close()

	us := openBook(t, bookDir, Options{DefaultCountry: "US"})
	if from, err := us.LoadedFrom(); from != LoadedBleve || !errors.Is(err, errTypingStale) {
		t.Fatalf("another country: loaded from %q (%v)", from, err)
	}
}

// A damaged typing file (truncated, extended, any byte changed) is
// refused with an error; the book is rebuilt from bleve, answers as
// before, and the file is written again.
func TestTypingFileDamagedIsRebuilt(t *testing.T) {
	dir := t.TempDir()
	path, _ := writeCards(t, dir, 300, 0)
	bookDir := filepath.Join(dir, "book")
	b := openBook(t, bookDir, Options{})
	mustImport(t, b, path)
	b.Close()
	good, err := os.ReadFile(typingPath(bookDir))
	if err != nil {
		t.Fatal(err)
	}
	want := rebuiltAnswers(t, bookDir, Options{})
	damages := map[string][]byte{
		"empty":     {},
		"header":    good[:100],
		"truncated": good[:len(good)-1],
		"half":      good[:len(good)/2],
		"extended":  append(slices.Clone(good), 0),
	}
	for _, off := range []int{0, 9, 13, 17, 25, 29, 33, 37, 41, 75, 110, 200, typingHeaderSize, typingHeaderSize + 5, len(good) / 3, len(good) - 1} {
		bad := slices.Clone(good)
		bad[off] ^= 0x20
		damages[fmt.Sprintf("byte %d", off)] = bad
	}
	// A process killed while writing leaves its temporary file: the next
	// Open removes it.
	tmp := typingPath(bookDir) + ".tmp123"
	if err := os.WriteFile(tmp, good[:1000], 0o600); err != nil {
		t.Fatal(err)
	}
	for name, bad := range damages {
		if err := os.WriteFile(typingPath(bookDir), bad, 0o644); err != nil {
			t.Fatal(err)
		}
		b := openBook(t, bookDir, Options{})
		from, lerr := b.LoadedFrom()
		if from != LoadedBleve || lerr == nil {
			t.Fatalf("%s: loaded from %q (%v), want a refusal", name, from, lerr)
		}
		sameAnswers(t, name, bookAnswers(t, b, typingNumbers), want)
		b.writes.Wait()
		b.Close()
		if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: the temporary file of a killed write is still there: %v", name, err)
		}
		again, err := os.ReadFile(typingPath(bookDir))
		if err != nil {
			t.Fatalf("%s: not rewritten: %v", name, err)
		}
		if _, err := decodeTyping(aligned(again), typingMetaOf(again)); err != nil {
			t.Fatalf("%s: rewritten file does not load: %v", name, err)
		}
	}
}

// aligned copies b into 8-byte aligned memory, as a mapping is.
func aligned(b []byte) []byte {
	words := make([]uint64, len(b)/8+1)
	out := unsafe.Slice((*byte)(unsafe.Pointer(&words[0])), len(b))
	copy(out, b)
	return out
}

// typingMetaOf reads the meta a typing file claims (tests only: Open
// compares the file with the bleve index instead).
func typingMetaOf(file []byte) typingMeta {
	if len(file) < typingHeaderSize {
		return typingMeta{}
	}
	return typingMeta{stamp: cstr(file[40:72]), country: cstr(file[72:104]), docs: uint64(binary.LittleEndian.Uint32(file[28:]))}
}
