package contacts

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"
)

// searchBleve answers query from the bleve index alone: every word must be
// the prefix of a word of the name, organisation or an e-mail local part,
// or of a phone's E.164 digits (fields "words" and "digits"). It returns matching IDs (unranked, at most
// limit). The in-memory index serves keystrokes; this is the reference it
// is checked against, and a way to query the durable index directly.
func (b *Book) searchBleve(q string, limit int) ([]string, error) {
	var must []bq.Query
	terms := strings.Fields(string(hanSpaced([]byte(Fold(q)))))
	if isPhoneQuery(q) {
		terms = []string{string(appendDigits(nil, q))}
	}
	for _, t := range terms {
		var any []bq.Query
		for _, f := range []string{fieldWords, fieldDigits} {
			pq := bleve.NewPrefixQuery(t)
			pq.SetField(f)
			any = append(any, pq)
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	if len(must) == 0 {
		return nil, nil
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(must...), limit, 0, false)
	req.Score = "none"
	res, err := b.idx.Search(req)
	if err != nil {
		return nil, fmt.Errorf("contacts: bleve search %q: %w", q, err)
	}
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out, nil
}
