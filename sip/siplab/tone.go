package siplab

import (
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
)

// ToneDevice is a paced WAV device whose microphone plays a sine of hz
// for 40 s (then silence) and which records what it plays out.
func ToneDevice(hz float64) *device.WAV {
	tone := make([]int16, 40*audio.SampleRate)
	(&audio.Tone{Freqs: []float64{hz}, Amplitude: 0.3}).Fill(tone)
	d, err := device.NewWAV(device.WAVConfig{In: tone, PadSilence: true, Paced: true})
	if err != nil { // only a bad InPath fails
		panic(err)
	}
	return d
}

// HearsTone reports whether the last 200 ms of pcm (48 kHz) hold hz.
func HearsTone(pcm []int16, hz float64) bool {
	n := audio.SampleRate / 5
	if len(pcm) < n {
		return false
	}
	return dtmf.Power(pcm[len(pcm)-n:], hz, audio.SampleRate) > 0.001
}

// WaitTone waits until what dev played out in its last 200 ms holds hz
// (a Goertzel power above 0.001 of full scale), failing t after within.
func WaitTone(t testing.TB, dev *device.WAV, hz float64, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !HearsTone(dev.Recorded(), hz) {
		select {
		case <-tick.C:
		case <-deadline:
			rec := dev.Recorded()
			p := 0.0
			if len(rec) > audio.SampleRate/5 {
				p = dtmf.Power(rec[len(rec)-audio.SampleRate/5:], hz, audio.SampleRate)
			}
			t.Fatalf("no %.0f Hz heard within %v (power %.5f over %d samples)", hz, within, p, len(rec))
		}
	}
}

// HeardTone reports whether some 200 ms window of pcm (at rate) holds hz:
// for recordings read after the call, whose end may be silence.
func HeardTone(pcm []int16, rate int, hz float64) bool {
	n := rate / 5
	for i := 0; i+n <= len(pcm); i += n / 2 {
		if dtmf.Power(pcm[i:i+n], hz, rate) > 0.001 {
			return true
		}
	}
	return false
}

// WaitFor polls ok every 20 ms until it holds, failing t after within.
func WaitFor(t testing.TB, what string, within time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.After(within)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !ok() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("no %s within %v", what, within)
		}
	}
}
