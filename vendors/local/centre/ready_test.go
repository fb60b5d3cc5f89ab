package centre

import (
	"slices"
	"testing"

	"github.com/agentty/agentty/session"
)

// TestReadyChecksIn: over a real WebSocket, ready from an agent who is not
// checked in checks in to all the agent's groups and goes ready, and a
// caller reaches them; check-out stays explicit (issue 14, item 6).
func TestReadyChecksIn(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	ana := c.signIn(session.RoleAgent, "ana", "sales", "support")
	kiosk := c.signIn(session.RoleKiosk, "lobby", "support")
	ana.MustDo("ready")
	ana.WaitFor("checked in and ready", func(st session.State) bool {
		return st.CheckedIn && st.Agent.State == session.AgentReady
	})
	if !slices.Contains(ana.State.Groups, "sales") || !slices.Contains(ana.State.Groups, "support") {
		t.Errorf("checked in to %v, want sales and support", ana.State.Groups)
	}
	kiosk.MustDo("call")
	ana.WaitFor("ringing", ringing)
	ana.MustDo("reject")
	ana.MustDo("checkout")
	ana.WaitFor("checked out", func(st session.State) bool { return !st.CheckedIn })
	if err := ana.Do("notready"); err == nil {
		t.Errorf("notready when checked out was accepted")
	}
}
