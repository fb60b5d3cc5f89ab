package contacts

import (
	"path/filepath"
	"slices"
	"testing"
)

// A disk-only book answers prefix queries as the loaded book does.
func TestDiskOnlySearchMatchesLoadedBook(t *testing.T) {
	dir := t.TempDir()
	path, good := writeCards(t, dir, 300, 0)
	bookDir := filepath.Join(dir, "book")
	full := openBook(t, bookDir, Options{})
	mustImport(t, full, path)
	if full.Count() != good {
		t.Fatalf("count %d, want %d", full.Count(), good)
	}
	queries := []string{"jen", "jennifer", "maría gar", "maria", "+34 6000", "user1", "org3", "王", "nothing-like-it"}
	want := map[string][]string{}
	for _, q := range queries {
		cs, err := full.Search(q, 10)
		if err != nil {
			t.Fatal(err)
		}
		want[q] = names(cs)
	}
	full.Close()

	disk := openBook(t, bookDir, Options{DiskOnly: true})
	for _, q := range queries {
		cs, err := disk.Search(q, 10)
		if err != nil {
			t.Fatalf("disk search %q: %v", q, err)
		}
		if got := names(cs); !slices.Equal(got, want[q]) {
			t.Errorf("search %q on disk = %q, loaded = %q", q, got, want[q])
		}
	}
	if _, ok := disk.Lookup("+34 600000001"); ok {
		t.Errorf("a disk-only book answered caller ID (it has no typing index)")
	}
}
