package audio

import (
	"fmt"

	"github.com/agentty/agentty/audio/g711"
)

// G711 is the PCMU (u-law) or PCMA (A-law) codec at 8 kHz with G.711
// Appendix I-style packet loss concealment.
type G711 struct {
	ulaw bool
	plc  plc
}

// NewG711 returns a PCMU codec when ulaw is true, else PCMA.
func NewG711(ulaw bool) *G711 { return &G711{ulaw: ulaw} }

// Name implements Codec.
func (c *G711) Name() string {
	if c.ulaw {
		return NamePCMU
	}
	return NamePCMA
}

// PayloadType implements Codec: 0 for PCMU, 8 for PCMA (RFC 3551).
func (c *G711) PayloadType() uint8 {
	if c.ulaw {
		return 0
	}
	return 8
}

// ClockRate implements Codec.
func (c *G711) ClockRate() int { return 8000 }

// SampleRate implements Codec.
func (c *G711) SampleRate() int { return 8000 }

// FrameSamples implements Codec.
func (c *G711) FrameSamples() int { return FrameSamples * 8000 / SampleRate }

// Encode implements Codec.
func (c *G711) Encode(pcm []int16, out []byte) (int, error) {
	if len(out) < len(pcm) {
		return 0, fmt.Errorf("audio: %s encode: output %d bytes for %d samples", c.Name(), len(out), len(pcm))
	}
	if c.ulaw {
		return g711.UlawEncodeFrame(pcm, out), nil
	}
	return g711.AlawEncodeFrame(pcm, out), nil
}

// Decode implements Codec. A payload of any length is accepted (one sample
// per byte); pcm must be at least as long as the payload.
func (c *G711) Decode(payload []byte, pcm []int16) (int, error) {
	if len(pcm) < len(payload) {
		return 0, fmt.Errorf("audio: %s decode: %d-byte payload into %d samples", c.Name(), len(payload), len(pcm))
	}
	var n int
	if c.ulaw {
		n = g711.UlawDecodeFrame(payload, pcm)
	} else {
		n = g711.AlawDecodeFrame(payload, pcm)
	}
	c.plc.good(pcm[:n])
	return n, nil
}

// Conceal implements Codec.
func (c *G711) Conceal(pcm []int16) (int, error) {
	c.plc.conceal(pcm)
	return len(pcm), nil
}

// Close implements Codec.
func (c *G711) Close() error { return nil }
