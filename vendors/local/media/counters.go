package media

import "sync/atomic"

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

func (c *legCounters) add(n counts) {
	c.received.Add(n.received)
	c.forwarded.Add(n.forwarded)
	c.writeErrs.Add(n.writeErrs)
	c.ownIn.Add(n.ownIn)
	c.ownOut.Add(n.ownOut)
	c.ownRejected.Add(n.ownRejected)
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
		s.retired.add(l.ctr.load())
	}
}

// legCounts sums the closed legs' counters and the open ones'.
func (s *Server) legCounts() counts {
	n := s.retired.load()
	s.live.Range(func(k, _ any) bool {
		n.plus(k.(*leg).ctr.load())
		return true
	})
	return n
}
