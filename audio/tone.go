package audio

import "math"

// Tone generates the sum of one or more sine waves with an optional on/off
// cadence, frame by frame, keeping phase across frames: dial tones, ring
// back, in-band test tones and simple music on hold. Not safe for concurrent
// use.
type Tone struct {
	Freqs     []float64 // Hz
	Amplitude float64   // linear full scale 0..1, shared by the components
	Rate      int       // sample rate; 0 means SampleRate
	On, Off   int       // cadence in samples; Off 0 means continuous
	n         int
}

// Fill writes the next len(pcm) samples.
func (t *Tone) Fill(pcm []int16) {
	rate := t.Rate
	if rate == 0 {
		rate = SampleRate
	}
	amp := t.Amplitude * 32767 / float64(max(1, len(t.Freqs)))
	for i := range pcm {
		on := true
		if t.Off > 0 {
			on = t.n%(t.On+t.Off) < t.On
		}
		var v float64
		if on {
			for _, f := range t.Freqs {
				v += math.Sin(2 * math.Pi * f * float64(t.n) / float64(rate))
			}
		}
		pcm[i] = clip16(float32(amp * v))
		t.n++
	}
}

// MusicOnHold plays a slow arpeggio (a C major triad and back) of soft sine
// notes, 250 ms each, as a stand-in for a music file. Not safe for
// concurrent use.
type MusicOnHold struct {
	n int
}

var mohNotes = []float64{261.63, 329.63, 392.00, 523.25, 392.00, 329.63}

// Fill writes the next len(pcm) samples at SampleRate.
func (m *MusicOnHold) Fill(pcm []int16) {
	const note = SampleRate / 4
	for i := range pcm {
		k := (m.n / note) % len(mohNotes)
		pos := m.n % note
		env := math.Min(1, math.Min(float64(pos), float64(note-pos))/480)
		v := 0.2 * env * math.Sin(2*math.Pi*mohNotes[k]*float64(m.n)/SampleRate)
		pcm[i] = int16(v * 32767)
		m.n++
	}
}
