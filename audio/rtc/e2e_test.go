package rtc

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
	"go.uber.org/goleak"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
	"github.com/agentty/agentty/audio/quality"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testSignal is 0.5 s of 1 kHz, 0.2 s of silence, then speech from
// espeak-ng (or a 300-3000 Hz chirp when espeak-ng is missing).
func testSignal(t *testing.T) []int16 {
	t.Helper()
	sig := make([]int16, audio.SampleRate/2+audio.SampleRate/5)
	(&audio.Tone{Freqs: []float64{1000}, Amplitude: 0.3}).Fill(sig[:audio.SampleRate/2])
	wav := filepath.Join(t.TempDir(), "speech.wav")
	var speech []int16
	if err := exec.Command("espeak-ng", "-w", wav, "agent ready, one two three").Run(); err == nil {
		w, err := device.NewWAV(device.WAVConfig{InPath: wav})
		if err != nil {
			t.Fatal(err)
		}
		f := make([]int16, audio.FrameSamples)
		for w.ReadFrame(context.Background(), f) == nil {
			speech = append(speech, f...)
		}
	} else {
		t.Logf("espeak-ng unavailable (%v): using a chirp", err)
		n := 2 * audio.SampleRate
		speech = make([]int16, n)
		for i := range speech {
			x := float64(i) / audio.SampleRate
			speech[i] = int16(9000 * math.Sin(2*math.Pi*(300*x+675*x*x)))
		}
	}
	return append(sig, speech...)
}

// recorder is a Sink that keeps frames and signals when it holds want.
type recorder struct {
	mu   sync.Mutex
	pcm  []int16
	want int
	full chan struct{}
}

func (r *recorder) WriteFrame(_ context.Context, f []int16) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pcm = append(r.pcm, f...)
	if len(r.pcm) >= r.want && r.full != nil {
		close(r.full)
		r.full = nil
	}
	return nil
}

func (r *recorder) samples() []int16 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int16(nil), r.pcm...)
}

type callResult struct {
	ncc     float64 // at one global lag
	aligned float64 // per 250 ms window (see alignedNCC)
	sigLoss float64 // loss applied to the signal's packets
	lag     time.Duration
	tone    float64
	digits  string
	in      Stats
	sent    uint64
	dropped uint64
	mos     float64
	rtt     time.Duration
}

