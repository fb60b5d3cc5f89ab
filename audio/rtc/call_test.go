package rtc

import (
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
)

// TestCallBothWays runs two Calls over loopback with paced WAV devices: each
// side hears the other's tone, digits cross both ways, mute silences the
// meter, and quality is reported.
func TestCallBothWays(t *testing.T) {
	api, err := NewAPI(APIConfig{Codecs: []string{audio.NamePCMA}, LoopbackOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(freq float64) (*webrtc.PeerConnection, *device.WAV) {
		pc, err := api.NewPeerConnection(webrtc.Configuration{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pc.Close() })
		tone := make([]int16, 3*audio.SampleRate)
		(&audio.Tone{Freqs: []float64{freq}, Amplitude: 0.3}).Fill(tone)
		dev, err := device.NewWAV(device.WAVConfig{In: tone, PadSilence: true, Paced: true})
		if err != nil {
			t.Fatal(err)
		}
		return pc, dev
	}
	pcA, devA := mk(600)
	pcB, devB := mk(1400)
	digitsA, digitsB := make(chan rune, 8), make(chan rune, 8)
	callA, err := NewCall(pcA, CallConfig{Device: devA, OnDigit: func(d rune) { digitsA <- d }})
	if err != nil {
		t.Fatal(err)
	}
	defer callA.Close()
	callB, err := NewCall(pcB, CallConfig{Device: devB, OnDigit: func(d rune) { digitsB <- d }})
	if err != nil {
		t.Fatal(err)
	}
	defer callB.Close()
	signal(t, pcA, pcB)

	if err := callA.SendDTMF("42"); err != nil {
		t.Fatal(err)
	}
	if err := callB.SendDTMF("#"); err != nil {
		t.Fatal(err)
	}
	wait := func(ch chan rune, want string) {
		t.Helper()
		got := ""
		deadline := time.After(5 * time.Second)
		for len(got) < len(want) {
			select {
			case d := <-ch:
				got += string(d)
			case <-deadline:
				t.Fatalf("digits %q, want %q", got, want)
			}
		}
		if got != want {
			t.Fatalf("digits %q, want %q", got, want)
		}
	}
	wait(digitsB, "42")
	wait(digitsA, "#")

	eventually(t, "B hears a second", func() bool { return len(devB.Recorded()) >= audio.SampleRate })
	if l := callB.Levels().Speaker; l.PeakDBFS < -40 {
		t.Errorf("speaker B level %+v", l)
	}
	heard := devB.Recorded()
	if p := dtmf.Power(heard[len(heard)/2:], 600, audio.SampleRate); p < 0.001 {
		t.Errorf("B did not hear A's 600 Hz tone (power %.4f)", p)
	}
	callA.SetMuted(true)
	if !callA.Muted() {
		t.Fatal("not muted")
	}
	eventually(t, "muted mic meter", func() bool { return callA.Levels().Mic.PeakDBFS == audio.SilenceDBFS })
	qa := callA.Quality()
	if qa.Codec != "PCMA" || qa.Received == 0 {
		t.Fatalf("quality A %+v", qa)
	}
	t.Logf("quality A: %+v", qa)
}

// eventually polls cond on a ticker until it holds or 5 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(5 * time.Second)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
