package acd

import (
	"time"

	"github.com/agentty/agentty/session"
)

// callback is a queued call whose caller hung up to be called back: the
// call keeps its place in line with an external placeholder as side a;
// when an agent answers the offer, the centre rings the caller's session
// again (a kiosk still connected and free) or dials the number.
type callback struct {
	number    string // the number called back: shown to the agent, in the records
	caller    *party // the kiosk that booked it; nil for a simulated caller
	booked    time.Time
	ringing   bool // the caller's session rings
	connected bool // the caller answered: from here on an ordinary call
	lastPos   int
}

// pending reports whether c is a callback still to be made.
func (c *call) callbackPending() bool { return c.cb != nil && !c.cb.connected }

// bookCallback turns p's queued call into a callback to number (p's own
// number when empty): p hangs up, the call keeps its place in line.
func (e *Engine) bookCallback(now time.Time, p *party, number string) error {
	var c *call
	for _, x := range p.calls {
		if x.a == p && x.inQueue && x.answered.IsZero() {
			c = x
		}
	}
	if c == nil {
		return refuse(CodeRefused, "callback: you are not waiting in a queue")
	}
	if number != "" && !isNumber(number) {
		return refuse(CodeRefused, "callback: %q is not a number", number)
	}
	cb := &callback{number: number, booked: now}
	if cb.number == "" {
		cb.number = p.display()
	}
	if !p.sim {
		cb.caller = p
	}
	// An offer ringing now was made for an ordinary call: withdraw it, the
	// call is offered again as a callback.
	for _, a := range c.offered {
		a.removeCall(c)
		e.emit(a, session.CallEnded{CallBase: cbase(now, c), By: session.ByCustomer})
		e.afterCall(now, a, 0, nil, false)
	}
	c.offered = nil
	c.ringGen++
	e.record(now, c, session.ByCustomer, "callback", 0)
	c.segment++
	p.removeCall(c)
	e.emit(p, session.CallEnded{CallBase: cbase(now, c), By: session.ByCustomer,
		Wait: session.Secs(now.Sub(c.queued)), Total: session.Secs(now.Sub(c.queued))})
	c.a = &party{id: cb.number, name: cb.number, ext: true}
	c.cb = cb
	cb.lastPos = e.position(c)
	e.emit(p, session.QueueCallback{Base: base(now), Group: c.group.cfg.ID, Number: cb.number, Position: cb.lastPos})
	if p.sim && len(p.calls) == 0 {
		delete(e.parties, p.id)
	}
	e.why = "a callback keeps its place in line"
	e.routeCall(now, c)
	e.why = ""
	e.queueChanged(now, c.group)
	return nil
}

// bookedFor returns the callback p booked that is not yet made.
func (e *Engine) bookedFor(p *party) *call {
	for _, c := range e.calls {
		if c.callbackPending() && c.cb.caller == p && !c.cb.ringing {
			return c
		}
	}
	return nil
}

// cancelCallback drops p's booked callback (leave while booked).
func (e *Engine) cancelCallback(now time.Time, p *party) error {
	c := e.bookedFor(p)
	if c == nil || c.b != nil {
		return refuse(CodeRefused, "leave: you are not calling")
	}
	e.endCall(now, c, session.ByCustomer, "cancelled", "")
	e.emit(p, session.QueueCallback{Base: base(now), Group: c.group.cfg.ID, Number: c.cb.number, Cancelled: true})
	return nil
}

// callbackPlace tells the caller of a booked callback its place, when it moved.
func (e *Engine) callbackPlace(now time.Time, c *call, pos int) {
	cb := c.cb
	if cb.caller == nil || pos == cb.lastPos || c.b != nil {
		return
	}
	cb.lastPos = pos
	e.emit(cb.caller, session.QueueCallback{Base: base(now), Group: c.group.cfg.ID, Number: cb.number, Position: pos})
}

// callbackRinging is the offer of callback c to an agent.
func callbackRinging(now time.Time, c *call, ev session.CallRinging) session.CallRinging {
	ev.Callback, ev.From = true, c.cb.number
	ev.Waited = session.Secs(now.Sub(c.queued))
	return ev
}

// answerCallback: agent p answered the offer of callback c; the centre
// calls the caller back.
func (e *Engine) answerCallback(now time.Time, p *party, c *call) error {
	losers := c.offered
	c.offered = nil
	c.ringGen++
	g := c.group
	g.dequeue(c)
	c.b, c.direct = p, false
	c.wait = now.Sub(c.queued)
	e.stats.Answered++
	e.stats.WaitSum += c.wait
	g.sl.answeredAfter(c.wait)
	if e.cfg.Observe != nil {
		e.cfg.Observe("wait", g.cfg.ID, c.wait)
	}
	for _, l := range losers {
		if l != p {
			l.removeCall(c)
			e.emit(l, session.CallEnded{CallBase: cbase(now, c), By: session.BySystem})
			e.afterCall(now, l, 0, nil, false)
		}
	}
	e.emit(p, session.CallDialing{CallBase: cbase(now, c), To: c.cb.number})
	e.queueChanged(now, g)
	e.rosterChanged(now)
	e.dialBack(now, c)
	return nil
}

