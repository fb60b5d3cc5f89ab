package sip

import (
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
)

// Failure answers from a sipp callee (dialled through Kamailio) become
// call.failed with the reason people understand.
func TestFailureCodesFromSipp(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice)
	a := newAgent(t, k, alice, 500, nil)
	xml := siplab.SippScenario(t, siplab.SippUASFail)
	for _, tc := range []struct {
		code, want string
	}{{"486", "busy"}, {"404", "no such number"}, {"480", "unavailable"}, {"603", "declined"}, {"408", "no answer"}} {
		s := siplab.StartSippXML(t, strings.ReplaceAll(xml, "[$code]", tc.code), "")
		n := len(a.State.Recent)
		a.MustDo("dial sip:" + tc.code + "@" + s.Addr())
		a.WaitFor(tc.code+" ends the call", func(st session.State) bool { return len(st.Recent) > n && idle(st) })
		if got := outcome(a.State); got != "failed: "+tc.want {
			t.Errorf("%s: outcome %q, want failed: %s\n%s", tc.code, got, tc.want, s.Log())
		}
	}
}

// A sipp caller that CANCELs while we ring: a missed call (ended by the
// caller, never answered).
func TestCancelBeforeAnswerIsMissed(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice)
	a := newAgent(t, k, alice, 500, nil)
	s := siplab.StartSipp(t, siplab.SippUACCancel, k.Addr(), "-s", alice.Name, "-m", "1")
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(s.Log())
		}
	})
	a.WaitFor("sipp rings", ringing)
	a.WaitFor("the caller gave up", func(st session.State) bool { return idle(st) && len(st.Recent) == 1 })
	c := a.State.Recent[0]
	if c.Direction != session.DirInbound || !c.Answered.IsZero() || c.EndedBy != session.ByCustomer || !strings.Contains(c.From, "7001") {
		t.Errorf("missed call recorded as %+v", c)
	}
	s.Wait(t, 10*time.Second)
}

// A sipp caller takes over its answered call with an INVITE carrying
// Replaces: the first call ends, the second is answered without ringing
// the agent, and ends with sipp's BYE.
func TestInviteWithReplacesFromSipp(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice)
	a := newAgent(t, k, alice, 500, nil)
	s := siplab.StartSipp(t, siplab.SippUACReplaces, k.Addr(), "-s", alice.Name, "-m", "1")
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(s.Log())
			t.Log(k.Log())
		}
	})
	a.WaitFor("sipp rings", ringing)
	a.MustDo("answer")
	first, _ := a.State.Talking()
	a.WaitFor("the call is replaced", func(st session.State) bool {
		c, ok := st.Talking()
		return ok && c.ID != first.ID && len(st.Calls) == 1
	})
	a.WaitFor("sipp hangs up", func(st session.State) bool { return idle(st) && len(st.Recent) == 2 })
	s.Wait(t, 10*time.Second)
	if r := a.State.Recent; r[0].ID != first.ID || r[1].Answered.IsZero() || !strings.Contains(r[1].From, "7002") {
		t.Errorf("calls: %+v", r)
	}
}
