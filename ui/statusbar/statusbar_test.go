package statusbar

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/internal/golden"
)

var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func TestView(t *testing.T) {
	cases := map[string]Props{
		"rest_overdue": {Name: "Ana", Role: session.RoleAgent, Authed: true, Conn: session.ConnEstablished,
			Agent:  session.AgentStatus{State: session.AgentRest, Reason: "lunch", Since: t0, Limit: session.Secs(15 * time.Minute), RestOverdue: true},
			Groups: []string{"sales", "support"}, Backend: "local", Now: t0.Add(16 * time.Minute)},
		"wrapup_refused": {Name: "Ana", Role: session.RoleAgent, Authed: true, Conn: session.ConnEstablished,
			Agent: session.AgentStatus{State: session.AgentWrapUp, Since: t0, Limit: session.Secs(30 * time.Second)},
			Now:   t0.Add(10 * time.Second), Message: "Can't check out: hang up first.", IsError: true},
		"reconnecting": {Name: "Ana", Role: session.RoleAgent, Authed: true, Conn: session.ConnReconnecting, Reason: "attempt 2",
			Agent: session.AgentStatus{State: session.AgentReady, Since: t0}, Now: t0.Add(time.Hour + 2*time.Second)},
		"degraded": {Name: "Ana", Role: session.RoleSupervisor, Authed: true, Conn: session.ConnEstablished, Degraded: "packet loss 8%",
			Agent: session.AgentStatus{State: session.AgentNotReady, Since: t0}, Now: t0},
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			m := New(common.New(nil, nil, nil))
			m.SetSize(90, Height)
			m.SetProps(p)
			m, _ = m.Update(nil)
			golden.Assert(t, name, m.View())
		})
	}
}
