package audio

import (
	"math"
	"testing"
)

// amplitude returns the amplitude (0..1 of full scale) of the f Hz
// component of pcm, by correlating with a sine and a cosine.
func amplitude(pcm []int16, f float64, rate int) float64 {
	var re, im float64
	for i, s := range pcm {
		ph := 2 * math.Pi * f * float64(i) / float64(rate)
		re += float64(s) * math.Cos(ph)
		im += float64(s) * math.Sin(ph)
	}
	return 2 * math.Hypot(re, im) / float64(len(pcm)) / 32767
}

func sine(n int, f, amp float64, rate int) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(amp * 32767 * math.Sin(2*math.Pi*f*float64(i)/float64(rate)))
	}
	return out
}

func db(x float64) float64 { return 20 * math.Log10(x+1e-12) }

// resampleFrames runs pcm through r in frames of size in.
func resampleFrames(t *testing.T, r *Resampler, pcm []int16, in int) []int16 {
	t.Helper()
	var out []int16
	buf := make([]int16, r.OutLen(in))
	for i := 0; i+in <= len(pcm); i += in {
		n := r.Process(pcm[i:i+in], buf)
		if n != len(buf) {
			t.Fatalf("frame %d: %d samples out, want %d", i/in, n, len(buf))
		}
		out = append(out, buf[:n]...)
	}
	return out
}

func TestResampleToneInToneOut(t *testing.T) {
	cases := []struct {
		name        string
		in, out     int
		f           float64
		wantPass    bool
		imageOrFold float64
	}{
		{"48k->8k 1kHz passes", 48000, 8000, 1000, true, 0},
		{"48k->8k 3kHz passes", 48000, 8000, 3000, true, 0},
		{"48k->8k 6kHz is filtered, not folded to 2kHz", 48000, 8000, 6000, false, 2000},
		{"48k->8k 9kHz is filtered, not folded to 1kHz", 48000, 8000, 9000, false, 1000},
		{"8k->48k 1kHz passes, no image at 7kHz", 8000, 48000, 1000, true, 7000},
		{"8k->48k 3.3kHz passes, no image at 4.7kHz", 8000, 48000, 3300, true, 4700},
		{"16k->48k 5kHz passes", 16000, 48000, 5000, true, 11000},
		{"48k->48k identity", 48000, 48000, 1000, true, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewResampler(c.in, c.out)
			if err != nil {
				t.Fatal(err)
			}
			frame := c.in / 50
			pcm := sine(frame*25, c.f, 0.5, c.in)
			out := resampleFrames(t, r, pcm, frame)
			out = out[len(out)/5:] // skip the filter's start-up
			got := amplitude(out, c.f, c.out)
			if c.wantPass {
				if math.Abs(got-0.5) > 0.03 {
					t.Errorf("passband amplitude %.3f, want 0.5", got)
				}
			} else if db(got/0.5) > -60 {
				t.Errorf("stopband leak %.1f dB", db(got/0.5))
			}
			if c.imageOrFold > 0 {
				if a := amplitude(out, c.imageOrFold, c.out); db(a/0.5) > -60 {
					t.Errorf("alias/image at %.0f Hz: %.1f dB", c.imageOrFold, db(a/0.5))
				}
			}
		})
	}
}

func TestResamplerErrors(t *testing.T) {
	if _, err := NewResampler(0, 8000); err == nil {
		t.Error("zero rate accepted")
	}
	if _, err := NewResampler(44100, 47999); err == nil {
		t.Error("awkward ratio accepted")
	}
}

