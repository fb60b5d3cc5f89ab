package rtc

import (
	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/jitter"
	"github.com/agentty/agentty/audio/stream"
)

// Played says what DecodeFrame made of a jitter buffer frame (the shared
// pipeline's stream.Played).
type Played = stream.Played

// What DecodeFrame played.
const (
	PlayedSilence   = stream.PlayedSilence
	PlayedDecoded   = stream.PlayedDecoded
	PlayedRecovered = stream.PlayedRecovered
	PlayedConcealed = stream.PlayedConcealed
)

// DecodeFrame is stream.DecodeFrame.
func DecodeFrame(dec *audio.FrameDecoder, f jitter.Frame, pcm []int16) (Played, error) {
	return stream.DecodeFrame(dec, f, pcm)
}

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
