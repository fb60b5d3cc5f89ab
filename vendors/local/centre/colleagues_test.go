package centre

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// TestColleagues: over a real WebSocket an agent gets the state of the
// agents sharing its groups (not the others), ready ones first, for the
// transfer picker (issue 14, item 5).
func TestColleagues(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	ana := c.signIn(session.RoleAgent, "ana", "sales")
	bo := c.signIn(session.RoleAgent, "bo", "sales", "support")
	cy := c.signIn(session.RoleAgent, "cy", "sales")
	c.signIn(session.RoleAgent, "dan", "support")
	cy.MustDo("ready")
	bo.MustDo("checkin")
	c.advance(time.Second) // the roster timer
	ana.WaitFor("colleagues bo and cy", func(st session.State) bool {
		return st.Roster["cy"].State == session.AgentReady && st.Roster["bo"].State == session.AgentNotReady
	})
	if _, ok := ana.State.Roster["dan"]; ok {
		t.Errorf("ana sees dan, who shares no group")
	}
	if _, ok := ana.State.Roster["ana"]; ok {
		t.Errorf("ana is listed among her colleagues")
	}
	var order []string
	for _, e := range ana.Seen {
		if r, ok := e.(session.AgentRoster); ok && len(r.Agents) == 2 && r.Agents[0].State == session.AgentReady {
			order = []string{r.Agents[0].ID, r.Agents[1].ID}
		}
	}
	if len(order) != 2 || order[0] != "cy" {
		t.Errorf("colleagues in order %v, want the ready cy first", order)
	}
	bo.WaitFor("bo sees dan through support", func(st session.State) bool { _, ok := st.Roster["dan"]; return ok })
}
