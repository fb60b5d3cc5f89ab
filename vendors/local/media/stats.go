package media

import (
	"sync/atomic"

	"github.com/agentty/agentty/audio/rtc/udpbatch"
	"github.com/agentty/agentty/audio/rtc/udplatch"
)

// Stats are the relay's counters.
type Stats struct {
	Legs      int64  // legs alive
	RTPLegs   int64  // of which plain RTP legs (SIP trunk calls)
	Forwarded uint64 // RTP packets forwarded without transcoding
	Mixed     uint64 // RTP packets the centre encoded (mixes, music, transcoding)
	Received  uint64 // RTP packets received from legs
	WriteErrs uint64
	// RTPReceived and RTPSent count the plain RTP legs' packets: received
	// from them (of Received) and written to them (forwarded or mixed).
	RTPReceived, RTPSent uint64
	// MixPlayed, MixLost and MixUnderrun count the frames the mixers took
	// from heard legs' jitter buffers: a packet, a slot given up with no
	// packet (lost or too late: what a listener hears concealed), and a
	// slot nothing had arrived for yet (concealed while playout waits).
	// MixMissed counts the frames listeners never got because their
	// mixer fell behind its 20 ms ticker (a tick skipped). Load figures
	// read transcoding loss from them.
	MixPlayed, MixLost, MixUnderrun, MixMissed uint64
	// Sockets sums the shared sockets' counters (zero unless
	// Config.SocketPerLeg): datagrams per read call, writes that waited
	// for room.
	Sockets udpbatch.Stats
	// Latch counts the legs' sockets connecting to their phones and
	// letting go (with Config.SocketPerLeg, unless Unlatched).
	Latch udplatch.Stats
	// OwnLegs counts the legs whose own SRTP was armed (fast.go), of
	// which OwnGCMLegs with srtpgcm's contexts; OwnIn and OwnOut the
	// packets it decrypted and encrypted, OwnRejected those that failed
	// to decrypt (forged, replayed, not the session's).
	OwnLegs, OwnGCMLegs        int64
	OwnIn, OwnOut, OwnRejected uint64
}

// Stats returns the relay's counters.
func (s *Server) Stats() Stats {
	c := s.legCounts()
	return Stats{Legs: s.legs.Load(), RTPLegs: s.rtpLegs.Load(), Forwarded: c.forwarded, Mixed: s.mixed.Load(),
		Received: c.received, WriteErrs: s.writeErrs.Load() + c.writeErrs, RTPReceived: s.rtpReceived.Load(), RTPSent: s.rtpSent.Load(),
		MixPlayed: s.mixPlayed.Load(), MixLost: s.mixLost.Load(), MixUnderrun: s.mixUnderrun.Load(),
		MixMissed: s.mixMissed.Load(), Sockets: s.udp.stats(), Latch: s.latchStats(),
		OwnLegs: s.ownLegs.Load(), OwnGCMLegs: s.ownGCMLegs.Load(), OwnIn: c.ownIn, OwnOut: c.ownOut, OwnRejected: c.ownRejected}
}

func (s *Server) latchStats() udplatch.Stats {
	if s.latch == nil {
		return udplatch.Stats{}
	}
	return s.latch.Stats()
}

// legCounters are one leg's share of the relay's packet counters. Each
// packet's counts go to its leg's, which its reader has in its cache
// anyway, not to the Server's: with one counter for the relay, both
// cores wrote its cache line for every packet. Stats sums the open
// legs' counters and the closed ones' (retire).
type legCounters struct {
	received, forwarded, writeErrs atomic.Uint64
	ownIn, ownOut, ownRejected     atomic.Uint64
}

// counts is a sum of legCounters.
type counts struct {
	received, forwarded, writeErrs uint64
	ownIn, ownOut, ownRejected     uint64
}

func (c *legCounters) load() counts {
	return counts{c.received.Load(), c.forwarded.Load(), c.writeErrs.Load(),
		c.ownIn.Load(), c.ownOut.Load(), c.ownRejected.Load()}
}

func (n *counts) plus(m counts) {
	n.received += m.received
	n.forwarded += m.forwarded
	n.writeErrs += m.writeErrs
	n.ownIn += m.ownIn
	n.ownOut += m.ownOut
	n.ownRejected += m.ownRejected
}

// retire moves a closing leg's counts to the closed legs' (a packet the
// leg counts after this is not counted).
func (s *Server) retire(l *leg) {
	if _, ok := s.live.LoadAndDelete(l); ok {
		s.retiredMu.Lock()
		s.retired.plus(l.ctr.load())
		s.retiredMu.Unlock()
	}
}

// legCounts sums the closed legs' counters and the open ones'.
func (s *Server) legCounts() counts {
	s.retiredMu.Lock()
	n := s.retired
	s.retiredMu.Unlock()
	s.live.Range(func(k, _ any) bool {
		n.plus(k.(*leg).ctr.load())
		return true
	})
	return n
}
