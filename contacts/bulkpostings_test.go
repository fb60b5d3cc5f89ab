package contacts

import (
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
