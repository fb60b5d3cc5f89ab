package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A centre's journal from another version (a type this one does not know,
// a broken line) replays as seen by a chosen user, listing what it skips.
func TestReplayHeadlessCentreJournal(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	j := `{"to":"sup","type":"auth.result","at":"2026-12-03T09:00:00Z","ok":true,"role":"supervisor","user":"sup"}
{"to":"ana","type":"auth.result","at":"2026-12-03T09:00:00Z","ok":true,"role":"agent","user":"ana"}
{"to":"ana","type":"agent.checked_in","at":"2026-12-03T09:00:01Z","groups":["sales"],"ok":true}
{"to":"ana","type":"agent.state","at":"2026-12-03T09:00:02Z","agent":"ana","state":"ready"}
{"type":"acd.offer","at":"2026-12-03T09:05:00Z","call_id":"c1","offered":["ana"],"why":"longest-idle"}
{"to":"ana","type":"call.hologram","at":"2026-12-03T09:05:00Z","call_id":"c1"}
garbage
{"to":"ana","type":"call.ringing","at":"2026-12-03T09:05:00Z","call_id":"c1","direction":"inbound","from":"+34 600 000 001"}
{"to":"sup","type":"agent.state","at":"2026-12-03T09:05:00Z","agent":"ana","state":"busy"}
`
	if err := os.WriteFile(filepath.Join(dir, "centre-20261203T090000.000.jsonl"), []byte(j), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, "", "replay", "--headless", "--speed", "max", "--as", "ana", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "acd.offer ×1") || !strings.Contains(out, "call.hologram ×1") || !strings.Contains(out, "1 unreadable") {
		t.Errorf("the note does not list what was skipped:\n%s", out)
	}
	var last struct {
		Agent string `json:"agent_state"`
		Calls []struct {
			Phase string `json:"phase"`
		} `json:"calls"`
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatalf("%v: %q", err, lines[len(lines)-1])
	}
	if last.Agent != "busy" || len(last.Calls) != 1 || last.Calls[0].Phase != "ringing" {
		t.Errorf("ana's state at the end: %+v", last)
	}
	if n := strings.Count(out, `"line":`); n != 6 {
		t.Errorf("%d states printed for ana's 4 events and 2 unknown lines, want 6:\n%s", n, out)
	}
	// The default seat of a centre's journal is its supervisor.
	out, _ = run(t, "", "replay", "--headless", "--speed", "max", dir)
	if !strings.Contains(out, "as seen by sup") {
		t.Errorf("default seat:\n%s", out)
	}
	if _, err := run(t, "", "replay", "--headless", "--as", "nobody", dir); exitCode(err) != 2 {
		t.Errorf("unknown --as: %v", err)
	}
	if _, err := run(t, "", "replay", filepath.Join(dir, "missing.jsonl")); err == nil {
		t.Error("a missing file: no error")
	}
}
