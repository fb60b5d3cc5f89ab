// Package stream is the audio pipeline a call leg runs, whatever carries
// its RTP: a Player (RTP packets in, jitter buffer, decode or conceal,
// DTMF out, levels, quality, into a device's speaker) and a Sender (a
// device's microphone, mute, levels, encode, RFC 4733 digits, RTP packets
// out through a Writer). The WebRTC leg (audio/rtc, over pion's
// PeerConnection) and the plain RTP leg (audio/rtpleg, over a UDP socket
// with optional SDES-keyed SRTP) both run these two: there is one audio
// stack and one jitter buffer.
//
// It also holds what a call's owner reports from it: QualityReport,
// Levels, and the device helpers of a call (OpenDevice with its null
// fallback, LiveEdge backlog trimming).
package stream

import (
	"strings"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/quality"
)

// TelephoneEvent is the RFC 4733 encoding name.
const TelephoneEvent = "telephone-event"

// Codec is one negotiated RTP payload format.
type Codec struct {
	PT       uint8
	Name     string // SDP encoding name: "opus", "PCMU", "PCMA", "telephone-event"
	Clock    uint32 // RTP clock rate in Hz
	Channels int    // 0 or 1: mono; Opus is 2 in SDP
	Fmtp     string // the a=fmtp parameters, "" when none
}

// IsTelephoneEvent reports whether c is RFC 4733 telephone-event.
func (c Codec) IsTelephoneEvent() bool { return strings.EqualFold(c.Name, TelephoneEvent) }

// IsZero reports whether c is unset.
func (c Codec) IsZero() bool { return c.Name == "" }

// Played says what Unpacker.Unpack made of a jitter buffer frame.
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

// MediaTime remembers the last media packet's sequence number and
// timestamp, to place telephone-event packets (which all carry their
// event's start) on the media timeline as the slots they take.
type MediaTime struct {
	seq  uint16
	ts   uint32
	have bool
	step uint32 // timestamp units per packet, learnt from consecutive packets
}

// Media records a media packet.
func (m *MediaTime) Media(seq uint16, ts uint32) {
	if m.have && seq == m.seq+1 && ts != m.ts && ts-m.ts < 1<<16 {
		m.step = ts - m.ts
	}
	m.seq, m.ts, m.have = seq, ts, true
}

// SlotTS is the media timestamp of the packet slot with sequence number
// seq (slots as long as the media packets, a frame before two were
// seen), 0 before any media packet.
func (m *MediaTime) SlotTS(seq uint16, clock uint32) uint32 {
	if !m.have {
		return 0
	}
	step := m.step
	if step == 0 {
		step = audio.FrameTicks(clock)
	}
	return m.ts + uint32(int32(int16(seq-m.seq)))*step
}

// Levels are the latest microphone (after mute) and speaker levels.
type Levels struct {
	Mic, Speaker audio.Level
}

// QualityReport is a quality snapshot with the verdict.
type QualityReport struct {
	quality.Stats
	Codec    string // negotiated send codec
	Degraded bool
	Reason   string // e.g. "loss 7.1%", empty when fine
}

// Report takes q's snapshot and judges it by th (zero value:
// quality.DefaultThresholds); codec is the send codec's name.
func Report(q *quality.Monitor, codec string, th quality.Thresholds) QualityReport {
	if th == (quality.Thresholds{}) {
		th = quality.DefaultThresholds
	}
	s := q.Snapshot()
	bad, why := th.Degraded(s)
	return QualityReport{Stats: s, Codec: codec, Degraded: bad, Reason: why}
}
