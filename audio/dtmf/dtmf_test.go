package dtmf

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func TestMarshalKnownBytes(t *testing.T) {
	// RFC 4733 figure 1 layout: event 5, E=1, volume 10, duration 1000.
	b := make([]byte, 4)
	n, err := Event{Code: 5, End: true, Volume: 10, Duration: 1000}.Marshal(b)
	if err != nil || n != 4 || !bytes.Equal(b, []byte{5, 0x8A, 0x03, 0xE8}) {
		t.Fatalf("marshal = % x, %v", b, err)
	}
	e, err := Unmarshal([]byte{11, 0x4A, 0x01, 0x40, 0xFF}) // R bit set, extra byte
	if err != nil || e != (Event{Code: 11, Volume: 10, Duration: 320}) {
		t.Fatalf("unmarshal = %+v, %v", e, err)
	}
	if _, err := Unmarshal([]byte{1, 2}); !errors.Is(err, ErrShort) {
		t.Fatalf("short payload: %v", err)
	}
	if _, err := (Event{}).Marshal(b[:2]); !errors.Is(err, ErrShort) {
		t.Fatalf("short buffer: %v", err)
	}
}

func TestCodes(t *testing.T) {
	for i, d := range "0123456789*#ABCD" {
		c, err := Code(d)
		if err != nil || int(c) != i {
			t.Fatalf("Code(%q) = %d, %v", d, c, err)
		}
		if back, ok := Digit(c); !ok || back != d {
			t.Fatalf("Digit(%d) = %q", c, back)
		}
	}
	if c, _ := Code('b'); c != 13 {
		t.Fatal("lower case")
	}
	if _, err := Code('x'); !errors.Is(err, ErrDigit) {
		t.Fatal("x accepted")
	}
	if _, ok := Digit(16); ok {
		t.Fatal("flash is not a digit")
	}
}

func TestPacketsShape(t *testing.T) {
	evs := Packets(7, 10, 800, 160)
	if len(evs) != 4+3 {
		t.Fatalf("%d packets, want 7: %+v", len(evs), evs)
	}
	for i, e := range evs[:4] {
		if e.End || e.Duration != uint16(160*(i+1)) {
			t.Fatalf("update %d = %+v", i, e)
		}
	}
	for _, e := range evs[4:] {
		if !e.End || e.Duration != 800 || e.Code != 7 {
			t.Fatalf("end packet = %+v", e)
		}
	}
}

// TestReceiverDedupesUnderLoss sends a digit string with each packet lost
// at random (30 %) and duplicated at random, and expects each digit once,
// as long as one packet of each event survived.
func TestReceiverDedupesUnderLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	want := "0123456789*#ABCD159"
	var r Receiver
	var got []rune
	b := make([]byte, 4)
	for i, d := range want {
		code, _ := Code(d)
		ts := uint32(i) * 8000
		evs := Packets(code, 10, 1280, 160)
		survived := false
		for j, e := range evs {
			if rng.Float64() < 0.3 && !(j == len(evs)-1 && !survived) {
				continue
			}
			survived = true
			e.Marshal(b)
			for range 1 + rng.IntN(2) {
				digit, ok, err := r.Feed(ts, b)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					got = append(got, digit)
				}
			}
		}
	}
	if string(got) != want {
		t.Fatalf("received %q, want %q", string(got), want)
	}
}

func TestGoertzelDetectsEveryDigit(t *testing.T) {
	for _, rate := range []int{8000, 48000} {
		for _, d := range "0123456789*#ABCD" {
			pcm := make([]int16, rate/50)
			if err := Generate(pcm, d, rate, 0.25, 0); err != nil {
				t.Fatal(err)
			}
			got, ok := Detect(pcm, rate)
			if !ok || got != d {
				t.Errorf("rate %d digit %q: detected %q %v", rate, d, got, ok)
			}
		}
	}
}

func TestGoertzelRejectsSpeechLikeAndSilence(t *testing.T) {
	pcm := make([]int16, 960)
	if _, ok := Detect(pcm, 48000); ok {
		t.Fatal("silence detected as a digit")
	}
	// A single 1 kHz tone and a single row tone are not digits.
	for _, f := range []float64{1000, 697} {
		for i := range pcm {
			pcm[i] = int16(8000 * math.Sin(2*math.Pi*f*float64(i)/48000))
		}
		if d, ok := Detect(pcm, 48000); ok {
			t.Fatalf("%v Hz detected as %q", f, d)
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range pcm {
		pcm[i] = int16(rng.NormFloat64() * 5000)
	}
	if d, ok := Detect(pcm, 48000); ok {
		t.Fatalf("noise detected as %q", d)
	}
}

// TestDetectorStream: digits are found in 20 ms blocks whatever lengths
// the audio is fed in (a player hands over 10 ms frames, or a far end's
// 30 ms packets whole).
func TestDetectorStream(t *testing.T) {
	for _, chunk := range []int{80, 160, 240, 70} {
		det := Detector{Rate: 8000}
		var got []rune
		off := 0
		feed := func(d rune, ms int) {
			pcm := make([]int16, ms*8)
			if d != 0 {
				Generate(pcm, d, 8000, 0.2, off)
			}
			off += len(pcm)
			for i := 0; i < len(pcm); i += chunk {
				if x, ok := det.Frame(pcm[i:min(i+chunk, len(pcm))]); ok {
					got = append(got, x)
				}
			}
		}
		feed('1', 100)
		feed(0, 40)
		feed('1', 80)
		feed('#', 80)
		feed(0, 20)
		if string(got) != "11#" {
			t.Fatalf("fed %d samples at a time: detected %q, want 11#", chunk, string(got))
		}
	}
}

func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte{5, 0x8A, 0x03, 0xE8})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := Unmarshal(b)
		if err != nil {
			return
		}
		out := make([]byte, 4)
		if _, err := e.Marshal(out); err != nil {
			t.Fatal(err)
		}
		e2, err := Unmarshal(out)
		if err != nil || e2 != e {
			t.Fatalf("round trip %+v -> %+v", e, e2)
		}
		if out[0] != b[0] || out[1]&0xBF != b[1]&0xBF || out[2] != b[2] || out[3] != b[3] {
			t.Fatalf("re-encoded % x from % x", out, b[:4])
		}
		var r Receiver
		r.Feed(1, b)
	})
}
