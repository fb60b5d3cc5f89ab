package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentty/agentty/vendors/local/store"
)

// TestGroupSetRecord: agentty group set --record stores a known policy and
// refuses an unknown one in one line.
func TestGroupSetRecord(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "", "group", "set", "sales", "--record", "always", "--data", dir); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	modes, err := st.AllGroupRecord(context.Background())
	st.Close()
	if err != nil || modes["sales"] != "always" {
		t.Fatalf("stored %v, %v", modes, err)
	}
	out, err := run(t, "", "group", "set", "sales", "--record", "sometimes", "--data", dir)
	if err == nil || !strings.Contains(err.Error()+out, "want always, on-demand or never") {
		t.Fatalf("unknown policy: %v %s", err, out)
	}
}

func TestRecordingsDir(t *testing.T) {
	for flag, want := range map[string]string{"": filepath.Join("/d", "recordings"), "off": "", "/r": "/r"} {
		if got := recordingsDir("/d", flag); got != want {
			t.Errorf("recordingsDir(%q) = %q, want %q", flag, got, want)
		}
	}
}
