package contacts

import (
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
)

func bleveWhitespace(t testing.TB, in []byte) analysis.TokenStream {
	tok, err := whitespace.TokenizerConstructor(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tok.Tokenize(in)
}

func checkSameTokens(t testing.TB, in []byte) {
	got, want := spaceAnalyzer{}.Analyze(in), bleveWhitespace(t, in)
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Analyze(%q):\n got %v\nwant %v", in, got, want)
	}
}

// TestSpaceAnalyzer: the analyzer documents are indexed with splits
// exactly as the mapping's (bleve's whitespace tokenizer), so the terms on
// disk are those a bleve query on the mapping expects.
func TestSpaceAnalyzer(t *testing.T) {
	for _, in := range []string{
		"", " ", "maría garcía", "  two  spaces  ", "jo\tann\nlee", "王 小 明 acme",
		"34600123456 34911234567", "bad\xffutf8 after", "\xff", "a\u00a0b\u2003c", "end ",
	} {
		checkSameTokens(t, []byte(in))
	}
}

func FuzzSpaceAnalyzer(f *testing.F) {
	f.Add([]byte("maría garcía 王 34600123456"))
	f.Add([]byte("a\xffb c"))
	f.Fuzz(func(t *testing.T, in []byte) { checkSameTokens(t, in) })
}
