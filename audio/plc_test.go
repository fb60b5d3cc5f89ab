package audio

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPLCRepeatsMorePeriodsAsLossGoesOn: over a long loss the concealment
// of G.711 Appendix I moves from repeating the last pitch period to the
// last two, then three, so its third 10 ms are not the last period again.
func TestPLCRepeatsMorePeriodsAsLossGoesOn(t *testing.T) {
	const P = 80 // 100 Hz
	// A voiced-like tone with noise of its own in every period.
	hist := make([]int16, plcHist)
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range hist {
		x := 2 * math.Pi * float64(n) / P
		hist[n] = int16(8000*math.Sin(x) + 3000*math.Sin(3*x) + 4000*(rng.Float64()-0.5))
	}
	var p plc
	p.good(hist)
	out := make([]int16, 3*plc10ms)
	for i := 0; i < len(out); i += plc10ms {
		p.conceal(out[i : i+plc10ms])
	}
	if p.pitch != P {
		t.Fatalf("pitch %d, want %d", p.pitch, P)
	}
	raw := make([]float64, len(out)) // without the fade
	for i, v := range out {
		g := 1.0
		if i >= plc10ms {
			g = 1 - 0.2*float64(i-plc10ms)/plc10ms
		}
		raw[i] = float64(v) / g
	}
	period := func(back int) []int16 { return hist[plcHist-back*P : plcHist-(back-1)*P] }
	for _, tt := range []struct {
		from, back int
	}{
		{0, 1},  // first 10 ms: the last period
		{80, 1}, // second: two periods, starting over the last one
		{160, 2},
	} {
		c := ncc(raw[tt.from:tt.from+P], period(tt.back))
		t.Logf("concealed %3d-%3d against period -%d: ncc %.4f", tt.from, tt.from+P, tt.back, c)
		if c < 0.99 {
			t.Errorf("concealed samples %d-%d against period -%d: ncc %.3f, want >= 0.99", tt.from, tt.from+P, tt.back, c)
		}
	}
	c := ncc(raw[160:240], period(1))
	t.Logf("concealed 160-240 against period -1: ncc %.4f", c)
	if c > 0.98 {
		t.Errorf("third 10 ms repeat the last period (ncc %.3f)", c)
	}
}

func ncc(a []float64, b []int16) float64 {
	var ab, aa, bb float64
	for i := range a {
		y := float64(b[i])
		ab, aa, bb = ab+a[i]*y, aa+a[i]*a[i], bb+y*y
	}
	return ab / math.Sqrt(aa*bb)
}
