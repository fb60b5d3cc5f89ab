package sip

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
)

// A call through Kamailio between the backend and baresip, plain RTP
// and SDES SRTP (baresip's srtp module, mandatory on both sides): each
// hears the other's tone (alice 500 Hz on her speaker, baresip 1000 Hz in
// its decoder dump), and call.quality reports the call good.
func TestToneBothWaysThroughKamailio(t *testing.T) {
	qualityEvery = 300 * time.Millisecond
	t.Cleanup(func() { qualityEvery = 5 * time.Second })
	for _, tc := range []struct {
		name, srtp, mediaenc string
	}{
		{"plain", "off", ""},
		{"sdes", "mandatory", ";mediaenc=srtp-mand"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := siplab.StartKamailio(t, "MD5", alice, bob)
			b := siplab.StartBaresip(t, siplab.BaresipConfig{User: bob.Name, Password: bob.Password, Registrar: k.Addr(), ToneHz: 1000, Extra: tc.mediaenc})
			b.WaitRegistered(t, 5*time.Second)
			t.Cleanup(func() {
				if t.Failed() {
					t.Log(b.Log())
				}
			})
			a := newAgent(t, k, alice, 500, map[string]string{"srtp": tc.srtp})
			a.MustDo("dial " + bob.Name)
			b.WaitEvent(t, "CALL_INCOMING", 5*time.Second)
			if _, err := b.Command("accept", ""); err != nil {
				t.Fatal(err)
			}
			a.WaitFor("talking", talking)
			siplab.WaitTone(t, a.lastDev(t), 1000, 5*time.Second)
			a.WaitFor("call.quality", func(s session.State) bool {
				c, ok := s.Talking()
				return ok && c.HasQuality && c.Quality.MOS > 3.5
			})
			if c, _ := a.State.Talking(); c.Quality.LossPct > 1 {
				t.Errorf("quality on loopback: %+v", c.Quality)
			}
			// The console's VU meters (vendors.Metered) see both tones.
			if mic, spk, ok := a.b.Levels(); !ok || mic < -30 || spk < -40 {
				t.Errorf("levels: mic %.1f dBFS, speaker %.1f dBFS, ok %v", mic, spk, ok)
			}
			call, err := a.b.pick(session.VerbHangup, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := call.Leg().Params().SRTP != nil; got != (tc.srtp == "mandatory") {
				t.Errorf("SRTP in use: %v", got)
			}
			// Let baresip hear us for a second (the paced device is the clock).
			dev := a.lastDev(t)
			mark := dev.Stats().Played
			siplab.WaitFor(t, "a second of call", 5*time.Second, func() bool { return dev.Stats().Played > mark+50 })
			a.MustDo("hangup")
			b.WaitEvent(t, "CALL_CLOSED", 5*time.Second)
			pcm, rate := b.LastHeard(t)
			if !siplab.HeardTone(pcm, rate, 500) {
				t.Errorf("baresip did not hear alice's 500 Hz (%d samples at %d Hz)", len(pcm), rate)
			}
			if siplab.HeardTone(pcm, rate, 1700) {
				t.Error("the check hears a 1700 Hz tone nobody played")
			}
		})
	}
}
