package media_test

import (
	"context"
	"math"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/analysis"
	"github.com/agentty/agentty/audio/device"
)

// testSignal is 0.5 s of 1 kHz, 0.2 s of silence, a 1 s chirp from 300 to
// 3,000 Hz, 0.2 s of silence, then speech from espeak-ng (a second chirp
// when espeak-ng is missing), then 0.3 s of silence. speechAt is where the
// speech starts.
func testSignal(t *testing.T) (sig []int16, speechAt int) {
	t.Helper()
	sig = make([]int16, samples(500e6))
	(&audio.Tone{Freqs: []float64{1000}, Amplitude: 0.3}).Fill(sig)
	sig = append(sig, make([]int16, samples(200e6))...)
	sig = append(sig, chirp(audio.SampleRate)...)
	sig = append(sig, make([]int16, samples(200e6))...)
	speechAt = len(sig)
	wav := filepath.Join(t.TempDir(), "speech.wav")
	if err := exec.Command("espeak-ng", "-w", wav, "Hello, this is the kiosk.").Run(); err == nil {
		pcm, rate, err := device.ReadWAV(wav)
		if err != nil {
			t.Fatal(err)
		}
		w, err := device.NewWAV(device.WAVConfig{In: nil, InPath: wav})
		if err != nil || rate == 0 || len(pcm) == 0 {
			t.Fatal(err)
		}
		f := make([]int16, audio.FrameSamples)
		for w.ReadFrame(context.Background(), f) == nil {
			sig = append(sig, f...)
		}
	} else {
		t.Logf("espeak-ng unavailable (%v): a chirp stands in for speech", err)
		sig = append(sig, chirp(2*audio.SampleRate)...)
	}
	return append(sig, make([]int16, samples(300e6))...), speechAt
}

func chirp(n int) []int16 {
	out := make([]int16, n)
	dur := float64(n) / audio.SampleRate
	for i := range out {
		x := float64(i) / audio.SampleRate
		out[i] = int16(9000 * math.Sin(2*math.Pi*(300*x+(2700/dur/2)*x*x)))
	}
	return out
}

// bestLag returns the lag (in samples, y later than x) at which y matches
// x best, by FFT cross-correlation of both signals decimated by 4.
func bestLag(x, y []int16) int {
	const dec = 4
	r := analysis.CrossCorrelation(decimate(x, dec), decimate(y, dec))
	best, lag := math.Inf(-1), 0
	for k, v := range r { // y later than x only
		if v > best {
			best, lag = v, k
		}
	}
	return lag * dec
}

func decimate(x []int16, d int) []float64 {
	out := make([]float64, len(x)/d)
	for i := range out {
		var s float64
		for j := range d {
			s += float64(x[i*d+j])
		}
		out[i] = s / float64(d)
	}
	return out
}

// ncc is the normalized cross-correlation of x[from:to] with y shifted by
// lag.
func ncc(x, y []int16, lag, from, to int) float64 {
	var xy, xx, yy float64
	for i := from; i < to && i < len(x) && i+lag < len(y); i++ {
		a, b := float64(x[i]), float64(y[i+lag])
		xy += a * b
		xx += a * a
		yy += b * b
	}
	if xx == 0 || yy == 0 {
		return 0
	}
	return xy / math.Sqrt(xx*yy)
}

// bestNCC refines the lag within +-2 ms (decimation and resampler phase)
// and returns the best correlation over [from, to).
func bestNCC(x, y []int16, lag, from, to int) (float64, int) {
	best, at := -1.0, lag
	for l := max(0, lag-96); l <= lag+96; l++ {
		if v := ncc(x, y, l, from, to); v > best {
			best, at = v, l
		}
	}
	return best, at
}

// windowNCC correlates x[from:to] with y in 100 ms windows, each at its
// own lag: the one within 200 ms of the previous window's where the window
// correlates best (the receiver's adaptive jitter buffer moves playout
// while it runs, by a frame of concealment or a few milliseconds of
// trim, which one global lag would count as distortion). Silent windows,
// and windows that match nowhere, keep the lag.
func windowNCC(x, y []int16, lag, from, to int) float64 {
	win, reach := samples(100e6), samples(200e6)
	var xy, xx, yy float64
	for start := from; start+win <= to && start+win <= len(x); start += win {
		xs := x[start : start+win]
		best := lag
		lo, hi := max(0, start+lag-reach), min(len(y), start+lag+win+reach)
		if hi-lo >= win {
			seg := y[lo:hi]
			r := analysis.CrossCorrelation(xs, seg)
			// e is the energy of seg[k:k+win], slid along.
			var e float64
			for _, v := range seg[:win] {
				e += float64(v) * float64(v)
			}
			bestV := math.Inf(-1)
			for k := 0; k+win <= len(seg); k++ {
				if k > 0 {
					a, b := float64(seg[k-1]), float64(seg[k+win-1])
					e += b*b - a*a
				}
				if e > 0 {
					if v := r[k] / math.Sqrt(e); v > bestV {
						best, bestV = lo+k-start, v
					}
				}
			}
		}
		var ex float64
		for i, v := range xs {
			j := start + best + i
			if j < 0 || j >= len(y) {
				continue
			}
			a, b := float64(v), float64(y[j])
			xy, xx, yy, ex = xy+a*b, xx+a*a, yy+b*b, ex+a*a
		}
		if ex > 0 && ncc(x, y, best, start, start+win) > 0.5 {
			lag = best
		}
	}
	if xx == 0 || yy == 0 {
		return 0
	}
	return xy / math.Sqrt(xx*yy)
}
