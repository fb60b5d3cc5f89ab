package analysis

import (
	"math"
	"math/cmplx"
	"testing"
)

// The FFT agrees with the direct DFT, and the inverse undoes it.
func TestFFTMatchesDFT(t *testing.T) {
	const n = 64
	x := make([]complex128, n)
	for i := range x {
		x[i] = complex(math.Sin(2*math.Pi*5*float64(i)/n)+0.3*float64(i%7), 0)
	}
	a := append([]complex128(nil), x...)
	FFT(a, false)
	for k := 0; k < n; k++ {
		var want complex128
		for i := 0; i < n; i++ {
			want += x[i] * cmplx.Rect(1, -2*math.Pi*float64(k*i)/n)
		}
		if cmplx.Abs(a[k]-want) > 1e-9 {
			t.Fatalf("bin %d = %v, want %v", k, a[k], want)
		}
	}
	FFT(a, true)
	for i := range a {
		if cmplx.Abs(a[i]-x[i]) > 1e-9 {
			t.Fatalf("inverse[%d] = %v, want %v", i, a[i], x[i])
		}
	}
}

// CrossCorrelation agrees with the direct sum at every lag.
func TestCrossCorrelationMatchesDirectSum(t *testing.T) {
	x := []int16{3, -1, 4, 1, -5}
	y := []int16{0, 2, 7, -1, 8, 2, -8, 1, 8, 2, 0}
	r := CrossCorrelation(x, y)
	if len(r) != len(y) {
		t.Fatalf("%d lags, want %d", len(r), len(y))
	}
	for k := range y {
		var want float64
		for i := range x {
			if i+k < len(y) {
				want += float64(x[i]) * float64(y[i+k])
			}
		}
		if math.Abs(r[k]-want) > 1e-6 {
			t.Fatalf("r[%d] = %v, want %v", k, r[k], want)
		}
	}
}
