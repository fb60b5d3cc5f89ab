package contacts

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bq "github.com/blevesearch/bleve/v2/search/query"
)

// searchBleve answers query from the bleve index alone: every word must be
// the prefix of a word of the name, organisation or an e-mail local part
// (field "words"), or of a phone's E.164 digits. It returns matching IDs
// (unranked, at most limit). The in-memory index serves keystrokes; this
// is the reference it is checked against, and a way to query the durable
// index directly. Phone digits are not indexed (mapping.go): a query with
// a word of digits only is answered from the stored records
// (searchStored), the others by prefix queries on "words".
func (b *Book) searchBleve(q string, limit int) ([]string, error) {
	terms := bleveTerms(q)
	if len(terms) == 0 {
		return nil, nil
	}
	for _, t := range terms {
		if allDigits(t) {
			return b.searchStored(q, terms, limit)
		}
	}
	var must []bq.Query
	for _, t := range terms {
		pq := bleve.NewPrefixQuery(t)
		pq.SetField(fieldWords)
		must = append(must, pq)
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

// bleveTerms splits a query into the prefixes searchBleve looks for: the
// folded words (each Han ideograph one), or a phone query's digits.
func bleveTerms(q string) []string {
	if isPhoneQuery(q) {
		return []string{string(appendDigits(nil, q))}
	}
	return strings.Fields(string(hanSpaced([]byte(Fold(q)))))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// errEnough stops visitStored once searchStored has limit matches.
var errEnough = errors.New("enough matches")

// searchStored answers searchBleve's query by reading every stored
// record: each term must prefix a token of the record's "words" text (as
// bleveDoc indexes it) or one of its phones' E.164 digits. It reads the
// whole index (about a second a million contacts) and serves a DiskOnly
// book's digit queries only; keystrokes never come here.
func (b *Book) searchStored(q string, terms []string, limit int) ([]string, error) {
	var out []string
	var words []byte
	err := b.visitStored(func(rec []byte) error {
		c := decodeRec(string(rec))
		words = bleveWords(words[:0], &c)
		toks := spaceAnalyzer{}.Analyze(words)
		for _, t := range terms {
			if !prefixesAny(t, c.Digits, toks) {
				return nil
			}
		}
		out = append(out, c.ID)
		if len(out) >= limit {
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, fmt.Errorf("contacts: bleve search %q: %w", q, err)
	}
	return out, nil
}

// prefixesAny reports whether t is the prefix of one of digits or of one
// of the tokens.
func prefixesAny(t string, digits []string, toks analysis.TokenStream) bool {
	for _, d := range digits {
		if strings.HasPrefix(d, t) {
			return true
		}
	}
	for _, tok := range toks {
		if bytes.HasPrefix(tok.Term, []byte(t)) {
			return true
		}
	}
	return false
}
