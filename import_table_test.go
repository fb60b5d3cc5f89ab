package main

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

const module = "github.com/agentty/agentty"

// importRule is one row of docs/design.md's import table.
type importRule struct {
	path  string   // "" for package main
	allow []string // paths allowed, with what lies under them
	any   bool     // everything
}

var parenthetical = regexp.MustCompile(`\([^)]*\)`)

// importTable reads the rows of docs/design.md whose first cell is a
// package path in backticks and whose third says what it may import.
func importTable(t *testing.T) []importRule {
	b, err := os.ReadFile("docs/design.md")
	if err != nil {
		t.Fatal(err)
	}
	var rules []importRule
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(strings.TrimSpace(line), "|")
		if len(cells) != 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		path := strings.Trim(strings.TrimSpace(cells[1]), "`")
		r := importRule{path: strings.TrimSuffix(path, "/")}
		if path == "main.go" {
			r.path = ""
		}
		may := strings.TrimSpace(parenthetical.ReplaceAllString(cells[3], ""))
		switch {
		case may == "everything":
			r.any = true
		case strings.HasPrefix(may, "none"):
		default:
			for _, a := range strings.Split(may, ",") {
				a = strings.TrimSuffix(strings.TrimSpace(a), " packages only")
				r.allow = append(r.allow, strings.Trim(a, "`/"))
			}
		}
		rules = append(rules, r)
	}
	return rules
}

func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// TestImportTable holds every package of the module to docs/design.md's
// import table: the row of the longest path containing it says what of
// ours it may import.
func TestImportTable(t *testing.T) {
	rules := importTable(t)
	if len(rules) < 10 {
		t.Fatalf("read %d rows of the import table from docs/design.md", len(rules))
	}
	out, err := exec.Command("go", "list", "-tags", "nolibopusfile", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(f[0], module), "/")
		var rule *importRule
		for i := range rules {
			r := &rules[i]
			if (r.path == "" && pkg == "" || r.path != "" && under(pkg, r.path)) && (rule == nil || len(r.path) > len(rule.path)) {
				rule = r
			}
		}
		if rule == nil {
			t.Errorf("%s: no row of the import table covers it", f[0])
			continue
		}
		if rule.any {
			continue
		}
		for _, imp := range f[1:] {
			if !under(imp, module) || imp == module {
				continue
			}
			imp = strings.TrimPrefix(imp, module+"/")
			ok := rule.path != "" && under(imp, rule.path)
			for _, a := range rule.allow {
				ok = ok || under(imp, a)
			}
			if !ok {
				t.Errorf("%s imports %s: its row (%s/) allows %v", pkg, imp, rule.path, rule.allow)
			}
		}
	}
}
