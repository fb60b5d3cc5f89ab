package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/agentty/agentty/audio"
)

// sendCodec is what the callers send: PCMU (the relay bench's callers, and
// bench/siptrunk's agents on the passthrough path) or Opus (an Opus-only
// agent, whom the relay must transcode for). Frames are encoded once and
// sent in turn, so the callers pay no encoding per packet.
type sendCodec struct {
	name   string
	step   uint32   // timestamp units per 20 ms
	frames [][]byte // a second of a 440 Hz tone, one payload per 20 ms
}

func newSendCodec(name string) (sendCodec, error) {
	switch strings.ToLower(name) {
	case "", "pcmu":
		b := make([]byte, 160)
		for i := range b {
			b[i] = 0xFF // PCMU silence
		}
		return sendCodec{name: "pcmu", step: 160, frames: [][]byte{b}}, nil
	case "opus":
		c, err := audio.NewCodec(audio.NameOpus)
		if err != nil {
			return sendCodec{}, fmt.Errorf("-codec opus: %w", err)
		}
		defer c.Close()
		enc, err := audio.NewFrameEncoder(c)
		if err != nil {
			return sendCodec{}, err
		}
		sc := sendCodec{name: "opus", step: 960}
		pcm := make([]int16, audio.FrameSamples)
		for f := range 50 {
			for i := range pcm {
				t := float64(f*audio.FrameSamples+i) / audio.SampleRate
				pcm[i] = int16(8000 * math.Sin(2*math.Pi*440*t))
			}
			out := make([]byte, audio.MaxPayload)
			n, err := enc.Encode(pcm, out)
			if err != nil {
				return sendCodec{}, err
			}
			sc.frames = append(sc.frames, out[:n])
		}
		return sc, nil
	}
	return sendCodec{}, fmt.Errorf("-codec %q: want pcmu or opus", name)
}

// answerLine is the answer's m= payload list and rtpmap for the offer.
func (c sendCodec) answer(o offer) (pt uint8, rtpmap string) {
	if c.name == "opus" {
		return o.opusPT, fmt.Sprintf("a=rtpmap:%d opus/48000/2\r\n", o.opusPT)
	}
	return 0, "a=rtpmap:0 PCMU/8000\r\n"
}
