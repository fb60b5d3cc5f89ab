package g711

import (
	"math"
	"testing"
)

// Known code points from G.711 tables 1a/2a (and the Sun reference coder).
func TestKnownCodePoints(t *testing.T) {
	ulaw := []struct {
		code uint8
		lin  int16
	}{
		{0xFF, 0}, {0x7F, 0}, {0x80, 32124}, {0x00, -32124},
		{0xFE, 8}, {0x7E, -8}, {0xF0, 120}, {0xEF, 132}, {0xE0, 372},
		{0xDF, 396}, {0x8F, 16764}, {0x90, 15996},
	}
	for _, c := range ulaw {
		if got := DecodeUlaw(c.code); got != c.lin {
			t.Errorf("ulaw decode %#02x = %d, want %d", c.code, got, c.lin)
		}
	}
	alaw := []struct {
		code uint8
		lin  int16
	}{
		{0xD5, 8}, {0x55, -8}, {0xAA, 32256}, {0x2A, -32256},
		{0xD4, 24}, {0xC5, 264}, {0xF5, 528}, {0xE5, 1056},
	}
	for _, c := range alaw {
		if got := DecodeAlaw(c.code); got != c.lin {
			t.Errorf("alaw decode %#02x = %d, want %d", c.code, got, c.lin)
		}
	}
	enc := []struct {
		lin        int16
		ulaw, alaw uint8
	}{
		{0, 0xFF, 0xD5}, {-1, 0x7E, 0x55}, {-4, 0x7E, 0x55}, {3, 0xFF, 0xD5}, {32767, 0x80, 0xAA}, {-32768, 0x00, 0x2A},
		{1000, 0xCE, 0xFA}, {-1000, 0x4E, 0x7A},
	}
	for _, c := range enc {
		if got := EncodeUlaw(c.lin); got != c.ulaw {
			t.Errorf("ulaw encode %d = %#02x, want %#02x", c.lin, got, c.ulaw)
		}
		if got := EncodeAlaw(c.lin); got != c.alaw {
			t.Errorf("alaw encode %d = %#02x, want %#02x", c.lin, got, c.alaw)
		}
	}
}

// TestSegmentEnds checks the decision levels of each u-law segment (G.711
// table 2a, scaled to 16 bits): the first code of segment e decodes to
// (132<<e)-132.
func TestSegmentEnds(t *testing.T) {
	for e := 0; e < 8; e++ {
		code := ^uint8(e << 4) // positive, mantissa 0
		want := int16(132<<e - 132)
		if got := DecodeUlaw(code); got != want {
			t.Errorf("ulaw segment %d start = %d, want %d", e, got, want)
		}
		step := int16(8 << e)
		if got := DecodeUlaw(code-1) - DecodeUlaw(code); got != step {
			t.Errorf("ulaw segment %d step = %d, want %d", e, got, step)
		}
	}
	for e := 1; e < 8; e++ {
		code := uint8(0x80|e<<4) ^ 0x55
		step := int16(16 << (e - 1))
		if got := DecodeAlaw(code); got <= 0 {
			t.Errorf("alaw segment %d decodes to %d", e, got)
		}
		next := (uint8(0x80|e<<4|1) ^ 0x55)
		if got := DecodeAlaw(next) - DecodeAlaw(code); got != step {
			t.Errorf("alaw segment %d step = %d, want %d", e, got, step)
		}
	}
}

func TestRoundTripBounds(t *testing.T) {
	for x := math.MinInt16; x <= math.MaxInt16; x++ {
		s := int16(x)
		a := math.Abs(float64(x))
		if e := math.Abs(float64(DecodeUlaw(EncodeUlaw(s))) - float64(x)); e > a/16+8 {
			t.Fatalf("ulaw round trip %d error %v", x, e)
		}
		if e := math.Abs(float64(DecodeAlaw(EncodeAlaw(s))) - float64(x)); e > a/16+16 {
			t.Fatalf("alaw round trip %d error %v", x, e)
		}
	}
	// Every code is a fixed point of decode->encode (except u-law negative zero).
	for c := 0; c < 256; c++ {
		if got := EncodeUlaw(DecodeUlaw(uint8(c))); got != uint8(c) && c != 0x7F {
			t.Errorf("ulaw code %#02x re-encodes to %#02x", c, got)
		}
		if got := EncodeAlaw(DecodeAlaw(uint8(c))); got != uint8(c) {
			t.Errorf("alaw code %#02x re-encodes to %#02x", c, got)
		}
	}
}

func TestFrames(t *testing.T) {
	pcm := []int16{0, 100, -100, 32767, -32768}
	b := make([]byte, 8)
	n := UlawEncodeFrame(pcm, b)
	out := make([]int16, 5)
	if n != 5 || UlawDecodeFrame(b[:n], out) != 5 {
		t.Fatalf("ulaw frame lengths")
	}
	n = AlawEncodeFrame(pcm, b)
	if n != 5 || AlawDecodeFrame(b[:n], out) != 5 {
		t.Fatalf("alaw frame lengths")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte{0x00, 0x7F, 0x80, 0xFF, 0x55, 0xD5})
	f.Fuzz(func(t *testing.T, in []byte) {
		pcm := make([]int16, len(in))
		UlawDecodeFrame(in, pcm)
		out := make([]byte, len(in))
		UlawEncodeFrame(pcm, out)
		for i := range in {
			if in[i] != out[i] && in[i] != 0x7F {
				t.Fatalf("ulaw %#02x -> %d -> %#02x", in[i], pcm[i], out[i])
			}
		}
		AlawDecodeFrame(in, pcm)
		AlawEncodeFrame(pcm, out)
		for i := range in {
			if in[i] != out[i] {
				t.Fatalf("alaw %#02x -> %d -> %#02x", in[i], pcm[i], out[i])
			}
		}
	})
}

func BenchmarkUlawEncode(b *testing.B) {
	pcm := make([]int16, 160)
	out := make([]byte, 160)
	for b.Loop() {
		UlawEncodeFrame(pcm, out)
	}
}
