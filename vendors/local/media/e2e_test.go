package media_test

import (
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/rtc"
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
			t.Logf("%s: tone %.3f, chirp ncc %.3f, speech ncc %.3f, lag %.1f ms, forwarded %d mixed %d, late %v",
				codec, res.tone, res.chirp, res.speech, res.lagMS, res.stats.Forwarded, res.stats.Mixed, res.late)
			if res.tone < 0.1 {
				t.Errorf("1 kHz tone amplitude %.3f at the agent, want about 0.3", res.tone)
			}
			if res.chirp < 0.9 || res.speech < 0.9 {
				t.Errorf("correlation chirp %.3f speech %.3f, want >= 0.9", res.chirp, res.speech)
			}
			if res.digits != "159#*0" {
				t.Errorf("digits received %q, sent 159#*0", res.digits)
			}
			if res.stats.Forwarded == 0 || res.stats.Mixed != 0 {
				t.Errorf("same codec both ends: want forwarding only, got %+v", res.stats)
			}
			// Both legs ran their own SRTP (fast.go) on the shared
			// sockets: every packet the relay received, it decrypted
			// itself, and what it sent it encrypted itself; none failed.
			ownSRTP(t, res.stats)
			if s := res.stats.Sockets; s.Reads == 0 || s.Writes == 0 {
				t.Errorf("the legs' packets did not go through the shared sockets: %+v", s)
			}
			// The taps sent what they forwarded from their queues
			// (udpbatch.Queue), on the socket that read it: the call's
			// legs share one.
			if s := res.stats.Sockets; s.Queued+10 < res.stats.Forwarded || s.QueueCalls == 0 {
				t.Errorf("%d forwarded, %d of them from the taps' queues in %d calls", res.stats.Forwarded, s.Queued, s.QueueCalls)
			}
		})
	}
}

// TestSpeechThroughPionsSRTP: the same call with the legs' SRTP left in
// pion's sessions (Config.PionSRTP), the path a leg keeps when it cannot
// arm its own.
func TestSpeechThroughPionsSRTP(t *testing.T) {
	res := speechCallWith(t, media.Config{PionSRTP: true}, "pcmu", nil)
	t.Logf("chirp ncc %.3f, speech ncc %.3f", res.chirp, res.speech)
	if res.chirp < 0.9 || res.speech < 0.9 {
		t.Errorf("correlation chirp %.3f speech %.3f, want >= 0.9", res.chirp, res.speech)
	}
	if res.digits != "159#*0" {
		t.Errorf("digits received %q, sent 159#*0", res.digits)
	}
	if st := res.stats; st.OwnLegs != 0 || st.OwnIn != 0 || st.Forwarded == 0 {
		t.Errorf("want pion's SRTP only: %+v", st)
	}
}

// TestSpeechThroughASocketPerLeg: the same call with a socket per leg
// (Config.SocketPerLeg): each leg's socket connected itself to its
// phone early in the seconds-long signal, and the speech went through
// the legs' own SRTP.
func TestSpeechThroughASocketPerLeg(t *testing.T) {
	res := speechCallWith(t, media.Config{SocketPerLeg: true}, "pcmu", nil)
	t.Logf("chirp ncc %.3f, speech ncc %.3f; latch %+v", res.chirp, res.speech, res.stats.Latch)
	if res.chirp < 0.9 || res.speech < 0.9 {
		t.Errorf("correlation chirp %.3f speech %.3f, want >= 0.9", res.chirp, res.speech)
	}
	if res.digits != "159#*0" {
		t.Errorf("digits received %q, sent 159#*0", res.digits)
	}
	if l := res.stats.Latch; l.Latches < 2 && runtime.GOOS == "linux" {
		t.Errorf("the legs' sockets did not latch to their phones: %+v", l)
	}
	if s := res.stats.Sockets; s.Reads != 0 {
		t.Errorf("a socket per leg, but the shared sockets read %d datagrams", s.Reads)
	}
	ownSRTP(t, res.stats)
}

// ownSRTP checks that both legs of a call ran their own SRTP, for every
// packet but the few that may come before pion fires OnTrack (fast.go),
// and that none failed.
func ownSRTP(t *testing.T, st media.Stats) {
	t.Helper()
	// The counters are read while the call still runs, a leg's after
	// the other's: a few packets may be counted at one end and not yet
	// at the other.
	if st.OwnLegs != 2 || st.OwnRejected != 0 || st.OwnIn > st.Received || st.OwnIn+5 < st.Received || st.OwnOut+5 < st.Forwarded {
		t.Errorf("the legs' own SRTP: %d legs armed, %d in, %d out, %d rejected; received %d, forwarded %d",
			st.OwnLegs, st.OwnIn, st.OwnOut, st.OwnRejected, st.Received, st.Forwarded)
	}
}

