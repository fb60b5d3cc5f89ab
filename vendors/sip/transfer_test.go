package sip

import (
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
)

// outcome is the outcome of the latest ended call.
func outcome(s session.State) string {
	if len(s.Recent) == 0 {
		return ""
	}
	return s.Recent[len(s.Recent)-1].Outcome
}

// talkToBob: alice dials baresip bob, bob answers, alice hears him.
func talkToBob(t *testing.T, b *siplab.Baresip, a *agent) {
	t.Helper()
	a.MustDo("dial " + bob.Name)
	b.WaitEvent(t, "CALL_INCOMING", 5*time.Second)
	if _, err := b.Command("accept", ""); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("talking to bob", talking)
	siplab.WaitTone(t, a.lastDev(t), 1000, 5*time.Second)
}

// Blind transfer from the console: `transfer 203` REFERs baresip bob to
// carol; the NOTIFY 200 ends alice's call as transferred and bob talks
// to carol (she hears his 1000 Hz).
func TestConsoleBlindTransfer(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice, bob, carol)
	b := startBob(t, k)
	a := newAgent(t, k, alice, 500, nil)
	c := newAgent(t, k, carol, 700, nil)
	talkToBob(t, b, a)
	a.MustDo("transfer " + carol.Name)
	c.WaitFor("bob rings carol", ringing)
	if r, _ := c.State.Ringing(); !strings.Contains(r.From, bob.Name) {
		t.Errorf("carol sees the call from %q, want bob", r.From)
	}
	// bob's progress NOTIFY (baresip 1.0 sends 100 Trying, then the
	// final 200) reaches alice's console while carol rings.
	a.WaitFor("transfer progress", func(s session.State) bool {
		x, ok := s.Talking()
		return ok && x.Transfer.Status >= 100 && x.Transfer.Status < 200 && x.Transfer.To == carol.Name
	})
	if x, _ := a.State.Talking(); x.Transfer.Status != 100 || x.Transfer.Reason != "Trying" {
		t.Logf("transfer progress %+v", x.Transfer)
	}
	c.MustDo("answer")
	a.WaitFor("the call left by transfer", func(s session.State) bool { return idle(s) && outcome(s) != "" })
	if got := outcome(a.State); got != "transferred to "+carol.Name {
		t.Errorf("alice's call outcome %q", got)
	}
	c.WaitFor("carol talking", talking)
	siplab.WaitTone(t, c.lastDev(t), 1000, 5*time.Second)
}

// Attended transfer: alice holds bob, calls carol, then `transfer 203`
// hands bob over (REFER with Replaces of the consult call). baresip 1.0
// drops the Replaces, so carol sees a second call and takes it; alice's
// two calls end, bob talks to carol.
func TestConsoleAttendedTransfer(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice, bob, carol)
	b := startBob(t, k)
	a := newAgent(t, k, alice, 500, nil)
	c := newAgent(t, k, carol, 700, nil)
	talkToBob(t, b, a)
	a.MustDo("hold")
	a.MustDo("dial " + carol.Name)
	c.WaitFor("alice rings carol", ringing)
	c.MustDo("answer")
	a.WaitFor("consulting carol", talking)
	siplab.WaitTone(t, a.lastDev(t), 700, 5*time.Second)
	a.MustDo("transfer " + carol.Name)
	c.WaitFor("bob rings carol", ringing)
	c.MustDo("hold")
	r, _ := c.State.Ringing()
	c.do(t, session.Command{Verb: session.VerbAnswer, CallID: r.ID})
	a.WaitFor("both calls over", idle)
	c.WaitFor("only bob left", func(s session.State) bool { return len(s.Calls) == 1 && talking(s) })
	siplab.WaitTone(t, c.lastDev(t), 1000, 5*time.Second)
}

// Cancel back: alice holds bob, calls carol, hangs the consult call up
// and retrieves bob.
func TestConsoleConsultCancelledBack(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice, bob, carol)
	b := startBob(t, k)
	a := newAgent(t, k, alice, 500, nil)
	c := newAgent(t, k, carol, 700, nil)
	talkToBob(t, b, a)
	a.MustDo("hold")
	a.MustDo("dial " + carol.Name)
	c.WaitFor("alice rings carol", ringing)
	c.MustDo("answer")
	a.WaitFor("consulting carol", talking)
	tc, _ := a.State.Talking()
	a.do(t, session.Command{Verb: session.VerbHangup, CallID: tc.ID})
	c.WaitFor("carol idle", idle)
	a.MustDo("retrieve")
	a.WaitFor("back with bob", talking)
	a.mu.Lock()
	first := a.devs[0] // bob's call
	a.mu.Unlock()
	siplab.WaitTone(t, first, 1000, 5*time.Second)
}

// baresip bob transfers his call with alice to carol (a REFER to us):
// alice calls carol herself, tells bob it worked (NOTIFY), bob leaves,
// and alice talks to carol.
func TestTransferredByTheFarEnd(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice, bob, carol)
	b := startBob(t, k)
	a := newAgent(t, k, alice, 500, nil)
	c := newAgent(t, k, carol, 700, nil)
	if _, err := b.Command("dial", "sip:"+alice.Name+"@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("bob rings", ringing)
	a.MustDo("answer")
	a.WaitFor("talking to bob", talking)
	b.WaitEvent(t, "CALL_ESTABLISHED", 5*time.Second)
	if out, err := b.Command("transfer", "sip:"+carol.Name+"@"+k.Addr()); err != nil {
		t.Fatalf("baresip transfer: %v %s", err, out)
	}
	c.WaitFor("alice rings carol", ringing)
	c.MustDo("answer")
	a.WaitFor("only carol left", func(s session.State) bool {
		cl, ok := s.Talking()
		return ok && len(s.Calls) == 1 && cl.Remote() == carol.Name
	})
	siplab.WaitTone(t, a.lastDev(t), 700, 5*time.Second)
	siplab.WaitTone(t, c.lastDev(t), 500, 5*time.Second)
}

// A blind transfer to a number nobody has: baresip's NOTIFY carries the
// 404, the console is told (command.failed) and the call stays.
func TestFailedTransferKeepsTheCall(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice, bob)
	b := startBob(t, k)
	a := newAgent(t, k, alice, 500, nil)
	talkToBob(t, b, a)
	a.MustDo("transfer 209")
	a.WaitFor("the transfer failed", func(s session.State) bool {
		return s.LastFailure != nil && s.LastFailure.Command == string(session.VerbTransfer)
	})
	if got := a.State.LastFailure.Reason; got != "transfer to 209 failed: no such number" {
		t.Errorf("failure %q", got)
	}
	if x, _ := a.State.Talking(); x.Transfer.Status != 404 || !x.Transfer.Failed() {
		t.Errorf("transfer progress %+v, want the 404", x.Transfer)
	}
	if _, ok := a.State.Talking(); !ok || len(a.State.Recent) != 0 {
		t.Errorf("the call did not stay: calls %+v recent %+v", a.State.Calls, a.State.Recent)
	}
}
