package audio

import (
	"math"
	"sync/atomic"
)

// Level is one snapshot of a signal's loudness over the last frame, in dBFS
// (0 is full scale; silence is SilenceDBFS).
type Level struct {
	PeakDBFS float32
	RMSDBFS  float32
}

// SilenceDBFS is the floor reported for digital silence.
const SilenceDBFS = -96

// Meter measures frames and publishes the latest Level as an atomic
// snapshot: one goroutine (the media path) calls Update, any goroutine (a UI
// tick at 15 Hz or less) calls Load. The zero Meter reads as silence.
type Meter struct {
	v atomic.Uint64
}

// Update measures pcm and publishes its level. It does not allocate.
func (m *Meter) Update(pcm []int16) Level {
	l := Measure(pcm)
	m.v.Store(uint64(math.Float32bits(l.PeakDBFS))<<32 | uint64(math.Float32bits(l.RMSDBFS)))
	return l
}

// Load returns the latest level.
func (m *Meter) Load() Level {
	v := m.v.Load()
	if v == 0 {
		return Level{PeakDBFS: SilenceDBFS, RMSDBFS: SilenceDBFS}
	}
	return Level{PeakDBFS: math.Float32frombits(uint32(v >> 32)), RMSDBFS: math.Float32frombits(uint32(v))}
}

// Measure returns the peak and RMS level of pcm in dBFS.
func Measure(pcm []int16) Level {
	var peak int
	var sum float64
	for _, s := range pcm {
		a := int(s)
		if a < 0 {
			a = -a
		}
		peak = max(peak, a)
		sum += float64(s) * float64(s)
	}
	l := Level{PeakDBFS: SilenceDBFS, RMSDBFS: SilenceDBFS}
	if peak > 0 {
		l.PeakDBFS = float32(max(SilenceDBFS, 20*math.Log10(float64(peak)/32768)))
	}
	if len(pcm) > 0 && sum > 0 {
		l.RMSDBFS = float32(max(SilenceDBFS, 20*math.Log10(math.Sqrt(sum/float64(len(pcm)))/32768)))
	}
	return l
}

// Mute is a switch read by the media path and flipped by the UI; the zero
// value is unmuted. Safe for concurrent use.
type Mute struct {
	on atomic.Bool
}

// Set mutes (true) or unmutes (false).
func (m *Mute) Set(on bool) { m.on.Store(on) }

// Muted reports the current state.
func (m *Mute) Muted() bool { return m.on.Load() }

// Apply silences pcm in place when muted and reports whether it did.
func (m *Mute) Apply(pcm []int16) bool {
	if !m.on.Load() {
		return false
	}
	clear(pcm)
	return true
}
