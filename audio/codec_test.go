package audio

import (
	"fmt"
	"math"
	"testing"
)

func codecs(t *testing.T) []string {
	names := []string{NamePCMU, NamePCMA}
	if OpusAvailable {
		names = append(names, NameOpus)
	} else {
		t.Log("opus not built in: run with -tags nolibopusfile")
	}
	return names
}

// TestFrameCodecToneRoundTrip encodes a 1 kHz tone at the device rate,
// decodes it, and checks the tone survives and nothing else appears.
func TestFrameCodecToneRoundTrip(t *testing.T) {
	for _, name := range codecs(t) {
		t.Run(name, func(t *testing.T) {
			enc, dec := newPair(t, name)
			pcm := sine(FrameSamples*50, 1000, 0.3, SampleRate)
			var out []int16
			payload := make([]byte, MaxPayload)
			frame := make([]int16, FrameSamples)
			for i := 0; i < len(pcm); i += FrameSamples {
				n, err := enc.Encode(pcm[i:i+FrameSamples], payload)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := dec.Decode(payload[:n], frame); err != nil {
					t.Fatal(err)
				}
				out = append(out, frame...)
			}
			out = out[len(out)/2:]
			if a := amplitude(out, 1000, SampleRate); math.Abs(a-0.3) > 0.05 {
				t.Errorf("tone amplitude %.3f, want 0.3", a)
			}
			if a := amplitude(out, 2500, SampleRate); a > 0.01 {
				t.Errorf("spurious 2.5 kHz at %.3f", a)
			}
		})
	}
}

func newPair(t *testing.T, name string) (*FrameEncoder, *FrameDecoder) {
	t.Helper()
	ce, err := NewCodec(name)
	if err != nil {
		t.Fatal(err)
	}
	cd, err := NewCodec(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ce.Close(); cd.Close() })
	enc, err := NewFrameEncoder(ce)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := NewFrameDecoder(cd)
	if err != nil {
		t.Fatal(err)
	}
	return enc, dec
}

