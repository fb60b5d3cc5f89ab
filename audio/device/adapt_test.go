//go:build cgo

package device

import (
	"testing"
	"time"
)

// TestPlaybackQueueAdapts: the queue starts at a frame and a period, grows
// a period per underrun up to PlaybackLatency, and gives a period back
// after each 2 s without one, never below where it started.
func TestPlaybackQueueAdapts(t *testing.T) {
	m := &Malgo{cfg: Config{PlaybackLatency: 40 * time.Millisecond}, period: periodSamples}
	step := func(underrun bool) int {
		if underrun {
			m.underruns.Add(1)
		}
		m.adaptPlayback()
		return m.plyLimit
	}
	m.underruns.Add(100) // before the first frame: ignored
	start := FrameSamples + periodSamples
	if got := step(false); got != start {
		t.Fatalf("first limit %d, want %d", got, start)
	}
	if got := step(true); got != start+periodSamples {
		t.Fatalf("after an underrun %d, want %d", got, start+periodSamples)
	}
	for i := 0; i < 10; i++ {
		step(true)
	}
	if ceiling := 40 * SampleRate / 1000; m.plyLimit != ceiling {
		t.Fatalf("after many underruns %d, want the ceiling %d", m.plyLimit, ceiling)
	}
	for i := 0; i < shrinkAfter-1; i++ {
		step(false)
	}
	if got := step(false); got != 40*SampleRate/1000-periodSamples {
		t.Fatalf("after %d calm frames %d, want a period less", shrinkAfter, got)
	}
	for i := 0; i < 20*shrinkAfter; i++ {
		step(false)
	}
	if m.plyLimit != start {
		t.Fatalf("after a long calm %d, want the start %d", m.plyLimit, start)
	}
}
