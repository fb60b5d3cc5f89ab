package ui

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// TestStateTimerTicks: with no event at all, the status bar's state timer
// moves every second, and every tick re-arms the next (issue 14).
func TestStateTimerTicks(t *testing.T) {
	h := newHarness(t, session.RoleAgent, nil)
	h.press("i", "g")
	h.want("READY 0:00")
	for s := 1; s <= 3; s++ {
		h.clk.Advance(time.Second)
		m, cmd := h.m.Update(tickMsg{At: h.clk.Now()})
		h.m = m.(Model)
		if cmd == nil {
			t.Fatalf("tick %d armed no next tick", s)
		}
		h.want("READY 0:0" + string(rune('0'+s)))
	}
}

// TestReadyChecksIn: g when not checked in checks in to the agent's
// groups and goes ready (issue 14), instead of refusing.
func TestReadyChecksIn(t *testing.T) {
	h := newHarness(t, session.RoleAgent, nil)
	h.want("NOT CHECKED IN", "press i to check in, g to go ready")
	h.press("g")
	h.wantNot("Can't go ready")
	h.want("READY", "groups sales,support")
	if st := h.m.State(); !st.CheckedIn || st.Agent.State != session.AgentReady {
		t.Fatalf("checked in %v, state %s; want checked in and ready", st.CheckedIn, st.Agent.State)
	}
}
