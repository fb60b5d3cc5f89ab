package media

import (
	"context"
	"errors"
	"fmt"
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
	"github.com/agentty/agentty/vendors/local/proto"
)

// route is where one leg's incoming packets go: forwarded as they are to
// fwd, and decoded for the mixer when decode is set.
type route struct {
	fwd    []*leg
	decode bool
}

// leg is one party's peer connection in one call.
type leg struct {
	// What every packet reads, first and together (warm.go).
	rxMu   sync.Mutex // one onRTP at a time: pion's SRTP goroutine, or a socket's tap (fast.go)
	route  atomic.Pointer[route]
	out    *relayTrack
	pts    *[128]ptCodec // incoming payload types (the server's, or a plain RTP leg's)
	lastRx atomic.Int64  // when the last packet came, Unix ns; 0 before any
	ctr    legCounters   // the leg's share of the relay's Stats (stats.go)
	rx     rx            // the receive path's state (rx.go)

	s       *Server
	call    string
	party   string
	pc      *webrtc.PeerConnection
	rtp     *RTPLeg            // a plain RTP leg (rtp.go) instead of pc, or nil
	rtpSink *func(*rtp.Packet) // what this leg set as rtp's sink
	mixIn   mixInput           // what the mixer takes from this leg (mixer.go)
	fast    *fastPath          // the leg's own SRTP (fast.go); nil: pion's

	watchFrom time.Time // silence counts from here when no packet came since; loop only (watch.go)
	silent    bool      // loop only (watch.go)
	answered  bool      // the party answered the offer; loop only

	mu      sync.Mutex
	in      string // incoming codec name, "" until the first packet; written by the SRTP goroutine only
	closed  bool
	tracked bool // OnTrack came

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func (l *leg) inCodec() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.in
}

func (l *leg) outCodec() string { return l.out.codecName() }

// newLeg creates party's peer connection and sends it the offer once ICE
// gathering is done. Loop only.
func (s *Server) newLeg(c *call, party string) error {
	if r := s.rtps[party]; r != nil {
		return s.newRTPLeg(c, party, r)
	}
	if err := s.partyFor(party); err != nil {
		return err
	}
	l := &leg{s: s, call: c.id, party: party, pts: s.pts}
	api, err := s.legAPI(l, c)
	if err != nil {
		return err
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return fmt.Errorf("media: peer connection: %w", err)
	}
	l.pc = pc
	l.ctx, l.cancel = context.WithCancel(s.ctx)
	l.route.Store(&route{})
	callID := c.id
	l.out = newRelayTrack(s.codecsFor(c), func() { s.post(func() { s.rerouteCall(callID) }) })
	sender, err := pc.AddTrack(l.out)
	if err != nil {
		l.cancel()
		pc.Close()
		return fmt.Errorf("media: add track: %w", err)
	}
	if l.fast != nil {
		l.fast.watch(sender.Transport().ICETransport())
	}
	pc.OnTrack(func(_ *webrtc.TrackRemote, r *webrtc.RTPReceiver) {
		l.mu.Lock()
		defer l.mu.Unlock()
		if !l.closed && !l.tracked {
			l.tracked = true
			l.wg.Add(1)
			go l.readReceiverRTCP(r) // owned by the leg; close waits
			if l.fast != nil {
				l.fast.onTrack()
			}
		}
	})
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		l.cancel()
		pc.Close()
		return fmt.Errorf("media: offer: %w", err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		l.cancel()
		pc.Close()
		return fmt.Errorf("media: local offer: %w", err)
	}
	c.legs[party] = l
	s.legs.Add(1)
	s.live.Store(l, struct{}{})
	if op := s.parties[party]; op != nil {
		op.legs++
	}
	l.wg.Add(3)
	go l.readRTCP(sender)
	go l.reportLoop()
	go func() {
		defer l.wg.Done()
		select {
		case <-gathered:
		case <-l.ctx.Done():
			return
		}
		sdp := pc.LocalDescription().SDP
		s.post(func() {
			// The call may have ended, or the leg been dropped, while the
			// candidates gathered: no offer for a leg that is gone.
			// A leg moved into another call (a consultation joined,
			// join.go) still gets its offer under the id it was made for.
			if cc := s.callFor(callID); cc == nil || cc.legs[party] != l {
				return
			}
			s.sendTo(party, proto.Signal{CallID: callID, Kind: "offer", SDP: sdp})
		})
	}()
	return nil
}

// rerouteCall recomputes a call's routes after a negotiation finished.
func (s *Server) rerouteCall(id string) {
	if c := s.callFor(id); c != nil {
		s.route(c)
	}
}

// dropLeg closes party's leg of c. Loop only.
func (s *Server) dropLeg(c *call, party string) {
	l := c.legs[party]
	if l == nil {
		return
	}
	delete(c.legs, party)
	s.legs.Add(-1)
	if l.rtp != nil {
		s.rtpLegs.Add(-1)
	}
	// Nobody may forward into the closing leg: reroute first.
	s.route(c)
	if err := l.close(); err != nil {
		s.cfg.Logger.Debug("media: close leg", "call", c.id, "party", party, "err", err)
	}
	if op := s.parties[party]; op != nil {
		op.legs--
		op.p.End(c.id)
		if op.legs <= 0 {
			delete(s.parties, party)
			op.close(&s.wg)
		}
	}
}

func (l *leg) close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	l.mu.Unlock()
	l.s.retire(l)
	l.cancel()
	if l.rtp != nil {
		// The owner keeps the rtpleg.Leg; the relay only stops hearing it
		// (Deliver may still be running the last packet: route is nil-safe).
		l.rtp.sink.CompareAndSwap(l.rtpSink, nil)
		l.route.Store(&route{})
		return nil
	}
	if l.fast != nil {
		l.fast.close()
	}
	err := l.pc.Close()
	l.wg.Wait()
	return err
}

func (l *leg) readRTCP(sender *webrtc.RTPSender) {
	defer l.wg.Done()
	for {
		if _, _, err := sender.ReadRTCP(); err != nil {
			return
		}
	}
}

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
