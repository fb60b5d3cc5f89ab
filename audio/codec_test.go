package audio

import (
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
				if err := dec.Decode(payload[:n], frame); err != nil {
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
				if err := dec.Decode(payload[:n], frame); err != nil {
					t.Fatal(err)
				}
			}
			if err := dec.Conceal(frame); err != nil {
				t.Fatal(err)
			}
			if a := amplitude(frame, 200, SampleRate); a < 0.12 {
				t.Errorf("first concealed frame: 200 Hz amplitude %.3f, want near 0.24", a)
			}
			for i := 0; i < 5; i++ {
				if err := dec.Conceal(frame); err != nil {
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
