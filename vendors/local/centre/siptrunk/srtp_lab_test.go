package siptrunk

import (
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/sdp"
	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/vendors/local/store"
)

// srtpPeers is labPeers with baresip's account parameters extra
// (";mediaenc=srtp-mand").
func srtpPeers(t *testing.T, l *lab, toneHz int, extra string) (*siplab.Kamailio, *siplab.Baresip) {
	t.Helper()
	k := siplab.StartKamailioTrunk(t, l.trunk.Addr().String(), siplab.User{Name: "alice", Password: "secret"})
	b := siplab.StartBaresip(t, siplab.BaresipConfig{User: "alice", Password: "secret", Registrar: k.Addr(), ToneHz: toneHz,
		Extra: ";audio_codecs=PCMU,PCMA" + extra})
	b.WaitRegistered(t, 10*time.Second)
	return k, b
}

// srtpKeyed reports whether the trunk's one live call runs SDES SRTP.
func srtpKeyed(l *lab) (keyed, one bool) {
	l.trunk.mu.Lock()
	defer l.trunk.mu.Unlock()
	if len(l.trunk.calls) != 1 {
		return false, false
	}
	for _, c := range l.trunk.calls {
		return c.leg.Params().SRTP != nil, true
	}
	return false, false
}

// TestBaresipSRTP: baresip offers SDES SRTP through Kamailio (srtp: an
// RTP/AVP offer with crypto lines, which the centre's default "optional"
// takes; srtp-mand: RTP/SAVP to a centre with srtp = mandatory); the
// centre keys the leg, an agent answers and each hears the other's tone
// (Goertzel), so both directions decrypt.
func TestBaresipSRTP(t *testing.T) {
	for _, tc := range []struct {
		name, mediaenc string
		mode           sdp.SRTPMode
	}{
		{"optional", ";mediaenc=srtp", ""},
		{"mandatory", ";mediaenc=srtp-mand", sdp.SRTPMandatory},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLab(t, Config{SRTP: tc.mode})
			defer func() {
				if t.Failed() {
					l.log.dump(t)
				}
			}()
			a := l.agent("ana", 1400, "")
			a.goReady()
			k, b := srtpPeers(t, l, 500, tc.mediaenc)
			if _, err := b.Command("dial", "sip:900@"+k.Addr()); err != nil {
				t.Fatal(err)
			}
			a.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
			if keyed, one := srtpKeyed(l); !one || !keyed {
				t.Fatalf("the caller's leg is not SRTP (one call: %v)", one)
			}
			a.MustDo("answer")
			b.WaitEvent(t, "CALL_ESTABLISHED", wait)
			eventually(t, "agent hears baresip's 500 Hz over SRTP", func() bool { return hears(a.dev, 500) })
			// Let baresip hear the agent for a while before hanging up.
			start := b.HeardBytes()
			eventually(t, "baresip receives audio", func() bool { return b.HeardBytes() > start+32000 })
			if _, err := b.Command("hangup", ""); err != nil {
				t.Fatal(err)
			}
			b.WaitEvent(t, "CALL_CLOSED", wait)
			pcm, rate := b.LastHeard(t)
			if !siplab.HeardTone(pcm, rate, 1400) {
				t.Error("baresip did not hear the agent's 1400 Hz over SRTP")
			}
			r := l.record("answered record", func(r store.CallRecord) bool { return r.Disposition == "answered" })
			if r.Channel != "sip" || r.From != "alice" {
				t.Errorf("record %+v", r)
			}
		})
	}
}

// TestSRTPMandatoryRefusesPlainOffer: a centre with srtp = mandatory
// answers a plain RTP offer from baresip (through Kamailio) with 488, a
// log line and no call record.
func TestSRTPMandatoryRefusesPlainOffer(t *testing.T) {
	l := newLab(t, Config{SRTP: sdp.SRTPMandatory})
	a := l.agent("ana", 1400, "")
	a.goReady()
	k, b := srtpPeers(t, l, 500, "")
	if _, err := b.Command("dial", "sip:900@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	ev := b.WaitEvent(t, "CALL_CLOSED", wait)
	if p, _ := ev["param"].(string); !strings.Contains(p, "488") {
		t.Errorf("plain offer to a mandatory centre closed with %q, want 488", p)
	}
	if !l.log.has("offer:") {
		l.log.dump(t)
		t.Error("no log line for the 488")
	}
	if n := len(l.calls()); n != 0 {
		t.Errorf("%d call records for a refused offer, want none", n)
	}
}
