package siptrunk

import (
	"fmt"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/vendors/local/store"
)

// transferLab is a lab whose trunk both takes 9xx from Kamailio and dials
// numbers out through it: baresip "alice" calls in, baresip "2002" can be
// dialled (tones 500 and 800 Hz).
func transferLab(t *testing.T) (*lab, *siplab.Kamailio, *siplab.Baresip, *siplab.Baresip) {
	t.Helper()
	port := siplab.FreePort(t)
	listen := fmt.Sprintf("127.0.0.1:%d", port)
	k := siplab.StartKamailioTrunk(t, listen, siplab.User{Name: "alice", Password: "secret"}, siplab.User{Name: "2002", Password: "secret"})
	l := newLab(t, Config{Listen: listen, Trunk: "sip:" + k.Addr(), CallerID: "+34910000000"})
	alice := siplab.StartBaresip(t, siplab.BaresipConfig{User: "alice", Password: "secret", Registrar: k.Addr(), ToneHz: 500})
	callee := siplab.StartBaresip(t, siplab.BaresipConfig{User: "2002", Password: "secret", Registrar: k.Addr(), ToneHz: 800})
	alice.WaitRegistered(t, 10*time.Second)
	callee.WaitRegistered(t, 10*time.Second)
	return l, k, alice, callee
}

// heardMore waits until b's recording of the call it is in has grown
// by a second (8 kHz, 16-bit: 16 000 bytes) after from.
func heardMore(t *testing.T, b *siplab.Baresip, from int64, what string) {
	t.Helper()
	eventually(t, what, func() bool { return b.HeardBytes() > from+16000 })
}