// TestConcealmentContinuesPitch loses frames of a voiced-like periodic
// signal and checks the concealment keeps the fundamental, then fades.
func TestConcealmentContinuesPitch(t *testing.T) {
	for _, name := range codecs(t) {
		t.Run(name, func(t *testing.T) {
			enc, dec := newPair(t, name)
			// 200 Hz fundamental with a harmonic: a crude vowel.
			pcm := make([]int16, FrameSamples*30)
			for i := range pcm {
				x := float64(i) / SampleRate
				pcm[i] = int16(8000*math.Sin(2*math.Pi*200*x) + 3000*math.Sin(2*math.Pi*400*x))
			}
			payload := make([]byte, MaxPayload)
			frame := make([]int16, FrameSamples)
			for i := 0; i < 20; i++ {
				n, err := enc.Encode(pcm[i*FrameSamples:(i+1)*FrameSamples], payload)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := dec.Decode(payload[:n], frame); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := dec.Conceal(frame); err != nil {
				t.Fatal(err)
			}
			if a := amplitude(frame, 200, SampleRate); a < 0.12 {
				t.Errorf("first concealed frame: 200 Hz amplitude %.3f, want near 0.24", a)
			}
			for i := 0; i < 5; i++ {
				if _, err := dec.Conceal(frame); err != nil {
					t.Fatal(err)
				}
			}
			if l := Measure(frame); l.RMSDBFS > -30 {
				t.Errorf("after 120 ms of loss still %.1f dBFS, want faded", l.RMSDBFS)
			}
		})
	}
}

func TestG711ConcealWithoutHistoryIsSilent(t *testing.T) {
	c := NewG711(true)
	pcm := make([]int16, 160)
	pcm[3] = 99
	if n, err := c.Conceal(pcm); err != nil || n != 160 || pcm[3] != 0 {
		t.Fatalf("conceal without history: n=%d err=%v pcm[3]=%d", n, err, pcm[3])
	}
}

// TestOpusFECBeatsPLC loses one Opus packet of a tone and rebuilds it from
// the next packet's in-band FEC; the result must be closer to the original
// than plain concealment. G.711 has no FEC and falls back to concealment.
func TestOpusFECBeatsPLC(t *testing.T) {
	if !OpusAvailable {
		t.Skip("opus not built in: run with -tags nolibopusfile")
	}
	pcm := make([]int16, FrameSamples*40)
	for i := range pcm {
		x := float64(i) / SampleRate
		// A voiced-like 150 Hz tone with a tremolo: SILK territory, where
		// libopus writes in-band FEC.
		pcm[i] = int16(6000*math.Sin(2*math.Pi*150*x)*(1+0.5*math.Sin(2*math.Pi*3*x)) + 2000*math.Sin(2*math.Pi*450*x))
	}
	enc, _ := newPair(t, NameOpus)
	payloads := make([][]byte, 40)
	for i := range payloads {
		b := make([]byte, MaxPayload)
		n, err := enc.Encode(pcm[i*FrameSamples:(i+1)*FrameSamples], b)
		if err != nil {
			t.Fatal(err)
		}
		payloads[i] = b[:n]
	}
	// errEnergy decodes up to lost, recovers lost (with or without the next
	// packet's FEC) and returns the error energy against a clean decode.
	errEnergy := func(lost int, useFEC bool) (float64, float64) {
		_, dec := newPair(t, NameOpus)
		_, cleanDec := newPair(t, NameOpus)
		frame := make([]int16, FrameSamples)
		clean := make([]int16, FrameSamples)
		for i := 0; i <= lost; i++ {
			if _, err := cleanDec.Decode(payloads[i], clean); err != nil {
				t.Fatal(err)
			}
			if i < lost {
				if _, err := dec.Decode(payloads[i], frame); err != nil {
					t.Fatal(err)
				}
			}
		}
		var next []byte
		if useFEC {
			next = payloads[lost+1]
		}
		if _, fec, err := dec.Recover(next, frame); err != nil || fec != useFEC {
			t.Fatalf("recover fec=%v err=%v", fec, err)
		}
		var e, s float64
		for j := range frame {
			d := float64(frame[j]) - float64(clean[j])
			e += d * d
			s += float64(clean[j]) * float64(clean[j])
		}
		return e, s
	}
	var plcE, fecE, sig float64
	better := 0
	for lost := 10; lost < 39; lost++ {
		p, s := errEnergy(lost, false)
		f, _ := errEnergy(lost, true)
		plcE, fecE, sig = plcE+p, fecE+f, sig+s
		if f < p {
			better++
		}
	}
	t.Logf("lost-frame SNR against a clean decode: PLC %.1f dB, FEC %.1f dB; FEC better in %d of 29 positions",
		10*math.Log10(sig/plcE), 10*math.Log10(sig/fecE), better)
	if fecE >= plcE || better == 0 {
		t.Errorf("FEC not better than PLC")
	}
	g := NewG711(true)
	gd, _ := NewFrameDecoder(g)
	if _, used, err := gd.Recover([]byte{1, 2, 3}, make([]int16, FrameSamples)); used || err != nil {
		t.Fatalf("g711 recover: fec=%v err=%v", used, err)
	}
}

// BenchmarkOpusEncode: one 20 ms frame of a tone at each complexity
// (what the relay's mixer pays per transcoded frame).
func BenchmarkOpusEncode(b *testing.B) {
	for _, cx := range []int{10, 5, 3, 1} {
		b.Run(fmt.Sprintf("complexity-%d", cx), func(b *testing.B) {
			c, err := NewOpus()
			if err != nil {
				b.Skip(err)
			}
			defer c.Close()
			if err := c.(interface{ SetComplexity(int) error }).SetComplexity(cx); err != nil {
				b.Fatal(err)
			}
			pcm := make([]int16, FrameSamples)
			(&Tone{Freqs: []float64{440}, Amplitude: 0.3}).Fill(pcm)
			out := make([]byte, MaxPayload)
			b.ResetTimer()
			for range b.N {
				if _, err := c.Encode(pcm, out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
