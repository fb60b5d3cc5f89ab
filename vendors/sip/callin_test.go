package sip

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
)

// bobCallsAlice: baresip dials alice through Kamailio and she answers.
func bobCallsAlice(t *testing.T, k *siplab.Kamailio, b *siplab.Baresip, a *agent) {
	t.Helper()
	if _, err := b.Command("dial", "sip:"+alice.Name+"@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("bob rings", ringing)
	if r, _ := a.State.Ringing(); !strings.Contains(r.From, bob.Name) {
		t.Errorf("caller %q", r.From)
	}
	a.MustDo("answer")
	a.WaitFor("talking", talking)
	b.WaitEvent(t, "CALL_ESTABLISHED", 5*time.Second)
	siplab.WaitTone(t, a.lastDev(t), 1000, 5*time.Second)
}

// baresip calls alice through Kamailio: she answers and each hears the
// other's tone, and DTMF crosses both ways as RFC 4733 events.
func TestCallInToneAndDTMF(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice, bob)
	b := startBob(t, k)
	a := newAgent(t, k, alice, 500, nil)
	bobCallsAlice(t, k, b, a)
	a.MustDo("dtmf 5")
	if ev := b.WaitEvent(t, "CALL_DTMF_START", 5*time.Second); fmt.Sprint(ev["param"]) != "5" {
		t.Errorf("baresip heard digit %v, want 5", ev["param"])
	}
	if _, err := b.Command("sndcode", "7"); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("alice hears the 7", func(s session.State) bool {
		c, ok := s.Talking()
		return ok && strings.Contains(c.DTMF, "7")
	})
	dev := a.lastDev(t)
	mark := dev.Stats().Played
	siplab.WaitFor(t, "a second more", 5*time.Second, func() bool { return dev.Stats().Played > mark+50 })
	a.MustDo("hangup")
	b.WaitEvent(t, "CALL_CLOSED", 5*time.Second)
	if pcm, rate := b.LastHeard(t); !siplab.HeardTone(pcm, rate, 500) {
		t.Errorf("baresip did not hear alice's 500 Hz (%d samples at %d Hz)", len(pcm), rate)
	}
}

// Hold and retrieve on a call baresip placed: the negotiated direction
// stops the audio both ways while held, and it comes back after.
func TestCallInHoldAndRetrieve(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice, bob)
	b := startBob(t, k)
	a := newAgent(t, k, alice, 500, nil)
	bobCallsAlice(t, k, b, a)
	call, err := a.b.pick(session.VerbHold, "")
	if err != nil {
		t.Fatal(err)
	}
	a.MustDo("hold")
	if p := call.Leg().Params(); p.Sending || p.Receiving {
		t.Errorf("held, the leg still sends %v / receives %v", p.Sending, p.Receiving)
	}
	a.MustDo("retrieve")
	if p := call.Leg().Params(); !p.Sending || !p.Receiving {
		t.Errorf("retrieved, the leg sends %v / receives %v", p.Sending, p.Receiving)
	}
	siplab.WaitTone(t, a.lastDev(t), 1000, 5*time.Second)
	if q := call.Leg().Quality(); q.Lost != 0 {
		t.Errorf("the hold counted as loss: %+v", q)
	}
}
