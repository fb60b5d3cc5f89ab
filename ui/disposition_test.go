package ui

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// TestWrapUpDispositionPicker: in a wrap-up whose group requires a code,
// d opens the picker instead of a refusal, the chosen code shows, and d
// then ends the wrap-up (issue 14, item 2).
func TestWrapUpDispositionPicker(t *testing.T) {
	h := newHarness(t, session.RoleAgent, nil)
	h.press("g")
	if _, err := h.v.Ring("+15550100"); err != nil {
		t.Fatal(err)
	}
	h.drain()
	h.press("a", "e")
	h.drain()
	h.feedEvents([]session.Event{session.AgentStateChanged{Base: session.Base{At: h.clk.Now()}, State: session.AgentWrapUp,
		Limit: session.Secs(time.Minute), Codes: []string{"sale", "no_sale"}, CodeRequired: true}}, false)
	h.want("WRAP-UP", "press c to choose a disposition code, then d", "c disposition code")
	h.press("d")
	h.want("Disposition: how did the call go?", "sale", "no_sale")
	if st := h.m.State(); st.Agent.State != session.AgentWrapUp {
		t.Fatalf("d without a code left wrap-up: %s", st.Agent.State)
	}
	h.press("down", "enter")
	h.drain()
	h.want("code no_sale")
	if got := h.m.State().Agent.Code; got != "no_sale" {
		t.Fatalf("code %q, want no_sale", got)
	}
	h.press("d")
	h.drain()
	h.want("READY")
}
