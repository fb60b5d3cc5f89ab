package acd

import (
	"strings"
	"time"

	"github.com/agentty/agentty/session"
)

func (e *Engine) hold(now time.Time, p *party, id string) error {
	c := pick(p, id)
	if c == nil || c.phase != phTalking || (c.a != p && c.b != p) {
		return refuse(CodeRefused, "hold: there is no talking call to hold")
	}
	c.phase, c.heldBy, c.heldSince = phHeld, p, now
	e.emit(p, session.CallHeld{CallBase: cbase(now, c)})
	if o := c.other(p); o.customer() {
		e.emit(o, session.CallHeld{CallBase: cbase(now, c)})
	}
	e.media(MediaOp{Kind: MediaHeld, CallID: c.id, Party: p.id, Legs: c.legs()})
	return nil
}

func (e *Engine) retrieve(now time.Time, p *party, id string) error {
	var c *call
	for _, x := range p.calls {
		if x.phase == phHeld && x.heldBy == p && (id == "" || x.idFor(p) == id) {
			c = x
			break
		}
	}
	if c == nil {
		return refuse(CodeRefused, "retrieve: no call is on hold")
	}
	if talking(p) != nil {
		return refuse(CodeRefused, "retrieve: on another call (hold or hang up first)")
	}
	c.phase, c.heldBy = phTalking, nil
	c.heldTotal += now.Sub(c.heldSince)
	c.heldSince = time.Time{}
	e.emit(p, session.CallRetrieved{CallBase: cbase(now, c)})
	if o := c.other(p); o.customer() {
		e.emit(o, session.CallRetrieved{CallBase: cbase(now, c)})
	}
	e.media(MediaOp{Kind: MediaRetrieved, CallID: c.id, Party: p.id, Legs: c.legs()})
	return nil
}

// available reports whether t can take a direct call now.
func available(t *party) bool {
	return t.isAgent() && t.online && t.state == session.AgentReady && len(t.calls) == 0
}

// transfer hands p's answered call to an agent, a group or a number (blind).
func (e *Engine) transfer(now time.Time, p *party, tg session.Target, id string) error {
	var c *call
	for _, x := range p.calls {
		if (x.phase == phTalking || x.phase == phHeld) && (x.a == p || x.b == p) && (id == "" || x.idFor(p) == id) {
			if c == nil || x.phase == phTalking {
				c = x
			}
		}
	}
	if c == nil {
		return refuse(CodeRefused, "transfer: there is no answered call to transfer")
	}
	r := c.other(p)
	if r == nil || r.ext && tg.Kind == session.TargetNumber {
		return refuse(CodeRefused, "transfer: nobody to transfer")
	}
	var to *party
	var g *group
	ev := session.CallTransferred{CallBase: cbase(now, c)}
	switch tg.Kind {
	case session.TargetAgent:
		to = e.parties[tg.ID]
		if to == nil || !to.isAgent() {
			return refuse(CodeNotFound, "transfer: no agent %q", tg.ID)
		}
		if to == p || !available(to) {
			return refuse(CodeRefused, "transfer: agent %s is %s, not ready", to.id, stateWord(to))
		}
		ev.ToAgent = to.id
	case session.TargetGroup:
		if g = e.groups[tg.ID]; g == nil {
			return refuse(CodeNotFound, "transfer: no group %q", tg.ID)
		}
		ev.ToGroup = g.cfg.ID
	case session.TargetNumber:
		if err := e.external("transfer", tg.ID); err != nil {
			return err
		}
		ev.ToNumber = tg.ID
	default:
		return refuse(CodeRefused, "transfer: to agent:ID, group:ID or a number")
	}
	talk := talkTime(c, now)
	e.record(now, c, session.ByAgent, "transferred", talk)
	e.stopMonitors(now, c)
	if c.phase == phHeld {
		c.heldTotal += now.Sub(c.heldSince)
	}
	if c.a == p {
		c.a = r
	}
	c.b, c.heldBy, c.heldSince, c.answered = nil, nil, time.Time{}, time.Time{}
	c.segment++
	c.segStart, c.heldTotal, c.phase = now, 0, phQueued
	p.removeCall(c)
	e.emit(p, ev)
	prevGroup := c.group
	e.afterCall(now, p, talk, prevGroup, true)
	if r.customer() {
		e.emit(r, ev)
	}
	e.media(MediaOp{Kind: MediaEnded, CallID: c.id, Legs: []string{p.id}})
	switch {
	case to != nil:
		c.direct = true
		e.offer(now, c, to)
	case g != nil:
		e.join(now, c, g)
	default:
		c.b = &party{id: tg.ID, name: tg.ID, ext: true}
		e.dialExt(now, c)
	}
	return nil
}

