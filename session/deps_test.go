package session_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStandardLibraryOnly: session imports nothing outside the standard
// library (DESIGN.md's layout; STYLE.md's pure core).
func TestStandardLibraryOnly(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	const self = "github.com/agentty/agentty/session"
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	found := false
	for _, p := range strings.Fields(string(out)) {
		if p == self {
			found = true
			continue
		}
		t.Errorf("session depends on %s, outside the standard library", p)
	}
	if !found {
		t.Errorf("go list did not list %s itself: %q", self, out)
	}
}
