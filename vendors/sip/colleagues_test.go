package sip

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
)

// alice watches baresip bob (colleagues = 202): her roster follows him
// from ready to ringing to on a call and back while carol calls him;
// then baresip dave calls alice and she transfers him to agent:202, the
// roster's entry, and bob hears dave.
func TestColleaguesOnTheRoster(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice, bob, carol, dave)
	b := startBob(t, k)
	a := newAgent(t, k, alice, 500, map[string]string{"colleagues": bob.Name})
	c := newAgent(t, k, carol, 700, nil)
	bobIs := func(what string, st session.AgentState, reason string) {
		t.Helper()
		a.WaitFor("bob "+what, func(s session.State) bool {
			r, ok := s.Roster[bob.Name]
			return ok && r.State == st && r.Reason == reason
		})
	}
	bobIs("ready", session.AgentReady, "")
	c.MustDo("dial " + bob.Name)
	b.WaitEvent(t, "CALL_INCOMING", 5*time.Second)
	bobIs("ringing", session.AgentBusy, "ringing")
	if _, err := b.Command("accept", ""); err != nil {
		t.Fatal(err)
	}
	bobIs("on a call", session.AgentBusy, "on a call")
	c.WaitFor("carol talking", talking)
	c.MustDo("hangup")
	bobIs("ready again", session.AgentReady, "")

	// dave, another baresip phone, calls alice; she hands him to bob.
	d := siplab.StartBaresip(t, siplab.BaresipConfig{User: dave.Name, Password: dave.Password, Registrar: k.Addr(), ToneHz: 1400})
	d.WaitRegistered(t, 5*time.Second)
	if _, err := d.Command("dial", "sip:"+alice.Name+"@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("dave rings alice", ringing)
	a.MustDo("answer")
	a.WaitFor("talking to dave", talking)
	a.MustDo("transfer agent:" + bob.Name)
	b.WaitEvent(t, "CALL_INCOMING", 5*time.Second)
	if _, err := b.Command("accept", ""); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("the call left", func(s session.State) bool { return idle(s) && outcome(s) == "transferred to "+bob.Name })
	bobIs("on a call with dave", session.AgentBusy, "on a call")
	b.WaitEvent(t, "CALL_ESTABLISHED", 5*time.Second)
	siplab.WaitFor(t, "bob hears dave for a second", 5*time.Second, func() bool { return b.HeardBytes() > 24000 })
	if _, err := b.Command("hangup", ""); err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_CLOSED", 5*time.Second)
	if pcm, rate := b.LastHeard(t); !siplab.HeardTone(pcm, rate, 1400) {
		t.Errorf("bob did not hear dave's 1400 Hz after the transfer")
	}
}
