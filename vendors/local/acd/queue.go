package acd

import (
	"time"

	"github.com/agentty/agentty/session"
)

// join puts c in g's queue and tells the caller where it stands.
func (e *Engine) join(now time.Time, c *call, g *group) {
	c.phase, c.direct = phQueued, false
	g.enqueue(c)
	if g.members == 0 {
		c.noAgents = true
		if c.a.customer() {
			e.emit(c.a, session.QueueNoAgents{Base: base(now), Group: g.cfg.ID})
		}
	} else if c.a.customer() {
		c.noAgents = false
		c.lastPos = e.position(c)
		c.lastEst = e.estimate(g, c.lastPos)
		e.emit(c.a, session.QueueJoined{Base: base(now), Group: g.cfg.ID, Position: c.lastPos, EstimatedWait: c.lastEst})
	}
	e.routeCall(now, c)
	e.queueChanged(now, g)
}

func (e *Engine) position(c *call) int {
	n := 1
	for x := c.qprev; x != nil; x = x.qprev {
		n++
	}
	return n
}

// estimate is the documented wait formula (docs/protocol.md): with n agents
// serving the group and a mean handle time H over the last samples, the
// caller at position p waits about H * (p - 0.5) / n. Unknown with fewer
// than 3 samples or nobody serving.
func (e *Engine) estimate(g *group, pos int) session.Seconds {
	if g.serving == 0 || len(g.handle) < 3 {
		return session.Unknown
	}
	var sum time.Duration
	for _, d := range g.handle {
		sum += d
	}
	h := sum / time.Duration(len(g.handle))
	est := time.Duration(float64(h) * (float64(pos) - 0.5) / float64(g.serving))
	return session.Secs(est.Round(time.Second))
}

// queueChanged tells every waiting caller of g its place, when it moved.
func (e *Engine) queueChanged(now time.Time, g *group) {
	if e.cfg.Offline {
		return // nobody reads the callers' places offline
	}
	pos := 0
	for c := g.qhead; c != nil; c = c.qnext {
		pos++
		if c.callbackPending() {
			e.callbackPlace(now, c, pos)
		}
		if !c.a.customer() {
			continue
		}
		switch {
		case g.members == 0:
			if !c.noAgents {
				c.noAgents = true
				e.emit(c.a, session.QueueNoAgents{Base: base(now), Group: g.cfg.ID})
			}
		case c.noAgents:
			c.noAgents = false
			c.lastPos, c.lastEst = pos, e.estimate(g, pos)
			e.emit(c.a, session.QueueJoined{Base: base(now), Group: g.cfg.ID, Position: pos, EstimatedWait: c.lastEst})
		default:
			est := e.estimate(g, pos)
			if pos != c.lastPos || est != c.lastEst {
				c.lastPos, c.lastEst = pos, est
				e.emit(c.a, session.QueueUpdated{Base: base(now), Position: pos, EstimatedWait: est})
			}
		}
	}
}
