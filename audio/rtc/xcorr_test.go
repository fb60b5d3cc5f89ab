package rtc

import (
	"math"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/analysis"
)

// bestLag finds the delay of y relative to x (0..2 s) by FFT
// cross-correlation and returns the normalised correlation there.
func bestLag(x, y []int16) (float64, time.Duration) {
	r := analysis.CrossCorrelation(x, y)
	best, bestV := 0, math.Inf(-1)
	for lag := 0; lag < 2*audio.SampleRate && lag < len(r); lag++ {
		if v := r[lag]; v > bestV {
			best, bestV = lag, v
		}
	}
	return ncc(x, y, best), time.Duration(best) * time.Second / audio.SampleRate
}

// ncc is the normalised correlation of x with y shifted by lag.
func ncc(x, y []int16, lag int) float64 {
	var xy, xx, yy float64
	for i, v := range x {
		if i+lag >= len(y) {
			break
		}
		a, b := float64(v), float64(y[i+lag])
		xy += a * b
		xx += a * a
		yy += b * b
	}
	if xx == 0 || yy == 0 {
		return 0
	}
	return xy / math.Sqrt(xx*yy)
}

// alignedNCC is the normalised correlation of x with y when each 250 ms
// window of x is matched at its own lag, searched within 60 ms of the
// previous window's (starting from lag): the jitter buffer legitimately
// shifts playout by whole frames when it adapts, which a single global lag
// would count as distortion. Windows of silence in x keep the lag.
func alignedNCC(x, y []int16, lag int) float64 {
	const win = audio.SampleRate / 4
	const span = audio.SampleRate * 60 / 1000
	var xy, xx, yy float64
	for start := 0; start+win <= len(x); start += win {
		xs := x[start : start+win]
		best, bestV := lag, math.Inf(-1)
		// Coarse search on every 6th sample, then refine.
		for l := lag - span; l <= lag+span; l += 6 {
			if v := dot(xs, y, start+l, 6); v > bestV {
				best, bestV = l, v
			}
		}
		for l := best - 6; l <= best+6; l++ {
			if v := dot(xs, y, start+l, 1); v > bestV {
				best, bestV = l, v
			}
		}
		var wx float64
		for i, v := range xs {
			j := start + best + i
			if j < 0 || j >= len(y) {
				continue
			}
			a, b := float64(v), float64(y[j])
			xy += a * b
			xx += a * a
			yy += b * b
			wx += a * a
		}
		if wx > 0 {
			lag = best
		}
	}
	if xx == 0 || yy == 0 {
		return 0
	}
	return xy / math.Sqrt(xx*yy)
}

func dot(xs, y []int16, off, step int) float64 {
	var s float64
	for i := 0; i < len(xs); i += step {
		j := off + i
		if j < 0 || j >= len(y) {
			continue
		}
		s += float64(xs[i]) * float64(y[j])
	}
	return s
}
