package contacts

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
)

// The postings built at once, by one worker or several, are exactly the
// ones sealing the contacts one by one makes.
func TestBuildPostingsMatchesSeal(t *testing.T) {
	es, _ := resolveCountry("ES")
	inc := newMemIndex()
	inc.sealAt = 5000 // several seals
	var text []byte
	for i := 0; i < 6000; i++ {
		c := Contact{ID: fmt.Sprint("c", i), Name: fmt.Sprintf("Jennifer %c%c Smith %d", 'a'+i%26, 'a'+i/26%26, i), Org: fmt.Sprint("Org", i%13),
			Phones: []string{fmt.Sprintf("+34 6%08d", i*7)}, Emails: []string{fmt.Sprintf("u%d@x.example", i)}, Source: SourceImport}
		if i%5 == 0 {
			c.Name = "王小明 " + c.Name
		}
		c.normalize(es, true)
		text = searchText(text[:0], &c, es, true)
		inc.add(&c, text)
	}
	inc.seal()
	for _, workers := range []int{1, 2, 3} {
		bulk := &memIndex{recs: inc.recs, texts: inc.texts, dead: inc.dead}
		bulk.buildPostings(workers)
		if !slices.Equal(bulk.sealedOff, inc.sealedOff[:len(bulk.sealedOff)]) {
			t.Fatalf("%d workers: offsets differ", workers)
		}
		if !slices.Equal(bulk.sealedData, inc.sealedData) {
			t.Fatalf("%d workers: postings differ", workers)
		}
		if !slices.Equal(bulk.sealedLen, inc.sealedLen) || !slices.Equal(bulk.sealedLast, inc.sealedLast) {
			t.Fatalf("%d workers: lengths or last nums differ", workers)
		}
	}
}

// TestSortByTextInHalves: the two-worker sort gives the texts in the
// order one sort gives them.
func TestSortByTextInHalves(t *testing.T) {
	m := newMemIndex()
	m.noGrams = true
	for i := range 50000 {
		m.stage([]byte("r"), fmt.Appendf(nil, " %x %d ", (i*7919)%1000, i%13))
	}
	var one, two []uint32
	for n := uint32(0); n < m.n(); n++ {
		one, two = append(one, n), append(two, n)
	}
	one = m.sortByText(one, 1)
	two = m.sortByText(two, 2)
	if len(two) != len(one) {
		t.Fatalf("%d nums, want %d", len(two), len(one))
	}
	seen := make(map[uint32]bool)
	for i := range one {
		if a, b := m.text(one[i]), m.text(two[i]); !bytes.Equal(a, b) {
			t.Fatalf("at %d: %q, want %q", i, b, a)
		}
		seen[two[i]] = true
	}
	if len(seen) != len(one) {
		t.Fatalf("%d distinct nums, want %d", len(seen), len(one))
	}
}
