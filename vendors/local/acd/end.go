package acd

import (
	"time"

	"github.com/agentty/agentty/session"
)

// endCall finishes c for every leg. The call record goes out first, so the
// store holds it before anyone hears that the call ended.
func (e *Engine) endCall(now time.Time, c *call, by session.Party, disp, failReason string) {
	if c.phase == phEnded {
		return
	}
	talk := talkTime(c, now)
	e.record(now, c, by, disp, talk)
	wasQueued, g := c.inQueue, c.group
	if wasQueued {
		g.dequeue(c)
		if disp == "abandoned" {
			g.sl.gaveUp()
		}
	}
	if wasQueued && c.a.customer() {
		e.emit(c.a, session.QueueLeft{Base: base(now), By: by})
	}
	c.phase = phEnded
	c.ringGen++
	c.extGen++
	e.media(MediaOp{Kind: MediaEnded, CallID: c.id, Legs: c.legs()})
	e.trunkHangup(c)
	ended := session.CallEnded{CallBase: cbase(now, c), By: by, Duration: session.Secs(talk),
		Wait: session.Secs(c.wait), Total: session.Secs(now.Sub(c.queued))}
	type leg struct {
		p        *party
		answered bool
	}
	var legs []leg
	for _, p := range []*party{c.a, c.b, c.third} {
		if p != nil && !p.ext {
			legs = append(legs, leg{p, !c.answered.IsZero()})
		}
	}
	for _, p := range c.offered {
		legs = append(legs, leg{p, false})
	}
	for s := range c.monitors {
		legs = append(legs, leg{s, false})
	}
	c.offered, c.monitors = nil, nil
	for _, l := range legs {
		l.p.removeCall(c)
		if failReason != "" && l.p == c.a && c.answered.IsZero() {
			e.emit(l.p, session.CallFailed{CallBase: cbase(now, c), Reason: failReason})
		} else {
			e.emit(l.p, ended)
		}
	}
	delete(e.calls, c.id)
	for _, l := range legs {
		if l.p.sim && len(l.p.calls) == 0 {
			delete(e.parties, l.p.id)
		}
		e.afterCall(now, l.p, talk, g, l.answered)
	}
	if wasQueued {
		e.queueChanged(now, g)
	}
	e.rosterChanged(now)
}
