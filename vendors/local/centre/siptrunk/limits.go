package siptrunk

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"github.com/pion/rtp"
)

// digitReader finds the digits in RFC 4733 telephone-events: one per
// event, at its first end packet.
type digitReader struct {
	ok    bool
	pt    uint8
	clock uint32
	last  uint32 // timestamp of the last digit reported
	any   bool
}

func (d *digitReader) read(pkt *rtp.Packet) (rune, bool) {
	if !d.ok || pkt.PayloadType != d.pt || len(pkt.Payload) < 4 || pkt.Payload[1]&0x80 == 0 {
		return 0, false
	}
	if d.any && d.last == pkt.Timestamp {
		return 0, false
	}
	ev := pkt.Payload[0]
	if ev > 15 {
		return 0, false
	}
	d.any, d.last = true, pkt.Timestamp
	return rune("0123456789*#ABCD"[ev]), true
}

// limiter is a token bucket per source address.
type limiter struct {
	mu    sync.Mutex
	rate  float64
	burst float64
	b     map[netip.Addr]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	if rate <= 0 {
		rate = 10
	}
	if burst <= 0 {
		burst = 20
	}
	return &limiter{rate: rate, burst: float64(burst), b: map[netip.Addr]*bucket{}}
}

func (l *limiter) allow(a netip.Addr, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.b[a]
	if b == nil {
		if len(l.b) > 10000 {
			clear(l.b) // bounded memory under a spoofed flood
		}
		b = &bucket{tokens: l.burst, at: now}
		l.b[a] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// endLate ends, once, a call the engine placed after the trunk had given
// up on it (503 to the caller): without it the call would wait in the
// queue, or ring an agent, with nobody on the line. It runs on the engine
// goroutine (the placed callback) or the INVITE handler, whichever comes
// second acts.
func (c *inCall) endLate() {
	id := c.partyID()
	if id == "" || !c.gaveUp.Load() {
		return
	}
	c.lateOnce.Do(func() {
		c.t.log.Warn("siptrunk: ending a call the centre placed after its INVITE was refused", "party", id)
		c.t.wg.Add(1)
		go func() {
			defer c.t.wg.Done()
			ctx, cancel := context.WithTimeout(c.t.ctx, 30*time.Second)
			defer cancel()
			if err := c.t.cfg.Centre.TrunkEnd(ctx, id, "refused"); err != nil {
				c.t.log.Warn("siptrunk: end a refused call", "party", id, "err", err)
			}
			if c.t.cfg.Relay != nil {
				c.t.cfg.Relay.DetachRTP(id)
			}
		}()
	})
}
