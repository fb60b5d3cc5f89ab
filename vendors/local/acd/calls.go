package acd

import (
	"fmt"
	"strconv"
	"time"

	"github.com/agentty/agentty/session"
)

func (e *Engine) newCall(now time.Time, a *party) *call {
	e.nextID++
	c := &call{id: "c" + strconv.FormatUint(e.nextID, 10), a: a, queued: now, segStart: now, segment: 1}
	e.calls[c.id] = c
	a.calls = append(a.calls, c)
	c.meet(a)
	return c
}

// place queues a customer's call to a group.
func (e *Engine) place(now time.Time, p *party, gid string) error {
	if len(p.calls) > 0 {
		return refuse(CodeRefused, "call: already calling")
	}
	if !p.sim && e.bookedFor(p) != nil {
		return refuse(CodeRefused, "call: a callback is booked; we will call you back")
	}
	if gid == "" && len(p.allowed) > 0 {
		gid = p.allowed[0]
	}
	g, ok := e.groups[gid]
	if !ok {
		return refuse(CodeNotFound, "call: no group %q", gid)
	}
	if !p.sim && len(p.allowed) > 0 && !contains(p.allowed, gid) {
		return refuse(CodeForbidden, "call: group %q is not one this kiosk may call", gid)
	}
	c := e.newCall(now, p)
	g.arrived.add(now)
	e.emit(p, session.CallDialing{CallBase: cbase(now, c), To: g.cfg.ID})
	e.join(now, c, g)
	return nil
}

// routeCall offers a waiting call to the best ready agent of its group.
func (e *Engine) routeCall(now time.Time, c *call) {
	if !c.inQueue || len(c.offered) > 0 || len(c.group.ready) == 0 {
		return
	}
	g := c.group
	if g.cfg.Strategy == RingAll {
		e.offer(now, c, append([]*party(nil), g.ready...)...)
		return
	}
	e.offer(now, c, g.ready[0])
}

// route offers p, just become ready, the oldest call waiting in its groups.
func (e *Engine) route(now time.Time, p *party) {
	if len(p.mem) == 0 {
		return
	}
	var best *call
	for _, g := range p.checkedIn {
		for c := g.qhead; c != nil; c = c.qnext {
			if len(c.offered) == 0 {
				if best == nil || c.queued.Before(best.queued) {
					best = c
				}
				break
			}
		}
	}
	if best == nil {
		return
	}
	if best.group.cfg.Strategy == RingAll {
		e.routeCall(now, best)
		return
	}
	e.why = p.display() + " became free; the call waiting longest in its groups"
	e.offer(now, best, p)
}

// offer rings agents with c, for one ring timeout.
func (e *Engine) offer(now time.Time, c *call, ps ...*party) {
	c.ringGen++
	team := ""
	if c.group != nil {
		team = c.group.cfg.ID
	}
	e.decide(now, c, ps)
	for _, p := range ps {
		c.meet(p)
		c.offered = append(c.offered, p)
		p.calls = append(p.calls, c)
		ev := session.CallRinging{CallBase: cbase(now, c), Direction: session.DirInbound,
			From: c.a.display(), To: p.id, Team: team}
		if c.callbackPending() {
			ev = callbackRinging(now, c, ev)
		}
		e.emit(p, ev)
		e.setState(now, p, session.AgentBusy, "")
		e.offerN++
		p.lastOffer = e.offerN
	}
	timeout := e.cfg.Defaults.RingTimeout
	switch {
	case c.group != nil && !c.direct:
		timeout = c.group.cfg.RingTimeout
	case len(ps) > 0:
		timeout = e.wrapFor(ps[0]).RingTimeout // a direct call rings as long as the callee's group says
	}
	e.after(now.Add(timeout), timer{kind: tRing, c: c, gen: c.ringGen})
}

func (p *party) display() string {
	if p.name != "" {
		return p.name
	}
	return p.id
}

// ringTimeout: nobody answered in time. Each agent who let it ring goes
// not_ready("missed"); the call is offered again, or fails if it rang one
// agent directly and has no queue to go back to.
func (e *Engine) ringTimeout(now time.Time, c *call) {
	if c.cb != nil && c.cb.ringing {
		e.endCall(now, c, session.BySystem, "no_answer", "no answer")
		return
	}
	missed := c.offered
	c.offered = nil
	c.ringGen++
	for _, p := range missed {
		p.removeCall(c)
		e.emit(p, session.CallEnded{CallBase: cbase(now, c), By: session.BySystem})
		if len(p.calls) == 0 && len(p.checkedIn) > 0 {
			p.prevState = session.AgentUnknown
			e.setState(now, p, session.AgentNotReady, "missed")
		} else {
			e.afterCall(now, p, 0, nil, false)
		}
	}
	e.retry(now, c, "no answer")
}

// retry offers c again after a miss or a rejection: to its queue, or it
// fails when it has none.
func (e *Engine) retry(now time.Time, c *call, reason string) {
	switch {
	case len(c.offered) > 0:
	case c.inQueue:
		e.routeCall(now, c)
	case c.group != nil && c.a.customer():
		e.join(now, c, c.group)
	default:
		e.endCall(now, c, session.BySystem, "no_answer", reason)
	}
}

