package media

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"

	"github.com/agentty/agentty/audio/rtpleg"
	"github.com/agentty/agentty/session"
)

// The plain RTP leg kind: a call's party whose audio comes over a plain
// RTP/SRTP leg (audio/rtpleg, relay kind) negotiated by someone else (the
// centre's SIP trunk) instead of a WebRTC peer connection the centre
// offers. Its owner attaches it under the party's id before the engine
// names the party in a call; the relay then forwards, decodes and mixes
// it as any other leg. The owner keeps the rtpleg.Leg: the relay never
// closes it.

// queueHold is a call's held party while a caller waits in a queue: the
// caller hears music on hold until the engine connects the call.
const queueHold = "\x00queue"

// RTPLeg is a plain RTP leg the relay may carry. Create it with NewRTPLeg
// before starting the rtpleg.Leg, and give the leg's Config.OnRTP the
// RTPLeg's Deliver.
type RTPLeg struct {
	leg    atomic.Pointer[rtpleg.Leg]
	sink   atomic.Pointer[func(*rtp.Packet)]
	player player // clips and music (announce.go)
}

// NewRTPLeg returns an RTPLeg without its rtpleg.Leg yet (SetLeg).
func NewRTPLeg() *RTPLeg { return &RTPLeg{} }

// SetLeg gives the started leg.
func (r *RTPLeg) SetLeg(l *rtpleg.Leg) { r.leg.Store(l) }

// Leg returns the rtpleg.Leg, nil before SetLeg.
func (r *RTPLeg) Leg() *rtpleg.Leg { return r.leg.Load() }

// Deliver is the rtpleg.Config.OnRTP of the leg: it hands a received
// packet to the relay leg carrying it, or drops it while none does.
func (r *RTPLeg) Deliver(pkt *rtp.Packet) {
	if f := r.sink.Load(); f != nil {
		(*f)(pkt)
	}
}

// AttachRTP registers party's plain RTP leg: the relay carries it in every
// call the engine names party in. Safe from any goroutine.
func (s *Server) AttachRTP(party string, r *RTPLeg) {
	s.post(func() { s.rtps[party] = r })
}

// DetachRTP forgets party's plain RTP leg; a call still carrying it drops
// it. Safe from any goroutine.
func (s *Server) DetachRTP(party string) {
	s.post(func() {
		delete(s.rtps, party)
		for _, c := range s.calls {
			if l := c.legs[party]; l != nil && l.rtp != nil {
				s.dropLeg(c, party)
			}
		}
	})
}

// DetachRTPLeg is DetachRTP for one leg: it forgets party's plain RTP
// leg only while it is r, and drops only the call legs carrying r. Two
// calls may name the same party (two dials of one number, "ext:N"): the
// end of one leaves the other's leg alone. Safe from any goroutine.
func (s *Server) DetachRTPLeg(party string, r *RTPLeg) {
	s.post(func() {
		if s.rtps[party] == r {
			delete(s.rtps, party)
		}
		for _, c := range s.calls {
			if l := c.legs[party]; l != nil && l.rtp == r {
				s.dropLeg(c, party)
			}
		}
	})
}

// Queue plays music on hold to party, waiting in a queue with call callID,
// until the engine connects or ends the call. Safe from any goroutine.
func (s *Server) Queue(callID, party string) {
	s.post(func() {
		if s.calls[callID] != nil {
			return // already connected
		}
		c := &call{id: callID, parties: []string{party}, held: queueHold, monitors: map[string]session.MonitorMode{}, legs: map[string]*leg{}}
		s.calls[callID] = c
		s.reconcile(c)
	})
}

// newRTPLeg makes the relay leg of a party with a plain RTP leg. Loop only.
func (s *Server) newRTPLeg(c *call, party string, r *RTPLeg) error {
	rl := r.Leg()
	if rl == nil {
		return errNoRTPLeg
	}
	p := rl.Params()
	// A plain RTP leg is up as soon as its call names it (its SDP was
	// answered before): its silence counts from now (watch.go).
	l := &leg{s: s, call: c.id, party: party, rtp: r, answered: true, watchFrom: time.Now()}
	l.ctx, l.cancel = context.WithCancel(s.ctx)
	l.route.Store(&route{})
	pts := *s.pts
	for _, cd := range p.Recv {
		pts[cd.PT&0x7f] = ptCodec{name: cd.Name, clock: cd.Clock, tel: cd.IsTelephoneEvent()}
	}
	l.pts = &pts
	l.out = newRelayTrack(nil, nil)
	l.out.bindRTP(rtpWriter{rl, &s.rtpSent}, p.Send.PT, p.Send.Name, p.Send.Clock, p.Tel.PT, !p.Tel.IsZero())
	f := func(pkt *rtp.Packet) {
		s.rtpReceived.Add(1)
		l.onPacket(&pkt.Header, pkt.Payload)
	}
	l.rtpSink = &f
	r.sink.Store(&f)
	c.legs[party] = l
	s.live.Store(l, struct{}{})
	s.legs.Add(1)
	s.rtpLegs.Add(1)
	return nil
}

var errNoRTPLeg = errors.New("media: plain RTP leg not started")

// rtpWriter adapts an rtpleg.Leg to the relay track's writer and counts
// what it sends.
type rtpWriter struct {
	l    *rtpleg.Leg
	sent *atomic.Uint64
}

func (w rtpWriter) WriteRTP(h *rtp.Header, payload []byte) (int, error) {
	if err := w.l.WriteRTP(h, payload); err != nil {
		return 0, err
	}
	w.sent.Add(1)
	return len(payload), nil
}

func (w rtpWriter) Write(b []byte) (int, error) {
	var p rtp.Packet
	if err := p.Unmarshal(b); err != nil {
		return 0, err
	}
	return w.WriteRTP(&p.Header, p.Payload)
}

// bindRTP binds the track to a plain RTP leg's negotiated sending codec.
func (t *relayTrack) bindRTP(w rtpWriter, pt uint8, name string, clock uint32, telPT uint8, haveTel bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.bind(w, t.ssrc, pt, name, clock)
	t.telPT, t.haveTel = telPT, haveTel
}

// codecsFor is the codec order of a WebRTC leg's offer in call c: the
// plain RTP legs' sending codecs first (PCMU or PCMA from a SIP trunk), so
// that the common path forwards without transcoding; then the rest.
func (s *Server) codecsFor(c *call) []string {
	var first []string
	for _, p := range c.parties {
		if r := s.rtps[p]; r != nil && r.Leg() != nil {
			send := r.Leg().Params().Send.Name
			i := slices.IndexFunc(s.codecs, func(n string) bool { return strings.EqualFold(n, send) })
			if i >= 0 && !slices.Contains(first, s.codecs[i]) {
				first = append(first, s.codecs[i])
			}
		}
	}
	if len(first) == 0 {
		return s.codecs
	}
	out := first
	for _, n := range s.codecs {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
