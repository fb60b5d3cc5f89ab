package acd

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// TestTogglingAgentKeepsTimerHeapSmall: every rest starts a rest timer that
// the next ready cancels lazily; 100,000 toggles must not leave 100,000
// stale timers in the heap.
func TestTogglingAgentKeepsTimerHeapSmall(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "sales"})
	r.user("ana", session.RoleAgent, "sales")
	r.must("ana", "checkin")
	peak := 0
	for i := 0; i < 100_000; i++ {
		r.now = r.now.Add(time.Second / 41)
		r.must("ana", "rest")
		r.must("ana", "ready")
		peak = max(peak, r.e.PendingTimers())
	}
	if peak > 2*minCompact {
		t.Fatalf("timer heap peaked at %d after 100,000 toggles, want <= %d", peak, 2*minCompact)
	}
	// The live rest timer still fires: cancellation stayed correct.
	r.must("ana", "rest")
	r.advance(16 * time.Minute)
	if got := r.agent("ana"); got != session.AgentRest {
		t.Fatalf("ana is %s, want rest", got)
	}
}

// TestAnsweredCallsKeepTimerHeapSmall: each offer starts a ring timer and
// each hangup a wrap-up timer; calls answered and finished before those are
// due must not pile them up.
func TestAnsweredCallsKeepTimerHeapSmall(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "sales", WrapUp: time.Minute, RingTimeout: time.Minute})
	r.user("ana", session.RoleAgent, "sales")
	r.user("kiosk", session.RoleKiosk, "sales")
	r.must("ana", "checkin")
	r.must("ana", "ready")
	peak := 0
	for i := 0; i < 5_000; i++ {
		r.now = r.now.Add(time.Second)
		r.must("kiosk", "call")
		r.must("ana", "answer")
		r.must("ana", "hangup")
		r.must("ana", "done")
		peak = max(peak, r.e.PendingTimers())
	}
	if peak > 2*minCompact {
		t.Fatalf("timer heap peaked at %d after 5,000 calls, want <= %d", peak, 2*minCompact)
	}
	// Ring timeouts still work after compactions.
	r.must("kiosk", "call")
	r.advance(61 * time.Second)
	if r.agent("ana") == session.AgentBusy && r.phase("ana") == session.PhaseRinging {
		t.Fatalf("ana still ringing after the ring timeout")
	}
}
