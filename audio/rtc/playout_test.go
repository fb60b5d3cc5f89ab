package rtc

import (
	"testing"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/jitter"
)

func TestUnpack(t *testing.T) {
	c, err := audio.NewCodec(audio.NamePCMU)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dec, err := audio.NewFrameDecoder(c)
	if err != nil {
		t.Fatal(err)
	}
	tone := make([]byte, 160)
	for i := range tone {
		tone[i] = byte(0x10 + i%32) // loud G.711 codes
	}
	pcm := make([]int16, audio.FrameSamples)
	loud := func() bool {
		for _, v := range pcm {
			if v != 0 {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		name  string
		f     jitter.Frame
		want  Played
		sound bool
	}{
		{"waiting", jitter.Frame{Kind: jitter.KindWaiting}, PlayedSilence, false},
		{"event slot", jitter.Frame{Kind: jitter.KindPacket}, PlayedSilence, false},
		{"packet", jitter.Frame{Kind: jitter.KindPacket, Payload: tone}, PlayedDecoded, true},
		{"packet", jitter.Frame{Kind: jitter.KindPacket, Payload: tone}, PlayedDecoded, true},
		{"packet", jitter.Frame{Kind: jitter.KindPacket, Payload: tone}, PlayedDecoded, true}, // history to conceal from
		{"lost", jitter.Frame{Kind: jitter.KindLost}, PlayedConcealed, true},
		{"underrun", jitter.Frame{Kind: jitter.KindUnderrun}, PlayedConcealed, true},
	} {
		for i := range pcm {
			pcm[i] = 1 // what was there must not leak through
		}
		up := NewUnpacker(dec)
		got, err := up.Unpack(tc.f)
		copy(pcm, up.Take(len(pcm)))
		if err != nil || got != tc.want {
			t.Fatalf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		}
		if !tc.sound && loud() {
			t.Fatalf("%s: not silence", tc.name)
		}
		if tc.sound && !loud() {
			t.Fatalf("%s: silence", tc.name)
		}
	}
}
