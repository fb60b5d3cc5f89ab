package rtc

import (
	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/jitter"
)

// Played says what DecodeFrame made of a jitter buffer frame.
type Played int

const (
	// PlayedSilence: playout waiting, or a telephone-event's slot.
	PlayedSilence Played = iota
	// PlayedDecoded: the packet was decoded (unless DecodeFrame erred).
	PlayedDecoded
	// PlayedRecovered: a lost frame rebuilt from the next packet's
	// in-band FEC.
	PlayedRecovered
	// PlayedConcealed: a lost or late frame concealed.
	PlayedConcealed
)

// DecodeFrame turns one jitter buffer frame into 20 ms of pcm: the
// packet decoded, a loss rebuilt from in-band FEC or concealed, an
// underrun concealed, silence while waiting or for an empty payload. On a
// decoder error pcm is silence and the error is returned with what was
// attempted. The phone's player and the centre's mixer both play this
// way.
func DecodeFrame(dec *audio.FrameDecoder, f jitter.Frame, pcm []int16) (Played, error) {
	var err error
	out := PlayedSilence
	switch f.Kind {
	case jitter.KindPacket:
		if len(f.Payload) == 0 {
			break
		}
		out, err = PlayedDecoded, dec.Decode(f.Payload, pcm)
	case jitter.KindLost:
		var fec bool
		fec, err = dec.Recover(f.Next, pcm)
		out = PlayedConcealed
		if fec {
			out = PlayedRecovered
		}
	case jitter.KindUnderrun:
		out, err = PlayedConcealed, dec.Conceal(pcm)
	}
	if out == PlayedSilence || err != nil {
		clear(pcm)
	}
	return out, err
}

// MediaTime remembers the last media packet's sequence number and
// timestamp, to place telephone-event packets (which all carry their
// event's start) on the media timeline as the slots they take.
type MediaTime struct {
	seq  uint16
	ts   uint32
	have bool
}

// Media records a media packet.
func (m *MediaTime) Media(seq uint16, ts uint32) { m.seq, m.ts, m.have = seq, ts, true }

// SlotTS is the media timestamp of the 20 ms slot with sequence number
// seq, 0 before any media packet.
func (m *MediaTime) SlotTS(seq uint16, clock uint32) uint32 {
	if !m.have {
		return 0
	}
	return m.ts + uint32(int32(int16(seq-m.seq)))*(clock/50)
}
