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
