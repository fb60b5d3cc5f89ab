package contacts

import (
	"errors"
	"path/filepath"
	"testing"
)

// TestOpenLocksTheDirectory: a second Open of a book directory fails while
// the first Book is open, and succeeds once it is closed.
func TestOpenLocksTheDirectory(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := Open(dir, Options{DiskOnly: true}); !errors.Is(err, ErrInUse) {
		if err == nil {
			b.Close()
		}
		t.Fatalf("second Open: %v, want ErrInUse", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	b.Close()
}

// TestDiskOnlyImportReopensTheIndex: the command-line import closes bleve
// while it builds the typing file from its staged cards; afterwards the
// Book searches bleve, imports again and still holds its directory, and
// the next Open maps the typing file.
func TestDiskOnlyImportReopensTheIndex(t *testing.T) {
	dir := t.TempDir()
	path, good := writeCards(t, dir, 500, 0)
	bookDir := filepath.Join(dir, "book")
	disk := openBook(t, bookDir, Options{DiskOnly: true, DefaultCountry: "ES"})
	mustImport(t, disk, path)
	if disk.builtFrom != "staged" {
		t.Fatalf("typing file built from %q, want staged", disk.builtFrom)
	}
	if n, err := disk.DocCount(); err != nil || n != uint64(good) {
		t.Fatalf("DocCount = %d, %v; want %d", n, err, good)
	}
	if cs, err := disk.Search("jennifer", 5); err != nil || len(cs) == 0 {
		t.Fatalf("Search after import: %d contacts, %v", len(cs), err)
	}
	if _, err := Open(bookDir, Options{}); !errors.Is(err, ErrInUse) {
		t.Fatalf("Open while the importing book is open: %v, want ErrInUse", err)
	}
	if sum := mustImport(t, disk, path); sum.Unchanged != good {
		t.Fatalf("re-import: %+v, want %d unchanged", sum, good)
	}
	if err := disk.Close(); err != nil {
		t.Fatal(err)
	}
	b := openBook(t, bookDir, Options{DefaultCountry: "ES"})
	if from, err := b.LoadedFrom(); from != LoadedTyping {
		t.Fatalf("loaded from %q (%v), want the typing file", from, err)
	}
	if b.Count() != good {
		t.Fatalf("Count = %d, want %d", b.Count(), good)
	}
}
