package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentty/agentty/replay"
	"github.com/agentty/agentty/replay/replaytest"
)

// A centre's journal (two rotated files and a line from a newer version)
// replays headless: one line per journal line with the state after it,
// the unknown type listed on stderr, not a crash; --from/--to cut it.
func TestReplayHeadless(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	day := replaytest.Day(400, 2, 7)
	half := strings.Index(string(day[len(day)/2:]), "\n") + len(day)/2 + 1
	newer := `{"type":"call.teleported","at":"2026-12-03T08:00:30Z","call_id":"c1"}` + "\n"
	os.WriteFile(filepath.Join(dir, "centre-20261203T080000.jsonl"), day[:half], 0o644)
	os.WriteFile(filepath.Join(dir, "centre-20261203T090000.jsonl"), append(day[half:], newer...), 0o644)

	out, err := run(t, "", "replay", dir, "--headless", "--user", "a1")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var last replay.Line
	n, unknown := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, "{") {
			continue // stderr's list of unknown types
		}
		n++
		if err := json.Unmarshal([]byte(line), &last); err != nil {
			t.Fatalf("line %d: %v: %s", n, err, line)
		}
		if last.Unknown {
			unknown++
		}
		if last.To != "" && last.To != "a1" {
			t.Fatalf("--user a1 printed a line for %s", last.To)
		}
	}
	if n < 50 || unknown < 2 || !strings.Contains(out, "call.teleported ×1") {
		t.Fatalf("%d lines, %d unknown:\n%.2000s", n, unknown, out)
	}
	out, err = run(t, "", "replay", dir, "--headless", "--from", "08:01", "--to", "08:02")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var l replay.Line
		if json.Unmarshal([]byte(line), &l) == nil && (l.At < "2026-12-03T08:01" || l.At > "2026-12-03T08:02:00.000Z") {
			t.Fatalf("line outside --from/--to: %s", line)
		}
	}
	if _, err := run(t, "", "replay", dir, "--headless", "--speed", "warp"); err == nil {
		t.Error("--speed warp accepted")
	}
	if _, err := run(t, "", "replay", "--headless", filepath.Join(dir, "nothing.jsonl")); err == nil {
		t.Error("a missing journal replayed")
	}
}
