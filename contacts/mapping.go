package contacts

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// Bleve field names. The searchable fields hold text already folded by
// Fold (lower case, accents removed, one space between words) so their
// analyzer only splits on spaces: indexing does no Unicode work twice and
// a query term is looked up exactly as the in-memory index sees it.
//
// A phone's digits are not indexed: two million distinct terms at a
// million cards were a sixth of an import's CPU (vellum's FST builder, and
// again in every merge), and the typing index answers digits. A bleve
// search with a digit term reads the stored records instead (searchBleve);
// indexes made before keep a "digits" field nothing reads.
const (
	fieldWords  = "words" // words of the name, organisation and e-mail local parts (Han ideographs one per token)
	fieldStored = "c"     // the Contact record (storedVersion + appendRec), stored, not indexed
	analyzerTok = "agentty_folded"
)

// indexMapping returns the bleve mapping: one indexed-only text field
// (no term vectors, no doc values, no _all composite: prefix queries on the
// term dictionary need none of them) and one stored-only field from which
// Open rebuilds the in-memory search index. One "words" field instead of
// one per vCard property halves bleve's per-document work; the typing
// queries never need to tell a name word from an organisation word.
func indexMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := m.AddCustomAnalyzer(analyzerTok, map[string]interface{}{
		"type":      custom.Name,
		"tokenizer": whitespace.Name,
	}); err != nil {
		return nil, fmt.Errorf("contacts: mapping: %w", err)
	}
	m.DefaultAnalyzer = analyzerTok
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	doc := bleve.NewDocumentStaticMapping()
	fm := bleve.NewTextFieldMapping()
	fm.Analyzer = analyzerTok
	fm.Store = false
	fm.IncludeInAll = false
	fm.IncludeTermVectors = false
	fm.DocValues = false
	doc.AddFieldMappingsAt(fieldWords, fm)
	sm := bleve.NewTextFieldMapping()
	sm.Index = false
	sm.Store = true
	sm.IncludeInAll = false
	sm.DocValues = false
	doc.AddFieldMappingsAt(fieldStored, sm)
	m.DefaultMapping = doc
	return m, nil
}

// storedVersion prefixes the stored record so its layout can change later.
const storedVersion = "r1" + recSep

const (
	searchOpts = index.IndexField
	storeOpts  = index.StoreField
)

// bleveDoc builds the document for c directly (no reflection through the
// mapping), with text split the way the in-memory index splits it.
func bleveDoc(c *Contact, an analysis.Analyzer) (*document.Document, error) {
	return bleveDocRec(c, appendRec(nil, c), an)
}

// bleveDocRec is bleveDoc for c already encoded in rec (appendRec); rec is
// copied. The document's two byte slices are allocated at their size: an
// import makes a million of them.
func bleveDocRec(c *Contact, rec []byte, an analysis.Analyzer) (*document.Document, error) {
	js := append(append(make([]byte, 0, len(storedVersion)+len(rec)), storedVersion...), rec...)
	d := document.NewDocument(c.ID)
	size := len(c.Name) + len(c.Org) + 2
	for _, e := range c.Emails {
		size += len(e) + 1
	}
	if words := bleveWords(make([]byte, 0, size), c); len(words) > 0 {
		d.AddField(document.NewTextFieldCustom(fieldWords, nil, words, searchOpts, an))
	}
	d.AddField(document.NewTextFieldCustom(fieldStored, nil, js, storeOpts, nil))
	return d, nil
}

// bleveWords appends the text of c's "words" field to dst: the folded
// name, organisation and e-mail local parts, Han ideographs spaced.
func bleveWords(dst []byte, c *Contact) []byte {
	words := appendFold(dst, c.Name)
	words = appendFold(appendSpace(words), c.Org)
	for _, e := range c.Emails {
		if i := strings.LastIndexByte(e, '@'); i >= 0 {
			e = e[:i]
		}
		words = appendFold(appendSpace(words), e)
	}
	return hanSpaced(words)
}

// hanSpaced puts a space after every Han ideograph so that each one is a
// term of its own in bleve: a prefix query on any character of a Chinese
// name matches, as in the in-memory index.
func hanSpaced(b []byte) []byte {
	var out []byte
	for i, r := range string(b) {
		if isHan(r) {
			if out == nil {
				out = append(make([]byte, 0, len(b)*2), b[:i]...)
			}
			out = appendSpace(out)
			out = append(out, string(r)...)
			out = append(out, ' ')
			continue
		}
		if out != nil {
			out = append(out, string(r)...)
		}
	}
	if out == nil {
		return b
	}
	return out
}

// spaceAnalyzer tokenizes exactly as the mapping's analyzer (bleve's
// whitespace tokenizer, no filters): maximal runs of non-space runes,
// stopping at the first invalid UTF-8 byte. bleve's tokenizer reserves
// room for 1,024 tokens per field (16 KiB per contact, most of an
// import's garbage); this one makes one allocation of the tokens it finds.
type spaceAnalyzer struct{}

func (spaceAnalyzer) Analyze(input []byte) analysis.TokenStream {
	n := 0
	inTok := false
	for off := 0; off < len(input); {
		r, size := utf8.DecodeRune(input[off:])
		if r == utf8.RuneError {
			break
		}
		if unicode.IsSpace(r) {
			inTok = false
		} else if !inTok {
			inTok = true
			n++
		}
		off += size
	}
	if n == 0 {
		return analysis.TokenStream{}
	}
	toks := make([]analysis.Token, n)
	rv := make(analysis.TokenStream, 0, n)
	start, end := 0, 0
	emit := func() {
		t := &toks[len(rv)]
		*t = analysis.Token{Term: input[start:end], Start: start, End: end, Position: len(rv) + 1, Type: analysis.AlphaNumeric}
		rv = append(rv, t)
	}
	for off := 0; off < len(input); {
		r, size := utf8.DecodeRune(input[off:])
		if r == utf8.RuneError {
			break
		}
		if !unicode.IsSpace(r) {
			end = off + size
		} else {
			if end > start {
				emit()
			}
			start = off + size
			end = start
		}
		off += size
	}
	if end > start {
		emit()
	}
	return rv
}
