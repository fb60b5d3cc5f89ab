package media_test

import (
	"testing"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/media"
)

// TestSpeechThroughTheCentre: a WAV signal goes in at the kiosk's
// microphone, through the kiosk's leg, the centre and the agent's leg, and
// comes out of the agent's speaker matching, for each codec.
func TestSpeechThroughTheCentre(t *testing.T) {
	for _, codec := range []string{"opus", "pcmu"} {
		t.Run(codec, func(t *testing.T) {
			if codec == "opus" && !audio.OpusAvailable {
				t.Skip("opus not built in")
			}
			res := speechCall(t, codec, nil)
			t.Logf("%s: tone %.3f, chirp ncc %.3f, speech ncc %.3f, lag %.1f ms, forwarded %d mixed %d",
				codec, res.tone, res.chirp, res.speech, res.lagMS, res.stats.Forwarded, res.stats.Mixed)
			if res.tone < 0.1 {
				t.Errorf("1 kHz tone amplitude %.3f at the agent, want about 0.3", res.tone)
			}
			if res.chirp < 0.9 || res.speech < 0.9 {
				t.Errorf("correlation chirp %.3f speech %.3f, want >= 0.9", res.chirp, res.speech)
			}
			if res.stats.Forwarded == 0 || res.stats.Mixed != 0 {
				t.Errorf("same codec both ends: want forwarding only, got %+v", res.stats)
			}
		})
	}
}

type speechResult struct {
	tone, chirp, speech, lagMS float64
	stats                      media.Stats
	agent                      *party
	kiosk                      *party
}

// speechCall plays the test signal from a kiosk to an agent through a
// centre and measures what the agent heard.
func speechCall(t *testing.T, codec string, drop func(uint16) bool) speechResult {
	sig, speechAt := testSignal(t)
	c := newCentre(t, media.Config{})
	opts := map[string]string{"codec": codec}
	agentDev := newTap(nil, 0)
	agent := c.signIn(session.RoleAgent, "ana", agentDev, opts, nil)
	kioskDev := newTap(nil, 0)
	kiosk := c.signIn(session.RoleKiosk, "lobby", kioskDev, opts, drop)
	connect(t, kiosk, agent)
	// Start the signal once media flows: the agent's speaker runs.
	agentDev.await(t, agentDev.mark()+samples(200e6))
	kioskDev.mu.Lock()
	kioskDev.in, kioskDev.pos = sig, 0
	kioskDev.mu.Unlock()
	from := agentDev.mark()
	heard := agentDev.await(t, from+len(sig)+samples(500e6))[from:]
	lag := bestLag(sig, heard)
	var r speechResult
	r.lagMS = float64(lag) * 1000 / audio.SampleRate
	toneEnd := samples(500e6)
	if lag+toneEnd <= len(heard) {
		r.tone = toneAmp(heard[lag+samples(100e6):lag+toneEnd-samples(100e6)], 1000)
	}
	r.chirp = windowNCC(sig, heard, lag, samples(700e6), samples(1700e6))
	r.speech = windowNCC(sig, heard, lag, speechAt, len(sig))
	r.stats = c.media.Stats()
	r.agent, r.kiosk = agent, kiosk
	return r
}
