package sip

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
)

// A SIP account has no ACD: the console's Check refuses the queue verbs
// with a reason naming the backend, and the backend refuses them too.
func TestNoACDVerbs(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice)
	a := newAgent(t, k, alice, 500, nil)
	for _, line := range []string{"checkin", "checkout", "rest", "done"} {
		c, err := session.ParseCommand(line)
		if err != nil {
			t.Fatal(err)
		}
		err = session.Check(a.State, c)
		var ce *session.CheckError
		if !errors.As(err, &ce) || !errors.Is(err, session.ErrUnsupported) || !strings.Contains(ce.Reason(), "sip has no "+line) {
			t.Errorf("%s: Check says %v, want unsupported with the reason", line, err)
		}
		if err := a.V.Send(t.Context(), c); err == nil || !strings.Contains(err.Error(), "no call-centre queue") {
			t.Errorf("%s: backend says %v", line, err)
		}
	}
	if caps := a.V.Capabilities(); caps.Has(session.VerbCheckIn) || caps.Has(session.VerbRest) || caps.Has(session.VerbBarge) {
		t.Errorf("capabilities %v", caps.List())
	}
}

// notready is do-not-disturb: a call to the agent is refused with 486
// (the caller, baresip, is told busy) until ready; after a call the
// agent is ready again, with no wrap-up.
func TestDoNotDisturb(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice, bob)
	b := startBob(t, k)
	a := newAgent(t, k, alice, 500, nil)
	a.WaitFor("ready", func(s session.State) bool { return s.Agent.State == session.AgentReady })
	a.MustDo("notready")
	a.WaitFor("do not disturb", func(s session.State) bool { return s.Agent.State == session.AgentNotReady })
	if _, err := b.Command("dial", "sip:"+alice.Name+"@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	closed := b.WaitEvent(t, "CALL_CLOSED", 5*time.Second)
	if p := fmt.Sprint(closed["param"]); !strings.Contains(p, "486") {
		t.Errorf("baresip's call closed with %q, want 486 busy", p)
	}
	a.Drain()
	if len(a.State.Calls) != 0 || len(a.State.Recent) != 0 {
		t.Errorf("a refused call reached the session: %+v %+v", a.State.Calls, a.State.Recent)
	}
	a.MustDo("ready")
	if _, err := b.Command("dial", "sip:"+alice.Name+"@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("bob rings", ringing)
	a.MustDo("answer")
	b.WaitEvent(t, "CALL_ESTABLISHED", 5*time.Second)
	a.WaitFor("talking", talking)
	if _, err := b.Command("hangup", ""); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("ready after the call", func(s session.State) bool { return idle(s) && s.Agent.State == session.AgentReady })
}
