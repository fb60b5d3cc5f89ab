package media

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

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
