package media_test

import (
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/media"
)

// TestHoldRetrieveAudioReturns: a tone each way through hold and
// retrieve over real WebRTC legs. Each tone is back at the other end
// within a second of retrieve, and the held stream does not count as
// loss at either phone (issue 14: the demo showed "poor network: MOS 2.9,
// loss 17.8 %" after a hold).
func TestHoldRetrieveAudioReturns(t *testing.T) {
	codecs := []string{"pcmu"}
	if audio.OpusAvailable {
		codecs = append(codecs, "opus")
	}
	for _, codec := range codecs {
		t.Run(codec, func(t *testing.T) { testHoldRetrieve(t, codec) })
	}
}

func testHoldRetrieve(t *testing.T, codec string) {
	c := newCentre(t, media.Config{})
	opts := map[string]string{"codec": codec}
	kd, ad := newTap(nil, kioskHz), newTap(nil, agentHz)
	agent := c.signIn(session.RoleAgent, "ana", ad, opts, nil)
	kiosk := c.signIn(session.RoleKiosk, "lobby", kd, opts, nil)
	connect(t, kiosk, agent)
	const span = 500 * time.Millisecond
	expect(t, "talk", "kiosk", kd.window(t, 400*time.Millisecond, span), heard{agentHz: true})
	expect(t, "talk", "agent", ad.window(t, 0, span), heard{kioskHz: true})

	agent.MustDo("hold")
	kiosk.WaitFor("kiosk held", func(st session.State) bool { _, ok := st.Held(); return ok })
	// Two seconds on hold: about 100 packets each way the agent does not get.
	kd.window(t, 0, 2*time.Second)
	expect(t, "hold", "agent", ad.window(t, 0, 300*time.Millisecond), heard{kioskHz: false})

	agent.MustDo("retrieve")
	kiosk.WaitFor("kiosk retrieved", func(st session.State) bool { _, ok := st.Held(); return !ok && talking(st) })
	// The second after retrieve: its last half must carry the tone.
	expect(t, "retrieved", "kiosk", kd.window(t, span, span), heard{agentHz: true})
	expect(t, "retrieved", "agent", ad.window(t, 0, span), heard{kioskHz: true})

	for _, p := range []struct {
		who string
		p   *party
	}{{"agent", agent}, {"kiosk", kiosk}} {
		q, ok := p.p.cl.Phone.Quality("")
		if !ok {
			t.Fatalf("%s: no quality report", p.who)
		}
		t.Logf("%s after hold: loss %.1f %% of %d expected, jitter %v, MOS %.2f degraded %v %s",
			p.who, 100*q.Loss, q.Expected, q.Jitter, q.MOS, q.Degraded, q.Reason)
		if q.Loss > 0.02 || q.Degraded {
			t.Errorf("%s: the held stream counts as loss: %.1f %% (MOS %.2f, %s)", p.who, 100*q.Loss, q.MOS, q.Reason)
		}
	}
}