// answeredByAgent: alice dials 900, ana answers, and they talk.
func answeredByAgent(t *testing.T, l *lab, k *siplab.Kamailio, alice *siplab.Baresip) *agent {
	t.Helper()
	a := l.agent("ana", 1400, "")
	a.goReady()
	if _, err := alice.Command("dial", "sip:900@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	a.MustDo("answer")
	alice.WaitEvent(t, "CALL_ESTABLISHED", wait)
	eventually(t, "agent hears alice's 500 Hz", func() bool { return hears(a.dev, 500) })
	return a
}

// TestTransferToNumber: a baresip caller reaches agent ana through
// Kamailio; ana transfers it to 2002; the trunk dials 2002 out through
// Kamailio and bridges the caller to it (two plain RTP legs), ana leaves;
// caller and callee hear each other's tone; the callee's hang-up ends the
// caller's call too. The records show the transfer: segment 1
// transferred by ana, segment 2 to 2002, answered.
func TestTransferToNumber(t *testing.T) {
	l, k, alice, callee := transferLab(t)
	defer func() {
		if t.Failed() {
			l.log.dump(t)
			for _, r := range l.calls() {
				t.Logf("record %+v", r)
			}
		}
	}()
	a := answeredByAgent(t, l, k, alice)
	a.MustDo("transfer 2002")
	a.WaitFor("ana's call gone", func(st session.State) bool { _, ok := st.Active(); return !ok })
	callee.WaitEvent(t, "CALL_INCOMING", wait)
	if _, err := callee.Command("accept", ""); err != nil {
		t.Fatal(err)
	}
	callee.WaitEvent(t, "CALL_ESTABLISHED", wait)
	eventually(t, "two plain RTP legs bridged", func() bool { return l.media.Stats().RTPLegs == 2 })
	heardMore(t, callee, 0, "the callee hears a second of the call")
	heardMore(t, alice, alice.HeardBytes(), "alice hears a second more of the call")
	if _, err := callee.Command("hangup", ""); err != nil {
		t.Fatal(err)
	}
	callee.WaitEvent(t, "CALL_CLOSED", wait)
	alice.WaitEvent(t, "CALL_CLOSED", wait)
	pcm, rate := callee.LastHeard(t)
	if !siplab.HeardTone(pcm, rate, 500) {
		t.Error("the callee did not hear alice's 500 Hz")
	}
	pcm, rate = alice.LastHeard(t)
	if !siplab.HeardTone(pcm, rate, 800) {
		t.Error("alice did not hear the callee's 800 Hz")
	}
	tr := l.record("transferred segment", func(r store.CallRecord) bool { return r.Disposition == "transferred" })
	if tr.Agent != "ana" || tr.From != "alice" || tr.Channel != "sip" || tr.Segment != 1 {
		t.Errorf("transferred record %+v", tr)
	}
	seg := l.record("the number's segment", func(r store.CallRecord) bool { return r.CallID == tr.CallID && r.Segment == 2 })
	if seg.To != "2002" || seg.From != "alice" || seg.Channel != "sip" || seg.Disposition != "answered" {
		t.Errorf("second segment %+v", seg)
	}
	eventually(t, "no live call, no relay leg", func() bool { return l.trunk.Stats().Live == 0 && l.media.Stats().RTPLegs == 0 })
}

// TestTransferToNumberCallerHangsUp: as above, and the caller's hang-up
// ends the callee's call (BYE through Kamailio).
func TestTransferToNumberCallerHangsUp(t *testing.T) {
	l, k, alice, callee := transferLab(t)
	defer func() {
		if t.Failed() {
			l.log.dump(t)
			for _, r := range l.calls() {
				t.Logf("record %+v", r)
			}
		}
	}()
	a := answeredByAgent(t, l, k, alice)
	a.MustDo("transfer 2002")
	callee.WaitEvent(t, "CALL_INCOMING", wait)
	if _, err := callee.Command("accept", ""); err != nil {
		t.Fatal(err)
	}
	callee.WaitEvent(t, "CALL_ESTABLISHED", wait)
	heardMore(t, callee, 0, "the callee hears a second of the call")
	if _, err := alice.Command("hangup", ""); err != nil {
		t.Fatal(err)
	}
	alice.WaitEvent(t, "CALL_CLOSED", wait)
	callee.WaitEvent(t, "CALL_CLOSED", wait)
	pcm, rate := callee.LastHeard(t)
	if !siplab.HeardTone(pcm, rate, 500) {
		t.Error("the callee did not hear alice's 500 Hz")
	}
	seg := l.record("the number's segment", func(r store.CallRecord) bool { return r.Segment == 2 && r.To == "2002" })
	if seg.EndedBy != string(session.ByCustomer) {
		t.Errorf("second segment %+v", seg)
	}
	eventually(t, "no live call, no relay leg", func() bool { return l.trunk.Stats().Live == 0 && l.media.Stats().RTPLegs == 0 })
}

// TestKioskTransferredToNumber: a kiosk caller (WebRTC leg) answered by
// ana is transferred to 2002; the trunk dials it out through Kamailio and
// the relay bridges the kiosk's WebRTC leg to the trunk's RTP leg; kiosk
// and callee hear each other's tone; the callee's hang-up ends the kiosk's
// call.
func TestKioskTransferredToNumber(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", siplab.User{Name: "2002", Password: "secret"})
	l := newLab(t, Config{Trunk: "sip:" + k.Addr(), CallerID: "+34910000000"})
	defer func() {
		if t.Failed() {
			l.log.dump(t)
		}
	}()
	callee := siplab.StartBaresip(t, siplab.BaresipConfig{User: "2002", Password: "secret", Registrar: k.Addr(), ToneHz: 800})
	callee.WaitRegistered(t, 10*time.Second)
	a := l.agent("ana", 1400, "")
	kiosk := l.user(session.RoleKiosk, "lobby", 700, "")
	a.goReady()
	kiosk.MustDo("call sales")
	a.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	a.MustDo("answer")
	eventually(t, "the kiosk hears ana", func() bool { return hears(kiosk.dev, 1400) })
	a.MustDo("transfer 2002")
	callee.WaitEvent(t, "CALL_INCOMING", wait)
	if _, err := callee.Command("accept", ""); err != nil {
		t.Fatal(err)
	}
	callee.WaitEvent(t, "CALL_ESTABLISHED", wait)
	eventually(t, "the kiosk hears the callee's 800 Hz", func() bool { return hears(kiosk.dev, 800) })
	heardMore(t, callee, 0, "the callee hears a second of the call")
	if _, err := callee.Command("hangup", ""); err != nil {
		t.Fatal(err)
	}
	callee.WaitEvent(t, "CALL_CLOSED", wait)
	kiosk.WaitFor("the kiosk's call ends", func(st session.State) bool { _, ok := st.Active(); return !ok })
	pcm, rate := callee.LastHeard(t)
	if !siplab.HeardTone(pcm, rate, 700) {
		t.Error("the callee did not hear the kiosk's 700 Hz")
	}
	seg := l.record("the number's segment", func(r store.CallRecord) bool { return r.To == "2002" })
	if seg.From != "lobby" || seg.Channel != "kiosk" || seg.Disposition != "answered" {
		t.Errorf("record %+v", seg)
	}
	eventually(t, "no relay RTP leg", func() bool { return l.media.Stats().RTPLegs == 0 })
}
