package contacts

import (
	"fmt"
	"strings"

	index "github.com/blevesearch/bleve_index_api"
)

// diskCandidates bounds how many bleve matches searchDisk ranks.
const diskCandidates = 2000

// searchDisk answers q from the bleve index alone (Options.DiskOnly):
// bleve's prefix matches are the candidates, and a small in-memory index
// over just those ranks them exactly as Search ranks the whole book.
func (b *Book) searchDisk(raw string, q *query, limit int) ([]Contact, error) {
	ids, err := b.searchBleve(raw, diskCandidates)
	if err != nil {
		return nil, err
	}
	m := newMemIndex()
	m.noGrams = true
	var text []byte
	for _, id := range ids {
		doc, err := b.idx.Document(id)
		if err != nil || doc == nil {
			return nil, fmt.Errorf("contacts: search %q: document %s: %v", raw, id, err)
		}
		var stored string
		doc.VisitFields(func(f index.Field) {
			if f.Name() == fieldStored {
				stored = string(f.Value())
			}
		})
		if !strings.HasPrefix(stored, storedVersion) {
			return nil, fmt.Errorf("contacts: search %q: document %s: unknown record version", raw, id)
		}
		c := decodeRec(stored[len(storedVersion):])
		c.Source = SourceImport
		text = searchText(text[:0], &c, b.country, b.hasCC)
		m.add(&c, text)
	}
	m = m.rebuilt()
	res := m.search(q, limit, nil)
	out := make([]Contact, len(res.top))
	for i, s := range res.top {
		out[i] = decodeRec(string(m.rec(s.num)))
	}
	return out, nil
}