type speechResult struct {
	tone, chirp, speech, lagMS float64
	stats                      media.Stats
	q                          rtc.QualityReport
	digits                     string
	late                       time.Duration
	agent                      *party
	kiosk                      *party
}

// speechCall plays the test signal from a kiosk to an agent through a
// centre and measures what the agent heard.
func speechCall(t *testing.T, codec string, drop func() func(uint16) bool) speechResult {
	return speechCallWith(t, media.Config{}, codec, drop)
}

// speechCallWith is speechCall through a centre with cfg.
func speechCallWith(t *testing.T, cfg media.Config, codec string, drop func() func(uint16) bool) speechResult {
	sig, speechAt := testSignal(t)
	c := newCentre(t, cfg)
	opts := map[string]string{"codec": codec}
	agentDev := newTap(nil, 0)
	var ad, kd func(uint16) bool
	if drop != nil {
		ad, kd = drop(), drop()
	}
	agent := c.signIn(session.RoleAgent, "ana", agentDev, opts, ad)
	kioskDev := newTap(nil, 0)
	kiosk := c.signIn(session.RoleKiosk, "lobby", kioskDev, opts, kd)
	connect(t, kiosk, agent)
	// Start the signal once media flows: the agent's speaker runs.
	agentDev.await(t, agentDev.mark()+samples(200e6))
	kioskDev.mu.Lock()
	kioskDev.in, kioskDev.pos = sig, 0
	kioskDev.mu.Unlock()
	from := agentDev.mark()
	agentDev.wp.late.Store(0)
	kioskDev.rp.late.Store(0)
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
	r.late = time.Duration(max(agentDev.wp.late.Load(), kioskDev.rp.late.Load()))
	r.agent, r.kiosk = agent, kiosk
	r.q, _ = agent.cl.Phone.Quality("")
	r.digits = dtmf(t, agent, kiosk, "159#*0")
	return r
}

// dtmf sends digits from one party and returns what the other's phone
// received as RFC 4733 events through the centre.
func dtmf(t *testing.T, from, to *party, digits string) string {
	t.Helper()
	from.MustDo("dtmf " + digits)
	return digitsOf(t, to, len(digits))
}

// digitsOf waits for n digits at p's phone (or the deadline) and returns
// them.
func digitsOf(t *testing.T, p *party, n int) string {
	t.Helper()
	var got []rune
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for len(got) < n {
		select {
		case d := <-p.digits:
			got = append(got, d)
		case <-deadline.C:
			t.Errorf("dtmf: received %q of %d digits", string(got), n)
			return string(got)
		}
	}
	// A digit passed on twice would show up here.
	select {
	case d := <-p.digits:
		got = append(got, d)
	case <-time.After(300 * time.Millisecond):
	}
	return string(got)
}

// TestSpeechUnderLoss: 5 % random loss on both phones' sending; speech
// still correlates, DTMF arrives whole, and the quality data shows the loss.
func TestSpeechUnderLoss(t *testing.T) {
	codecs := []string{"pcmu"} // G.711 conceals as its Appendix I
	if audio.OpusAvailable {
		codecs = append(codecs, "opus")
	}
	for _, codec := range codecs {
		t.Run(codec, func(t *testing.T) { testSpeechUnderLoss(t, codec) })
	}
}

func testSpeechUnderLoss(t *testing.T, codec string) {
	var seed atomic.Uint64
	drop := func() func(uint16) bool {
		r := rand.New(rand.NewPCG(seed.Add(1), 7))
		return func(uint16) bool { return r.Float64() < 0.05 }
	}
	res := speechCall(t, codec, drop)
	t.Logf("%s with 5%% loss: tone %.3f, chirp ncc %.3f, speech ncc %.3f, lag %.1f ms; agent measures loss %.1f%% jitter %v MOS %.2f degraded %v (%s)",
		codec, res.tone, res.chirp, res.speech, res.lagMS, 100*res.q.Loss, res.q.Jitter, res.q.MOS, res.q.Degraded, res.q.Reason)
	if res.speech < 0.8 {
		t.Errorf("speech ncc %.3f under 5%% loss, want >= 0.8", res.speech)
	}
	if res.q.Loss < 0.02 || res.q.Loss > 0.12 {
		t.Errorf("agent measured loss %.1f%%, want about 5%% (kiosk to centre)", 100*res.q.Loss)
	}
	if res.digits != "159#*0" {
		t.Errorf("digits received %q under loss, sent 159#*0", res.digits)
	}
	res.agent.WaitFor("call.quality shows the loss", func(st session.State) bool {
		for _, e := range res.agent.Seen {
			if q, ok := e.(session.CallQuality); ok && q.LossPct >= 2 {
				return true
			}
		}
		return false
	})
}
