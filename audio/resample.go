package audio

import (
	"fmt"
	"math"
)

// Resampler converts mono int16 PCM between two rates with a polyphase
// windowed-sinc (Kaiser, beta 8, 16 zero crossings) FIR: the anti-alias /
// anti-image low-pass is centred on the lower rate's Nyquist frequency, flat
// to about 0.42 of the lower rate, rejecting more than 60 dB from about 0.58. It keeps
// state across calls so consecutive frames join seamlessly. Not safe for
// concurrent use.
type Resampler struct {
	in, out int
	l, m    int       // up by l, down by m
	h       []float32 // prototype filter at in*l, scaled by l
	buf     []float32 // history (hlen-1) + current input
	hlen    int       // history length in input samples
	t       int       // next output position in the upsampled domain
}

// NewResampler returns a resampler from inRate to outRate Hz.
func NewResampler(inRate, outRate int) (*Resampler, error) {
	if inRate <= 0 || outRate <= 0 {
		return nil, fmt.Errorf("audio: resampler %d->%d: rates must be positive", inRate, outRate)
	}
	g := gcd(inRate, outRate)
	r := &Resampler{in: inRate, out: outRate, l: outRate / g, m: inRate / g}
	if r.l > 1000 || r.m > 1000 {
		return nil, fmt.Errorf("audio: resampler %d->%d: ratio %d/%d too complex", inRate, outRate, r.l, r.m)
	}
	if r.l == 1 && r.m == 1 {
		return r, nil
	}
	const zeroCrossings = 16
	f := max(r.l, r.m)
	n := 2*zeroCrossings*f + 1
	fc := 0.5 / float64(f) // cycles per upsampled sample: Nyquist of the lower rate
	const beta = 8.0
	r.h = make([]float32, n)
	var sum float64
	hs := make([]float64, n)
	for i := range hs {
		x := float64(i - (n-1)/2)
		s := 2 * fc
		if x != 0 {
			s = math.Sin(2*math.Pi*fc*x) / (math.Pi * x)
		}
		w := bessel0(beta*math.Sqrt(1-math.Pow(2*float64(i)/float64(n-1)-1, 2))) / bessel0(beta)
		hs[i] = s * w
		sum += hs[i]
	}
	for i := range hs {
		r.h[i] = float32(hs[i] / sum * float64(r.l))
	}
	r.hlen = (n + r.l - 1) / r.l
	r.buf = make([]float32, r.hlen-1, r.hlen-1+4096)
	r.t = (r.hlen - 1) * r.l
	return r, nil
}

// Rates returns the input and output rates.
func (r *Resampler) Rates() (in, out int) { return r.in, r.out }

// OutLen returns how many samples Process will produce for n more input
// samples (exact when n keeps the input on a multiple of m).
func (r *Resampler) OutLen(n int) int { return n * r.l / r.m }

// Delay returns the filter's group delay in output samples.
func (r *Resampler) Delay() int {
	if r.h == nil {
		return 0
	}
	return (len(r.h) - 1) / 2 / r.m
}

// Process resamples in and writes to out, returning the number of samples
// written. out should hold OutLen(len(in)) samples; excess output is
// dropped.
func (r *Resampler) Process(in []int16, out []int16) int {
	if r.h == nil {
		return copy(out, in)
	}
	for _, s := range in {
		r.buf = append(r.buf, float32(s))
	}
	taps := len(r.h)
	n := 0
	for {
		i := r.t / r.l
		if i >= len(r.buf) {
			break
		}
		p := r.t % r.l
		var acc float32
		for k := p; k < taps; k += r.l {
			acc += r.h[k] * r.buf[i]
			i--
		}
		if n < len(out) {
			out[n] = clip16(acc)
		}
		n++
		r.t += r.m
	}
	// Keep hlen-1 samples of history.
	drop := len(r.buf) - (r.hlen - 1)
	copy(r.buf, r.buf[drop:])
	r.buf = r.buf[:r.hlen-1]
	r.t -= drop * r.l
	return min(n, len(out))
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// bessel0 is the zeroth-order modified Bessel function of the first kind.
func bessel0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 50; k++ {
		term *= (x / 2) / float64(k)
		sum += term * term
	}
	return sum
}