func (e *Engine) answer(now time.Time, p *party, id string) error {
	if p.customer() {
		return e.callerAnswers(now, p, id)
	}
	var c *call
	for _, x := range p.calls {
		if x.isOffered(p) && (id == "" || x.idFor(p) == id) {
			c = x
			break
		}
	}
	if c == nil {
		return refuse(CodeRefused, "answer: nothing is ringing")
	}
	if talking(p) != nil {
		return refuse(CodeRefused, "answer: on a call (hold or hang up first)")
	}
	if c.callbackPending() {
		return e.answerCallback(now, p, c)
	}
	losers := c.offered
	c.offered = nil
	c.ringGen++
	wasQueued := c.inQueue
	if g := c.group; wasQueued {
		g.dequeue(c)
	}
	c.b, c.phase, c.answered, c.direct = p, phTalking, now, false
	c.wait = now.Sub(c.segStart)
	if c.segment == 1 {
		c.wait = now.Sub(c.queued)
	}
	e.stats.Answered++
	e.stats.WaitSum += c.wait
	if wasQueued && c.group != nil {
		c.group.sl.answeredAfter(c.wait)
		if e.cfg.Observe != nil {
			e.cfg.Observe("wait", c.group.cfg.ID, c.wait)
		}
	}
	for _, l := range losers {
		if l != p {
			l.removeCall(c)
			e.emit(l, session.CallEnded{CallBase: cbase(now, c), By: session.BySystem})
			e.afterCall(now, l, 0, nil, false)
		}
	}
	if c.a.customer() && wasQueued {
		e.emit(c.a, session.QueueLeft{Base: base(now), By: session.ByAnswered})
	}
	e.emit(c.a, session.CallAnswered{CallBase: cbase(now, c), Wait: session.Secs(c.wait)})
	e.emit(p, session.CallAnswered{CallBase: cbase(now, c), Wait: session.Secs(c.wait)})
	e.media(MediaOp{Kind: MediaConnected, CallID: c.id, Legs: c.legs()})
	if wasQueued {
		e.queueChanged(now, c.group)
	}
	e.rosterChanged(now)
	return nil
}

func (e *Engine) reject(now time.Time, p *party, id string) error {
	if p.customer() {
		return e.callerRejects(now, p, id)
	}
	var c *call
	for _, x := range p.calls {
		if x.isOffered(p) && (id == "" || x.idFor(p) == id) {
			c = x
			break
		}
	}
	if c == nil {
		return refuse(CodeRefused, "reject: nothing is ringing")
	}
	for i, x := range c.offered {
		if x == p {
			c.offered = append(c.offered[:i], c.offered[i+1:]...)
			break
		}
	}
	p.removeCall(c)
	e.emit(p, session.CallRejected{CallBase: cbase(now, c), By: session.ByAgent})
	if c.direct || len(p.checkedIn) == 0 {
		e.afterCall(now, p, 0, nil, false)
	} else if len(p.calls) == 0 {
		p.prevState = session.AgentUnknown
		e.setState(now, p, session.AgentNotReady, "rejected")
	}
	if len(c.offered) == 0 {
		c.ringGen++
		e.retry(now, c, "rejected")
	}
	return nil
}

func talking(p *party) *call {
	for _, c := range p.calls {
		if c.phase == phTalking && (c.a == p || c.b == p || c.third == p) {
			return c
		}
	}
	return nil
}

// pick returns the call a command without a call id means: the talking
// one, else a ringing or dialling one, else a held one.
func pick(p *party, id string) *call {
	if id != "" {
		for _, c := range p.calls {
			if c.idFor(p) == id {
				return c
			}
		}
		return nil
	}
	if c := talking(p); c != nil {
		return c
	}
	for _, c := range p.calls {
		if c.phase != phHeld {
			return c
		}
	}
	if len(p.calls) > 0 {
		return p.calls[0]
	}
	return nil
}

func (e *Engine) hangup(now time.Time, p *party, id string) error {
	c := pick(p, id)
	if c == nil {
		return refuse(CodeRefused, "hangup: there is no call to hang up")
	}
	if _, mon := c.monitors[p]; mon {
		e.stopMonitor(now, p, c)
		return nil
	}
	if c.isOffered(p) {
		return e.reject(now, p, c.id)
	}
	if c.third != nil && p != c.a {
		e.leaveConference(now, p, c)
		return nil
	}
	by := session.ByAgent
	if p.customer() {
		by = session.ByCustomer
	}
	disp := "answered"
	if c.answered.IsZero() {
		disp = "cancelled"
		if p.customer() {
			disp = "abandoned"
		}
	}
	e.endCall(now, c, by, disp, "")
	return nil
}

// decide records why c is offered to ps, for the journal. The reason is
// e.why when the caller set one, else the group's strategy.
func (e *Engine) decide(now time.Time, c *call, ps []*party) {
	why := e.why
	e.why = ""
	if e.cfg.Offline {
		return
	}
	d := &Decision{Type: "acd.offer", At: now, CallID: c.id, Offered: make([]string, len(ps))}
	for i, p := range ps {
		d.Offered[i] = p.id
	}
	if g := c.group; g != nil {
		d.Group, d.Strategy, d.Waiting, d.Ready = g.cfg.ID, g.cfg.Strategy, g.qlen, len(g.ready)
	}
	switch {
	case why != "":
	case c.direct:
		why = "a direct call to this agent"
	case c.group == nil:
		why = "no group"
	case c.group.cfg.Strategy == RingAll:
		why = "ring-all: every ready agent of the group"
	default:
		why = fmt.Sprintf("%s: the first of %d ready agents", c.group.cfg.Strategy, len(c.group.ready))
	}
	d.Why = why
	e.out = append(e.out, Output{Decision: d})
}
