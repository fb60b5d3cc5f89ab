package centre

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestClientAndCentreApart holds the split of issue 18: the centre does
// not import its client and the client does not import the centre (nor
// the centre's engine and store); what both need lives in proto.
func TestClientAndCentreApart(t *testing.T) {
	const mod = "github.com/agentty/agentty/vendors/local"
	for dir, banned := range map[string][]string{
		".":  {mod},
		"..": {mod + "/centre", mod + "/acd", mod + "/store"},
	} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, im := range af.Imports {
				p, _ := strconv.Unquote(im.Path.Value)
				for _, b := range banned {
					if p == b {
						t.Errorf("%s imports %s", f, p)
					}
				}
			}
		}
	}
}