// call connects two peer connections on loopback, plays sig from A to B
// with the given loss, then sends digits, and measures what B heard.
func call(t *testing.T, codec string, loss float64, sig []int16, digits string) callResult {
	t.Helper()
	api, err := NewAPI(APIConfig{Codecs: []string{codec}, LoopbackOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	pcA, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	defer pcA.Close()
	pcB, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	defer pcB.Close()

	src, _ := device.NewWAV(device.WAVConfig{In: sig})
	rng := rand.New(rand.NewPCG(uint64(len(codec)), 99))
	sendQ := quality.NewMonitor(codec, 8000)
	// The signal's packets (the first ones sent: the source starts once
	// DTLS is up) lose exactly round(loss*n) packets at random positions, so
	// the figure measures concealment of speech; later packets (silence,
	// DTMF) are lost at random with the same probability.
	var dropMu sync.Mutex
	var sigPackets, sigDropped int
	sigFrames := len(sig) / audio.FrameSamples
	doomed := map[int]bool{}
	for _, i := range rng.Perm(sigFrames)[:int(math.Round(loss*float64(sigFrames)))] {
		doomed[i] = true
	}
	out, err := AttachOutbound(pcA, OutboundConfig{Source: src, Pace: true, Quality: sendQ, Drop: func(uint16) bool {
		dropMu.Lock()
		defer dropMu.Unlock()
		if sigPackets >= sigFrames {
			return rng.Float64() < loss
		}
		drop := doomed[sigPackets]
		sigPackets++
		if drop {
			sigDropped++
		}
		return drop
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := pcB.AddTransceiverFromKind(webrtc.RTPCodecTypeAudio, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
		t.Fatal(err)
	}
	type remote struct {
		track *webrtc.TrackRemote
		recv  *webrtc.RTPReceiver
	}
	tracks := make(chan remote, 1)
	pcB.OnTrack(func(tr *webrtc.TrackRemote, r *webrtc.RTPReceiver) { tracks <- remote{tr, r} })

	signal(t, pcA, pcB)

	var rt remote
	select {
	case rt = <-tracks:
	case <-time.After(10 * time.Second):
		t.Fatal("no remote track within 10 s")
	}
	full := make(chan struct{})
	rec := &recorder{want: len(sig) + 3*audio.SampleRate/2, full: full}
	got := make(chan rune, 32)
	in, err := NewInbound(rt.track, rt.recv, InboundConfig{Sink: rec, Pace: true, OnDigit: func(d rune) {
		select {
		case got <- d:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	select {
	case <-full:
	case <-time.After(time.Duration(len(sig))*time.Second/audio.SampleRate + 10*time.Second):
		t.Fatal("recording did not fill")
	}
	var res callResult
	if digits != "" {
		if err := out.SendDTMF(digits); err != nil {
			t.Fatal(err)
		}
		deadline := time.After(time.Duration(len(digits))*200*time.Millisecond + 5*time.Second)
		for len(res.digits) < len(digits) {
			select {
			case d := <-got:
				res.digits += string(d)
			case <-deadline:
				t.Errorf("digits: got %q of %q", res.digits, digits)
				digits = res.digits
			}
		}
	}
	heard := rec.samples()
	res.ncc, res.lag = bestLag(sig, heard)
	res.aligned = alignedNCC(sig, heard, int(res.lag.Seconds()*audio.SampleRate))
	if testing.Verbose() {
		out := filepath.Join(t.TempDir(), "heard.wav")
		if err := device.WriteWAV(out, heard, audio.SampleRate); err != nil {
			t.Error(err)
		}
	}
	res.tone = toneAmplitude(heard, res.lag, 1000)
	res.in = in.Stats()
	res.sent, res.dropped = out.Sent()
	dropMu.Lock()
	res.sigLoss = float64(sigDropped) / float64(max(1, sigPackets))
	dropMu.Unlock()
	q := in.Quality().Snapshot()
	res.mos, res.rtt = q.MOS, sendQ.Snapshot().RTT
	return res
}

// signal runs offer/answer with complete ICE gathering (no trickle).
func signal(t *testing.T, a, b *webrtc.PeerConnection) {
	t.Helper()
	offer, err := a.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	done := webrtc.GatheringCompletePromise(a)
	if err := a.SetLocalDescription(offer); err != nil {
		t.Fatal(err)
	}
	<-done
	if err := b.SetRemoteDescription(*a.LocalDescription()); err != nil {
		t.Fatal(err)
	}
	answer, err := b.CreateAnswer(nil)
	if err != nil {
		t.Fatal(err)
	}
	done = webrtc.GatheringCompletePromise(b)
	if err := b.SetLocalDescription(answer); err != nil {
		t.Fatal(err)
	}
	<-done
	if err := a.SetRemoteDescription(*b.LocalDescription()); err != nil {
		t.Fatal(err)
	}
}

func TestEndToEnd(t *testing.T) {
	sig := testSignal(t)
	codecs := []string{audio.NamePCMU}
	if audio.OpusAvailable {
		codecs = append([]string{audio.NameOpus}, codecs...)
	} else {
		t.Log("opus not built in: run with -tags nolibopusfile")
	}
	for _, codec := range codecs {
		for _, loss := range []float64{0, 0.05} {
			t.Run(fmt.Sprintf("%s/loss=%.0f%%", codec, loss*100), func(t *testing.T) {
				r := call(t, codec, loss, sig, "159#*0D")
				t.Logf("%s loss %.0f%% (%.1f%% of the signal's packets): aligned correlation %.3f, global %.3f at lag %v, 1 kHz amplitude %.3f, digits %q, sent %d dropped %d, mos %.2f rtt %v, player %+v",
					codec, loss*100, r.sigLoss*100, r.aligned, r.ncc, r.lag, r.tone, r.digits, r.sent, r.dropped, r.mos, r.rtt, r.in)
				minNCC := 0.9
				if loss > 0 {
					minNCC = 0.8
				}
				if r.aligned < minNCC {
					t.Errorf("aligned correlation %.3f < %.2f", r.aligned, minNCC)
				}
				if r.tone < 0.2 {
					t.Errorf("1 kHz tone amplitude %.3f, want about 0.3", r.tone)
				}
				if r.digits != "159#*0D" {
					t.Errorf("digits %q, want 159#*0D", r.digits)
				}
				if r.rtt <= 0 {
					t.Error("no rtt from rtcp")
				}
				// Jitter is only logged: on 2 cores under -race with other
				// test binaries running, loopback jitter reaches 40 ms.
				if loss > 0 && r.dropped == 0 {
					t.Error("no packets dropped")
				}
			})
		}
	}
}

// toneAmplitude measures freq in the first 0.4 s of the heard tone.
func toneAmplitude(heard []int16, lag time.Duration, freq float64) float64 {
	start := int(lag.Seconds()*audio.SampleRate) + audio.SampleRate/20
	end := start + audio.SampleRate*2/5
	if start < 0 || end > len(heard) {
		return 0
	}
	return math.Sqrt(dtmf.Power(heard[start:end], freq, audio.SampleRate))
}
