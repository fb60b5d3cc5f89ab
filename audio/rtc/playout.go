package rtc

import (
	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/stream"
)

// Played says what Unpacker.Unpack made of a jitter buffer frame (the shared
// pipeline's stream.Played).
type Played = stream.Played

// What Unpacker.Unpack played.
const (
	PlayedSilence   = stream.PlayedSilence
	PlayedDecoded   = stream.PlayedDecoded
	PlayedRecovered = stream.PlayedRecovered
	PlayedConcealed = stream.PlayedConcealed
)

// Unpacker is stream.Unpacker: packets of any duration into frames.
type Unpacker = stream.Unpacker

// NewUnpacker is stream.NewUnpacker.
func NewUnpacker(dec *audio.FrameDecoder) *Unpacker { return stream.NewUnpacker(dec) }

// MediaTime is stream.MediaTime.
type MediaTime = stream.MediaTime

// Stats are the player's counters (stream.Stats).
type Stats = stream.Stats

// Levels are the latest microphone (after mute) and speaker levels.
type Levels = stream.Levels

// QualityReport is a quality snapshot with the verdict.
type QualityReport = stream.QualityReport

// codecOf turns pion's codec parameters into the pipeline's Codec.
func codecOf(c webrtc.RTPCodecParameters) stream.Codec {
	return stream.Codec{PT: uint8(c.PayloadType), Name: CodecName(c.MimeType), Clock: c.ClockRate, Channels: int(c.Channels), Fmtp: c.SDPFmtpLine}
}
