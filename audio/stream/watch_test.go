package stream

import (
	"testing"
	"time"

	"github.com/agentty/agentty/audio/quality"
)

// TestWatch: silence is said once when it starts and once when media
// flows again; degraded and recovered once each.
func TestWatch(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	q := quality.NewMonitor("PCMU", 8000)
	var w Watch
	if lost, ch := w.Silent(q, t0, t0.Add(time.Second), 3*time.Second); lost || ch {
		t.Fatal("silent after 1 s")
	}
	if lost, ch := w.Silent(q, t0, t0.Add(3*time.Second), 3*time.Second); !lost || !ch {
		t.Fatal("not silent after 3 s with no packet")
	}
	if _, ch := w.Silent(q, t0, t0.Add(4*time.Second), 3*time.Second); ch {
		t.Fatal("silence said twice")
	}
	q.OnRTP(1, 160, t0.Add(5*time.Second))
	if lost, ch := w.Silent(q, t0, t0.Add(5*time.Second), 3*time.Second); lost || !ch || w.Lost() {
		t.Fatal("not restored")
	}
	for i, tc := range []struct {
		bad            bool
		became, recove bool
	}{{false, false, false}, {true, true, false}, {true, false, false}, {false, false, true}, {false, false, false}} {
		b, r := w.Degraded(QualityReport{Degraded: tc.bad})
		if b != tc.became || r != tc.recove {
			t.Errorf("step %d: became %v recovered %v", i, b, r)
		}
	}
}