func TestLevelsAndMute(t *testing.T) {
	var m Meter
	if l := m.Load(); l.PeakDBFS != SilenceDBFS || l.RMSDBFS != SilenceDBFS {
		t.Fatalf("zero meter = %+v", l)
	}
	pcm := sine(FrameSamples, 1000, 0.5, SampleRate)
	m.Update(pcm)
	l := m.Load()
	if math.Abs(float64(l.PeakDBFS)-db(0.5)) > 0.1 {
		t.Errorf("peak %.2f dBFS, want %.2f", l.PeakDBFS, db(0.5))
	}
	if math.Abs(float64(l.RMSDBFS)-db(0.5/math.Sqrt2)) > 0.1 {
		t.Errorf("rms %.2f dBFS, want %.2f", l.RMSDBFS, db(0.5/math.Sqrt2))
	}
	var mu Mute
	if mu.Apply(pcm) || pcm[10] == 0 {
		t.Fatal("unmuted Apply changed the frame")
	}
	mu.Set(true)
	if !mu.Apply(pcm) || Measure(pcm).PeakDBFS != SilenceDBFS {
		t.Fatal("muted frame is not silent")
	}
	if allocs := testing.AllocsPerRun(100, func() { m.Update(pcm) }); allocs != 0 {
		t.Errorf("Meter.Update allocates %v", allocs)
	}
}

func TestMixClips(t *testing.T) {
	a := []int16{30000, -30000, 100, 5}
	b := []int16{30000, -30000, -50}
	dst := make([]int16, 4)
	Mix(dst, a, b)
	want := []int16{32767, -32768, 50, 5}
	for i := range want {
		if dst[i] != want[i] {
			t.Fatalf("Mix = %v, want %v", dst, want)
		}
	}
	MixMinus(dst, 0, a, b, []int16{1, 1, 1, 1})
	if dst[2] != -49 || dst[3] != 1 {
		t.Fatalf("MixMinus = %v", dst)
	}
	Scale(dst, 2)
	if dst[2] != -98 {
		t.Fatalf("Scale = %v", dst)
	}
}

func TestToneCadenceAndMOH(t *testing.T) {
	tone := Tone{Freqs: []float64{440, 480}, Amplitude: 0.5, On: 960, Off: 960}
	a, b := make([]int16, 960), make([]int16, 960)
	tone.Fill(a)
	tone.Fill(b)
	if amplitude(a, 440, SampleRate) < 0.2 || Measure(b).PeakDBFS != SilenceDBFS {
		t.Fatal("cadence wrong")
	}
	var moh MusicOnHold
	pcm := make([]int16, SampleRate/4)
	moh.Fill(pcm)
	if amplitude(pcm, 261.63, SampleRate) < 0.15 {
		t.Fatal("music on hold first note missing")
	}
}

func TestNewCodec(t *testing.T) {
	for _, name := range []string{"pcmu", "PCMA"} {
		c, err := NewCodec(name)
		if err != nil {
			t.Fatal(err)
		}
		if c.ClockRate() != 8000 || c.FrameSamples() != FrameSamples/6 {
			t.Fatal("G.711 rates")
		}
	}
	if _, err := NewCodec("g729"); err == nil {
		t.Fatal("unknown codec accepted")
	}
	if _, err := NewCodec("opus"); OpusAvailable != (err == nil) {
		t.Fatalf("opus: available=%v err=%v", OpusAvailable, err)
	}
}

func BenchmarkResample48kTo8k(b *testing.B) {
	r, _ := NewResampler(48000, 8000)
	in := sine(FrameSamples, 1000, 0.5, SampleRate)
	out := make([]int16, 160)
	for b.Loop() {
		r.Process(in, out)
	}
}

func BenchmarkFrameEncodeDecode(b *testing.B) {
	for _, name := range []string{NamePCMU, NameOpus} {
		b.Run(name, func(b *testing.B) {
			ce, err := NewCodec(name)
			if err != nil {
				b.Skip(err)
			}
			cd, _ := NewCodec(name)
			enc, _ := NewFrameEncoder(ce)
			dec, _ := NewFrameDecoder(cd)
			in := sine(FrameSamples, 440, 0.3, SampleRate)
			frame := make([]int16, FrameSamples)
			payload := make([]byte, MaxPayload)
			for b.Loop() {
				n, _ := enc.Encode(in, payload)
				dec.Decode(payload[:n], frame)
			}
		})
	}
}