// dialBack rings the caller's session when it is connected and free, else
// dials the number.
func (e *Engine) dialBack(now time.Time, c *call) {
	c.phase = phDialing
	k := c.cb.caller
	if k != nil && k.online && len(k.calls) == 0 && e.parties[k.id] == k {
		c.a = k
		k.calls = append(k.calls, c)
		c.meet(k)
		c.cb.ringing = true
		e.emit(k, session.CallRinging{CallBase: cbase(now, c), Direction: session.DirInbound,
			From: c.b.display(), To: c.cb.number, Team: c.group.cfg.ID, Callback: true})
		c.ringGen++
		e.after(now.Add(c.group.cfg.RingTimeout), timer{kind: tRing, c: c, gen: c.ringGen})
		return
	}
	if !isNumber(c.cb.number) {
		e.endCall(now, c, session.BySystem, "no_answer", "the caller is not connected")
		return
	}
	c.extGen++
	e.after(now.Add(e.cfg.ExternalAnswer), timer{kind: tExt, c: c, gen: c.extGen})
}

// callbackConnected: the caller picked up the callback.
func (e *Engine) callbackConnected(now time.Time, c *call) {
	c.cb.ringing, c.cb.connected = false, true
	c.ringGen++
	c.phase, c.answered = phTalking, now
	e.emit(c.a, session.CallAnswered{CallBase: cbase(now, c), Wait: session.Secs(c.wait)})
	e.emit(c.b, session.CallAnswered{CallBase: cbase(now, c), Wait: session.Secs(c.wait)})
	e.media(MediaOp{Kind: MediaConnected, CallID: c.id, Legs: c.legs()})
	e.rosterChanged(now)
}

// callbackExtAnswers: the number called back answers, or is unavailable.
func (e *Engine) callbackExtAnswers(now time.Time, c *call) {
	if unavailable(c.a.id) {
		e.endCall(now, c, session.BySystem, "failed", "number unavailable")
		return
	}
	e.callbackConnected(now, c)
}

// ringingBack returns the callback ringing caller p.
func ringingBack(p *party, id string) *call {
	for _, c := range p.calls {
		if c.cb != nil && c.cb.ringing && c.a == p && (id == "" || c.idFor(p) == id) {
			return c
		}
	}
	return nil
}

// callerAnswers: a kiosk answers the centre calling it back.
func (e *Engine) callerAnswers(now time.Time, p *party, id string) error {
	c := ringingBack(p, id)
	if c == nil {
		return refuse(CodeRefused, "answer: nothing is ringing")
	}
	e.callbackConnected(now, c)
	return nil
}

// callerRejects: a kiosk turns the callback down.
func (e *Engine) callerRejects(now time.Time, p *party, id string) error {
	c := ringingBack(p, id)
	if c == nil {
		return refuse(CodeRefused, "reject: nothing is ringing")
	}
	c.cb.ringing = false
	e.endCall(now, c, session.ByCustomer, "rejected", "")
	return nil
}

// callbacksWaiting counts the callbacks in g's queue.
func (g *group) callbacksWaiting() int {
	n := 0
	for c := g.qhead; c != nil; c = c.qnext {
		if c.cb != nil {
			n++
		}
	}
	return n
}

// snapshotMore is what Snapshot adds for callbacks and recordings: a
// kiosk's booked callback, and the REC mark of p's calls.
func (e *Engine) snapshotMore(now time.Time, p *party) []Output {
	var out []Output
	if p.customer() {
		if c := e.bookedFor(p); c != nil {
			out = append(out, Output{To: p.id, Event: session.QueueCallback{Base: base(now), Group: c.group.cfg.ID, Number: c.cb.number, Position: e.position(c)}})
		}
	}
	for _, c := range p.calls {
		if c.rec.on || c.rec.err != "" {
			out = append(out, Output{To: p.id, Event: session.CallRecording{CallBase: session.CallBase{At: now, CallID: c.idFor(p)},
				On: c.rec.on, File: c.rec.file, Error: c.rec.err}})
		}
	}
	return out
}

// snapshotCallback states a callback being made, which Snapshot's generic
// cases would state wrongly: to the agent, a callback offer now dialling
// the number; to the kiosk, the centre ringing it.
func snapshotCallback(now time.Time, c *call, p *party) ([]session.Event, bool) {
	if !c.callbackPending() || c.isOffered(p) {
		return nil, false
	}
	cb := session.CallBase{At: now, CallID: c.idFor(p)}
	ring := session.CallRinging{CallBase: cb, Direction: session.DirInbound, Team: c.group.cfg.ID, Callback: true}
	switch {
	case c.b == p:
		ring.From, ring.Waited = c.cb.number, session.Secs(c.wait)
		return []session.Event{ring, session.CallDialing{CallBase: cb, To: c.cb.number}}, true
	case c.a == p && c.cb.ringing:
		ring.From, ring.To = c.b.display(), c.cb.number
		return []session.Event{ring}, true
	}
	return nil, false
}
