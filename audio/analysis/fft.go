// Package analysis holds the signal analysis that tests and benchmarks use
// to check audio by measurement: an FFT for fast cross-correlation.
package analysis

import (
	"math"
	"math/cmplx"
)

// FFT transforms a in place (radix-2, iterative); len(a) must be a power of
// two. With inverse it computes the inverse transform, scaled by 1/n.
func FFT(a []complex128, inverse bool) {
	n := len(a)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			a[i], a[j] = a[j], a[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		ang := 2 * math.Pi / float64(size)
		if !inverse {
			ang = -ang
		}
		w := complex(math.Cos(ang), math.Sin(ang))
		for i := 0; i < n; i += size {
			wk := complex(1, 0)
			for k := 0; k < size/2; k++ {
				u, v := a[i+k], a[i+k+size/2]*wk
				a[i+k], a[i+k+size/2] = u+v, u-v
				wk *= w
			}
		}
	}
	if inverse {
		for i := range a {
			a[i] /= complex(float64(n), 0)
		}
	}
}

// CrossCorrelation returns r with r[k] = sum over i of x[i]*y[i+k] for
// every lag k in [0, len(y)): where in y the signal x lines up best is the
// largest r[k]. It is computed by FFT over a zero-padded power of two, so
// the correlation is linear (no wrap-around).
func CrossCorrelation[X, Y int16 | float64](x []X, y []Y) []float64 {
	n := 1
	for n < len(x)+len(y) {
		n <<= 1
	}
	a, b := make([]complex128, n), make([]complex128, n)
	for i, v := range x {
		a[i] = complex(float64(v), 0)
	}
	for i, v := range y {
		b[i] = complex(float64(v), 0)
	}
	FFT(a, false)
	FFT(b, false)
	for i := range a {
		a[i] = b[i] * cmplx.Conj(a[i])
	}
	FFT(a, true)
	r := make([]float64, len(y))
	for k := range r {
		r[k] = real(a[k])
	}
	return r
}
