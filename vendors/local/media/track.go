package media

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/quality"
	"github.com/agentty/agentty/audio/rtc"
	"github.com/agentty/agentty/audio/rtc/udpbatch"
)

var errUnbound = errors.New("media: track not bound")

// relayTrack is a TrackLocal the centre writes already-encoded packets to,
// from any source: it maps payload types to the negotiated ones (media and
// telephone-event) and keeps sequence numbers and timestamps continuous
// when the source changes (another leg, the mixer).
type relayTrack struct {
	mu  sync.Mutex
	own atomic.Pointer[ownTx] // the leg's own SRTP, once armed (fast.go); nil: pion's

	prefs  []string
	onBind func()

	w       webrtc.TrackLocalWriter
	ssrc    uint32
	pt      uint8
	telPT   uint8
	haveTel bool
	name    string
	step    uint32 // timestamp units per frame

	src     uint64 // current source (a leg's SSRC, or mixSource)
	started bool
	seqOff  uint16
	tsOff   uint32
	lastSeq uint16
	lastTS  uint32
	lastAt  time.Time // when the last packet was written
	hdr     rtp.Header

	// For the leg's sender reports (rx.go): the packets and payload
	// octets sent, the clock rate, when lastTS was sent, and whether
	// anything was sent since the last report.
	packets, octets uint32
	clock           uint32
	lastTSAt        time.Time
	sentSince       bool
}

func newRelayTrack(prefs []string, onBind func()) *relayTrack {
	return &relayTrack{prefs: prefs, onBind: onBind}
}

// localSSRC is the SSRC the track sends with, 0 before negotiation.
func (t *relayTrack) localSSRC() uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ssrc
}

func (t *relayTrack) codecName() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.name
}

// Bind implements webrtc.TrackLocal: our preferred negotiated codec.
func (t *relayTrack) Bind(tc webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	params := tc.CodecParameters()
	for _, want := range t.prefs {
		for _, p := range params {
			if !strings.EqualFold(rtc.CodecName(p.MimeType), want) {
				continue
			}
			t.mu.Lock()
			t.bind(tc.WriteStream(), uint32(tc.SSRC()), uint8(p.PayloadType), rtc.CodecName(p.MimeType), p.ClockRate)
			for _, q := range params {
				if strings.EqualFold(q.MimeType, "audio/telephone-event") && q.ClockRate == p.ClockRate {
					t.telPT, t.haveTel = uint8(q.PayloadType), true
				}
			}
			t.mu.Unlock()
			if t.onBind != nil {
				t.onBind()
			}
			return p, nil
		}
	}
	return webrtc.RTPCodecParameters{}, webrtc.ErrUnsupportedCodec
}

// bind sets the negotiated stream, t.mu held. A frame is
// audio.FrameDuration on the codec's clock: what a silence between two
// sources is counted in (write).
func (t *relayTrack) bind(w webrtc.TrackLocalWriter, ssrc uint32, pt uint8, name string, clock uint32) {
	t.w, t.ssrc, t.pt, t.name, t.clock, t.step = w, ssrc, pt, name, clock, audio.FrameTicks(clock)
}

// setOwn makes the track encrypt and send its packets itself from now on.
func (t *relayTrack) setOwn(o *ownTx) {
	t.own.Store(o)
}

// Unbind implements webrtc.TrackLocal.
func (t *relayTrack) Unbind(webrtc.TrackLocalContext) error {
	t.mu.Lock()
	t.w = nil
	t.mu.Unlock()
	return nil
}

func (t *relayTrack) ID() string                { return "audio" }
func (t *relayTrack) RID() string               { return "" }
func (t *relayTrack) StreamID() string          { return "centre" }
func (t *relayTrack) Kind() webrtc.RTPCodecType { return webrtc.RTPCodecTypeAudio }

// pause marks the track unfed: the next packet, from whichever source,
// continues the sequence numbers where the last one sent left off, and
// its timestamp shows the silence. Without it a source that comes back
// (the caller, after the agent retrieves) jumps by the packets the
// centre did not forward, which the listener's phone counts as loss.
// Safe from any goroutine.
func (t *relayTrack) pause() {
	t.mu.Lock()
	if t.started {
		t.src = pausedSource
	}
	t.mu.Unlock()
}

// write sends one packet from source src (tel: a telephone-event),
// written at now (the caller's clock reading: one per packet is enough,
// and on a relay's path each costs), and on q when it is a shared
// socket's tap's (ownTx.write; nil: sent at once). Safe from any
// goroutine.
func (t *relayTrack) write(src uint64, tel bool, h *rtp.Header, payload []byte, now time.Time, q *udpbatch.Queue) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.w == nil {
		return errUnbound
	}
	if tel && !t.haveTel {
		return nil
	}
	if !t.started || src != t.src {
		if t.started {
			// Continue from where the previous source left off; a pause
			// shows as a timestamp gap the size of the silence.
			gap := uint32(now.Sub(t.lastAt) / audio.FrameDuration)
			t.seqOff = t.lastSeq + 1 - h.SequenceNumber
			t.tsOff = t.lastTS + t.step*max(1, gap) - h.Timestamp
		}
		t.src, t.started = src, true
	}
	seq, ts := h.SequenceNumber+t.seqOff, h.Timestamp+t.tsOff
	if int16(seq-t.lastSeq) > 0 || t.lastAt.IsZero() {
		t.lastSeq = seq
		if !tel {
			t.lastTS, t.lastTSAt = ts, now
		}
	}
	t.lastAt = now
	pt := t.pt
	if tel {
		pt = t.telPT
	}
	t.hdr = rtp.Header{Version: 2, Marker: h.Marker, PayloadType: pt, SequenceNumber: seq, Timestamp: ts, SSRC: t.ssrc}
	var err error
	if o := t.own.Load(); o != nil {
		err = o.write(&t.hdr, payload, q)
	} else {
		_, err = t.w.WriteRTP(&t.hdr, payload)
	}
	if err == nil {
		t.packets++
		t.octets += uint32(len(payload))
		t.sentSince = true
	}
	return err
}

// senderReport returns the track's sender report at now (RFC 3550 6.4.1:
// the RTP timestamp of now on the stream's clock, extrapolated from the
// newest packet, and the packets and octets sent), with reports as its
// reception report blocks; false when nothing was sent since the last
// one (the leg then sends a receiver report).
func (t *relayTrack) senderReport(now time.Time, reports []rtcp.ReceptionReport) (*rtcp.SenderReport, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.sentSince || t.clock == 0 {
		return nil, false
	}
	t.sentSince = false
	ts := t.lastTS + uint32(now.Sub(t.lastTSAt).Seconds()*float64(t.clock))
	return &rtcp.SenderReport{SSRC: t.ssrc, NTPTime: quality.NTPTime(now), RTPTime: ts,
		PacketCount: t.packets, OctetCount: t.octets, Reports: reports}, true
}
