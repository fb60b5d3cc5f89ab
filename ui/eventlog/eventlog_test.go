package eventlog

import (
	"fmt"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/internal/golden"
)

func TestView(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	m := New(common.New(nil, nil, nil))
	m.SetSize(60, 6)
	golden.Assert(t, "empty", m.View())
	b := session.Base{At: t0}
	cb := func(id string) session.CallBase { return session.CallBase{At: t0, CallID: id} }
	for i := range 300 {
		m.Add(session.AgentStateChanged{Base: session.Base{At: t0.Add(time.Duration(i) * time.Second)}, Agent: fmt.Sprintf("a%d", i), State: session.AgentReady})
	}
	for _, e := range []session.Event{
		session.CallRinging{CallBase: cb("c1"), From: "+15550100"},
		session.CallTransferred{CallBase: cb("c1"), ToGroup: "support"},
		session.CommandFailed{Base: b, Command: "hold", Reason: "hold: no call"},
		session.QueueUpdated{Base: b, Position: 2},
		session.ConnectionDegraded{Base: b, Detail: "loss"},
	} {
		m.Add(e)
	}
	m, _ = m.Update(nil)
	golden.Assert(t, "tail", m.View())
}
