package session_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the matrix golden tables")

// outcome names a matrix cell's outcome: "ok", or the documented error
// the refusal wraps.
func outcome(err error, documented []error) string {
	if err == nil {
		return "ok"
	}
	for _, d := range documented {
		if errors.Is(err, d) {
			return d.Error()
		}
	}
	return "undocumented: " + err.Error()
}

// goldenTable compares a matrix's cells, one line each, with
// testdata/NAME.golden (go test ./session -update rewrites it).
func goldenTable(t *testing.T, name string, lines []string) {
	t.Helper()
	got := strings.Join(lines, "\n") + "\n"
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./session -update writes it)", err)
	}
	want := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if got == string(b) {
		return
	}
	wantSet := map[string]bool{}
	for _, l := range want {
		wantSet[l] = true
	}
	gotSet := map[string]bool{}
	n := 0
	for _, l := range lines {
		gotSet[l] = true
		if !wantSet[l] && n < 40 {
			t.Errorf("%s: new or changed cell: %s", name, l)
			n++
		}
	}
	for _, l := range want {
		if !gotSet[l] && n < 40 {
			t.Errorf("%s: golden cell gone: %s", name, l)
			n++
		}
	}
	if n == 0 {
		t.Errorf("%s: the cells' order changed", name)
	}
}

func cell(fixture, what, out string) string { return fmt.Sprintf("%-28s %-36s %s", fixture, what, out) }
