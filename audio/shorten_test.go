package audio

import (
	"math"
	"testing"
)

func sineWave(n int, hz, amp float64) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(amp * math.Sin(2*math.Pi*hz*float64(i)/SampleRate))
	}
	return out
}

// maxStep is the largest difference between neighbouring samples.
func maxStep(s []int16) int {
	m := 0
	for i := 1; i < len(s); i++ {
		m = max(m, absInt(int(s[i])-int(s[i-1])))
	}
	return m
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestShortenKeepsTheWaveSmooth(t *testing.T) {
	for _, hz := range []float64{200, 440, 1000, 3000} {
		for _, k := range []int{100, 333, 480, 700} {
			f := sineWave(FrameSamples, hz, 10000)
			smooth := maxStep(f)
			out := Shorten(f, k)
			cut := FrameSamples - len(out)
			want := min(k, FrameSamples-SampleRate/200-SampleRate/400) // 5 ms and the fade are kept
			if cut < want-SampleRate/1000 || cut > want {
				t.Fatalf("%v Hz, k %d: cut %d samples", hz, k, cut)
			}
			// A cut at the wrong phase would jump by up to twice the
			// amplitude; the crossfade at the best phase stays near the
			// wave's own steepest step.
			if got := maxStep(out); float64(got) > 1.2*float64(smooth)+50 {
				t.Fatalf("%v Hz, k %d: step %d after the cut, the wave's own is %d", hz, k, got, smooth)
			}
		}
	}
}

func TestShortenLimits(t *testing.T) {
	f := sineWave(FrameSamples, 440, 1000)
	if out := Shorten(f, 10); len(out) != FrameSamples {
		t.Fatalf("a cut under a millisecond was made: %d samples left", len(out))
	}
	if out := Shorten(f, 5000); len(out) < SampleRate/200 {
		t.Fatalf("kept %d samples, want at least 5 ms", len(out))
	}
	if n := testing.AllocsPerRun(100, func() { Shorten(sineWave(FrameSamples, 440, 1000)[:], 300) }); n > 1 {
		t.Fatalf("Shorten allocates (%v per run beyond the test's own frame)", n)
	}
}
