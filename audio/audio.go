// Package audio holds everything about sound that does not depend on the
// contact centre's signalling: codecs (G.711 in-repo, Opus over libopus),
// resampling, levels, mute, mixing and tone generation. Sub-packages hold the
// jitter buffer (jitter), RFC 4733 DTMF (dtmf), call quality (quality),
// devices (device) and the pion WebRTC glue (rtc).
//
// Frames are 10 ms of mono signed 16-bit PCM (FrameDuration): a phone
// sends one frame per packet, so a sample waits at most 10 ms for its
// packet to fill. At the device rate of 48 kHz a frame is FrameSamples
// (480) samples; codecs may run at another rate and are bridged by
// FrameEncoder and FrameDecoder, which resample. What a far end sends may
// be longer (20 or 30 ms packets from SIP peers): the receiving side takes
// packets of any duration (stream.Unpacker).
package audio

import (
	"errors"
	"fmt"
	"time"
)

const (
	// SampleRate is the device-side sample rate in Hz.
	SampleRate = 48000
	// FrameDuration is the length of one frame.
	FrameDuration = 10 * time.Millisecond
	// FrameSamples is the number of samples in one device frame.
	FrameSamples = SampleRate / 100
	// MaxPayload is an upper bound for one encoded frame, in bytes.
	MaxPayload = 1500
)

// Codec names as they appear in SDP (case-insensitive there).
const (
	NameOpus = "opus"
	NamePCMU = "PCMU"
	NamePCMA = "PCMA"
)

// FrameTicks is how far an RTP timestamp at clock Hz advances in a frame.
func FrameTicks(clock uint32) uint32 {
	return uint32(int64(clock) * int64(FrameDuration) / int64(time.Second))
}

// ErrUnknownCodec is returned by NewCodec for a name it does not implement.
var ErrUnknownCodec = errors.New("audio: unknown codec")

// ErrOpusUnavailable is returned when the binary was built without Opus
// (without cgo or without the nolibopusfile build tag).
var ErrOpusUnavailable = errors.New("audio: opus not built in (needs cgo and -tags nolibopusfile)")

// Codec encodes and decodes frames (FrameDuration) at its own SampleRate;
// Decode and Conceal take any duration a packet carries.
//
// A Codec is stateful (Opus keeps predictor state, every codec keeps
// concealment history) and is not safe for concurrent use: give the encoding
// goroutine and the decoding goroutine an instance each.
type Codec interface {
	// Name is the SDP encoding name: "opus", "PCMU" or "PCMA".
	Name() string
	// PayloadType is the codec's usual RTP payload type (static for G.711,
	// conventional 111 for Opus); the negotiated one may differ.
	PayloadType() uint8
	// ClockRate is the RTP timestamp clock in Hz.
	ClockRate() int
	// SampleRate is the PCM rate of Encode, Decode and Conceal in Hz.
	SampleRate() int
	// FrameSamples is the number of PCM samples in a frame at SampleRate.
	FrameSamples() int
	// Encode encodes exactly FrameSamples samples into out and returns the
	// payload length.
	Encode(pcm []int16, out []byte) (int, error)
	// Decode decodes one payload into pcm (at least FrameSamples long) and
	// returns the number of samples written.
	Decode(payload []byte, pcm []int16) (int, error)
	// Conceal synthesises one lost frame into pcm from the decoder's history
	// (Opus PLC; G.711 Appendix I-style pitch repetition) and returns the
	// number of samples written.
	Conceal(pcm []int16) (int, error)
	// Close releases the codec's resources.
	Close() error
}

// FECDecoder is implemented by codecs that can rebuild a lost frame from
// the redundancy carried in the next packet (Opus in-band FEC).
type FECDecoder interface {
	// DecodeFEC writes the frame lost before next into pcm (FrameSamples
	// long) and returns the number of samples written.
	DecodeFEC(next []byte, pcm []int16) (int, error)
}

// NewCodec returns a fresh codec by SDP name (case-insensitive).
func NewCodec(name string) (Codec, error) {
	switch {
	case equalFold(name, NamePCMU):
		return NewG711(true), nil
	case equalFold(name, NamePCMA):
		return NewG711(false), nil
	case equalFold(name, NameOpus):
		return NewOpus()
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownCodec, name)
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
