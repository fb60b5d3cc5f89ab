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

// A backend that names no display name or role (a SIP account) is still
// named, and a call we place rings at its callee, not "from" nobody.
func TestDescribeNamesWhatItHas(t *testing.T) {
	for _, tc := range []struct {
		e    session.Event
		want string
	}{
		{session.AuthResult{OK: true, User: "201"}, "signed in as 201"},
		{session.AuthResult{OK: true, User: "201", DisplayName: "Ana", Role: session.RoleAgent}, "signed in as Ana (agent)"},
		{session.CallRinging{CallBase: session.CallBase{CallID: "s1"}, Direction: session.DirOutbound, To: "202"}, "call s1 ringing at 202"},
		{session.CallRinging{CallBase: session.CallBase{CallID: "c1"}, Direction: session.DirInbound, From: "lobby"}, "call c1 ringing from lobby"},
	} {
		if got := Describe(tc.e, "me"); got != tc.want {
			t.Errorf("%T: %q, want %q", tc.e, got, tc.want)
		}
	}
}