func stateWord(p *party) string {
	if !p.online {
		return "offline"
	}
	if len(p.calls) > 0 {
		return "on a call"
	}
	return p.state.String()
}

// dial places an outbound call from agent p to another agent or a number.
func (e *Engine) dial(now time.Time, p *party, number string) error {
	if talking(p) != nil {
		return refuse(CodeRefused, "dial: on a call (hold or hang up first)")
	}
	for _, c := range p.calls {
		if c.isOffered(p) {
			return refuse(CodeRefused, "dial: a call is ringing (answer or reject it first)")
		}
		if c.a == p && c.answered.IsZero() {
			return refuse(CodeRefused, "dial: already dialling")
		}
	}
	id := strings.TrimPrefix(number, "agent:")
	t := e.parties[id]
	if t == nil || !t.isAgent() {
		t = nil
		if session.IsSIPURI(number) {
			if err := e.external("dial", number); err != nil {
				return err
			}
		} else if !isNumber(number) {
			return refuse(CodeNotFound, "dial: no agent or number %q", number)
		}
	}
	if t == p {
		return refuse(CodeRefused, "dial: that is you")
	}
	c := e.newCall(now, p)
	to := number
	if t != nil {
		to = t.id
	}
	e.emit(p, session.CallDialing{CallBase: cbase(now, c), To: to})
	e.setState(now, p, session.AgentBusy, "")
	switch {
	case t != nil && !available(t):
		e.endCall(now, c, session.BySystem, "failed", t.id+" is "+stateWord(t))
	case t != nil:
		c.direct = true
		e.offer(now, c, t)
	default:
		c.b = &party{id: number, name: number, ext: true}
		e.dialExt(now, c)
	}
	return nil
}

func (e *Engine) dialExt(now time.Time, c *call) {
	c.phase, c.farRinging = phDialing, false
	c.extGen++
	if e.cfg.TrunkOut {
		c.b.channel = "sip"
		e.out = append(e.out, Output{Trunk: &TrunkOp{Kind: TrunkDial, CallID: c.id, Number: c.b.id, Agent: c.a.id}})
		return
	}
	e.after(now.Add(e.cfg.ExternalAnswer), timer{kind: tExt, c: c, gen: c.extGen})
}

// extAnswers: the external number picks up, or turns out unavailable.
func (e *Engine) extAnswers(now time.Time, c *call) {
	if c.callbackPending() {
		e.callbackExtAnswers(now, c)
		return
	}
	if unavailable(c.b.id) {
		e.endCall(now, c, session.BySystem, "failed", "number unavailable")
		return
	}
	c.phase, c.answered = phTalking, now
	c.wait = now.Sub(c.segStart)
	e.emit(c.a, session.CallAnswered{CallBase: cbase(now, c)})
	e.media(MediaOp{Kind: MediaConnected, CallID: c.id, Legs: c.legs()})
	e.rosterChanged(now)
}

// HangupExternal ends a call from its external side, as a simulated far end
// would.
func (e *Engine) HangupExternal(now time.Time, callID string) []Output {
	if c, ok := e.calls[callID]; ok && c.b != nil && c.b.ext {
		e.endCall(now, c, session.ByCustomer, "answered", "")
	}
	return e.flush()
}

func (e *Engine) dtmf(now time.Time, p *party, digits string) error {
	c := talking(p)
	if c == nil {
		return refuse(CodeRefused, "dtmf: no call is talking")
	}
	if o := c.other(p); o != nil {
		e.emit(o, session.CallDTMF{CallBase: cbase(now, c), Digits: digits})
	}
	e.media(MediaOp{Kind: MediaDTMF, CallID: c.id, Party: p.id, Digits: digits, Legs: c.legs()})
	return nil
}

func (e *Engine) mute(now time.Time, p *party, muted bool) error {
	if len(p.calls) == 0 {
		return refuse(CodeRefused, "mute: there is no call")
	}
	for _, c := range p.calls {
		e.emit(p, session.CallMuted{CallBase: cbase(now, c), Muted: muted})
		e.media(MediaOp{Kind: MediaMute, CallID: c.id, Party: p.id, Muted: muted})
	}
	return nil
}

// external checks a number or SIP address that verb would reach outside
// the centre: a SIP address goes out only through a SIP trunk.
func (e *Engine) external(verb, target string) error {
	if session.IsSIPURI(target) {
		if !e.cfg.TrunkOut {
			return refuse(CodeRefused, "%s: %s is a SIP address and this centre has no SIP trunk to reach it", verb, target)
		}
		return nil
	}
	if !isNumber(target) {
		return refuse(CodeRefused, "%s: %q is not a number", verb, target)
	}
	return nil
}
