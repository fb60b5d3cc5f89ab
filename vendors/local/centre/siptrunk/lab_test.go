package siptrunk

import (
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/vendors/local/store"
)

// labPeers starts Kamailio routing 9xx to the lab's trunk and a baresip
// phone "alice" registered there, playing toneHz (ausine).
func labPeers(t *testing.T, l *lab, toneHz int) (*siplab.Kamailio, *siplab.Baresip) {
	t.Helper()
	k := siplab.StartKamailioTrunk(t, l.trunk.Addr().String(), siplab.User{Name: "alice", Password: "secret"})
	b := siplab.StartBaresip(t, siplab.BaresipConfig{User: "alice", Password: "secret", Registrar: k.Addr(), ToneHz: toneHz})
	b.WaitRegistered(t, 10*time.Second)
	return k, b
}

// TestBaresipThroughKamailio: a baresip phone dials 900 through Kamailio,
// a headless agent answers, each hears the other's tone, a digit the
// phone sends reaches the agent as call.dtmf, and the phone hangs up while
// talking: the record is answered, channel sip, from alice.
func TestBaresipThroughKamailio(t *testing.T) {
	l := newLab(t, Config{})
	a := l.agent("ana", 1400, "")
	a.goReady()
	k, b := labPeers(t, l, 500)
	if _, err := b.Command("dial", "sip:900@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	if rc, _ := a.State.Ringing(); rc.Remote() != "alice" {
		t.Errorf("agent sees the call from %q, want alice", rc.Remote())
	}
	a.MustDo("answer")
	b.WaitEvent(t, "CALL_ESTABLISHED", wait)
	eventually(t, "agent hears baresip's 500 Hz", func() bool { return hears(a.dev, 500) })
	if _, err := b.Command("sndcode", "5"); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("call.dtmf 5", func(st session.State) bool {
		c, ok := st.Talking()
		return ok && strings.Contains(c.DTMF, "5")
	})
	if _, err := b.Command("hangup", ""); err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_CLOSED", wait)
	a.WaitFor("agent's call ended", func(st session.State) bool { _, ok := st.Talking(); return !ok })
	pcm, rate := b.LastHeard(t)
	if !siplab.HeardTone(pcm, rate, 1400) {
		t.Error("baresip did not hear the agent's 1400 Hz")
	}
	r := l.record("answered record", func(r store.CallRecord) bool { return r.Disposition == "answered" })
	if r.Channel != "sip" || r.From != "alice" || r.Agent != "ana" || r.EndedBy != string(session.ByCustomer) {
		t.Errorf("record %+v", r)
	}
}

// TestBaresipAbandonsAndUnknownNumber: with the only agent not ready, the
// phone waits in the queue (answered, hearing music) and hangs up: the
// record is abandoned; a number with no route gets 404 through Kamailio.
func TestBaresipAbandonsAndUnknownNumber(t *testing.T) {
	l := newLab(t, Config{Routes: map[string]string{"900": "sales"}})
	a := l.agent("bo", 1400, "")
	a.MustDo("checkin sales")
	a.WaitFor("checked in", func(st session.State) bool { return st.CheckedIn })
	k, b := labPeers(t, l, 500)
	if _, err := b.Command("dial", "sip:900@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_ESTABLISHED", wait)
	eventually(t, "the caller waits in the queue", func() bool { return l.trunk.Stats().Live == 1 && l.media.Stats().RTPLegs == 1 })
	// Hear the music for a while before hanging up: the centre mixed a
	// second of it, and baresip has decoded two seconds of the call. (A
	// hang-up after the centre's second alone once left a recording in
	// which no music was found, in a CI run on a busy machine.)
	eventually(t, "music mixed for the caller", func() bool { return l.media.Stats().Mixed > 50 })
	eventually(t, "baresip to have heard 2 s of the queue", func() bool { return b.HeardBytes() > 2*16000 })
	if _, err := b.Command("hangup", ""); err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_CLOSED", wait)
	r := l.record("abandoned record", func(r store.CallRecord) bool { return r.Disposition == "abandoned" })
	if r.Channel != "sip" || r.From != "alice" || r.EndedBy != string(session.ByCustomer) {
		t.Errorf("record %+v", r)
	}
	pcm, rate := b.LastHeard(t)
	if !siplab.HeardTone(pcm, rate, 392) && !siplab.HeardTone(pcm, rate, 261.63) {
		t.Error("baresip heard no music on hold while queued")
	}

	if _, err := b.Command("dial", "sip:999@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	ev := b.WaitEvent(t, "CALL_CLOSED", wait)
	if p, _ := ev["param"].(string); !strings.Contains(p, "404") {
		t.Errorf("unknown number closed with %q, want 404", p)
	}
	if !l.log.has("no route") {
		t.Error("no log line for the 404")
	}
}
