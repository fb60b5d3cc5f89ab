package acd

import (
	"time"

	"github.com/agentty/agentty/session"
)

// Consultation: an agent holds its talking call (the caller hears music)
// and calls a target (consult); the consultation is the call the agent
// placed while the other waits on hold. complete hands the held call to the
// consulted party and drops the agent; conference joins the three in the
// held call; cancel hangs the consultation up and retrieves the held call.
//
// Ids: the consulted party keeps knowing the joined call by the
// consultation's id (call.ids), so its console sees one call throughout.
// The media layer moves that party's leg into the held call without a new
// offer (MediaJoin).

// MediaJoin asks the media layer to move Party's leg from call From into
// CallID, whose parties become Legs (nobody holds it any more).
const MediaJoin MediaKind = "join"

// doConsult carries out the consultation verbs.
func (e *Engine) doConsult(now time.Time, p *party, c session.Command) error {
	switch c.Verb {
	case session.VerbConsult:
		return e.consult(now, p, c.Target, c.CallID)
	case session.VerbComplete:
		return e.complete(now, p)
	case session.VerbConference:
		return e.conference(now, p)
	default:
		return e.cancelConsult(now, p)
	}
}

// confGuard refuses what a conference does not allow: hold, transfer and a
// new consultation from a three-way call.
func confGuard(p *party, v session.Verb) error {
	switch v {
	case session.VerbHold, session.VerbTransfer, session.VerbConsult:
	default:
		return nil
	}
	for _, c := range p.calls {
		if c.third != nil {
			return refuse(CodeRefused, "%s: not during a conference (hang up to leave it)", v)
		}
	}
	return nil
}

// consultation returns the call p holds and the call p placed while it
// waits (dialling, ringing or talking), either nil when missing.
func consultation(p *party) (held, k *call) {
	for _, x := range p.calls {
		if x.phase == phHeld && x.heldBy == p {
			held = x
			break
		}
	}
	for _, x := range p.calls {
		if x != held && x.a == p && x.phase != phHeld && x.phase != phEnded {
			k = x
		}
	}
	return held, k
}

func (e *Engine) consult(now time.Time, p *party, tg session.Target, id string) error {
	if h, _ := consultation(p); h != nil {
		return refuse(CodeRefused, "consult: a call is already on hold (complete, conference or cancel first)")
	}
	c := pick(p, id)
	if c == nil || c.phase != phTalking || (c.a != p && c.b != p) {
		return refuse(CodeRefused, "consult: there is no talking call to consult from")
	}
	var to *party
	var g *group
	switch tg.Kind {
	case session.TargetAgent:
		to = e.parties[tg.ID]
		if to == nil || !to.isAgent() {
			return refuse(CodeNotFound, "consult: no agent %q", tg.ID)
		}
		if to == p || !available(to) {
			return refuse(CodeRefused, "consult: agent %s is %s, not ready", to.id, stateWord(to))
		}
	case session.TargetGroup:
		if g = e.groups[tg.ID]; g == nil {
			return refuse(CodeNotFound, "consult: no group %q", tg.ID)
		}
		for _, x := range g.ready { // best first, as routing offers
			if x != p && available(x) {
				to = x
				break
			}
		}
		if to == nil {
			return refuse(CodeRefused, "consult: nobody in group %s is ready", g.cfg.ID)
		}
	case session.TargetNumber:
		if err := e.external("consult", tg.ID); err != nil {
			return err
		}
	default:
		return refuse(CodeRefused, "consult: agent:ID, group:ID or a number")
	}
	if err := e.hold(now, p, c.idFor(p)); err != nil {
		return err
	}
	k := e.newCall(now, p)
	k.group = g
	name := tg.ID
	if to != nil {
		name = to.id
	}
	e.emit(p, session.CallDialing{CallBase: cbase(now, k), To: name})
	if to != nil {
		k.direct = true
		e.why = p.display() + " consults " + to.display()
		e.offer(now, k, to)
	} else {
		k.b = &party{id: tg.ID, name: tg.ID, ext: true}
		e.dialExt(now, k)
	}
	return nil
}

// joinable finds p's consultation for complete and conference: a held call
// and an answered consultation.
func joinable(p *party, verb string) (h, k *call, err error) {
	h, k = consultation(p)
	switch {
	case h == nil:
		return nil, nil, refuse(CodeRefused, "%s: no call is on hold (consult first)", verb)
	case k == nil:
		return nil, nil, refuse(CodeRefused, "%s: there is no consultation (consult first, or retrieve)", verb)
	case k.phase != phTalking || k.b == nil:
		return nil, nil, refuse(CodeRefused, "%s: %s has not answered yet (wait, or cancel)", verb, k.bName())
	}
	return h, k, nil
}

// moveIn takes the consulted party t out of consultation k into call h,
// where t keeps the id it knows k by, and ends k for the engine.
func (e *Engine) moveIn(t *party, h, k *call) {
	if !t.ext {
		h.meet(t)
		if h.ids == nil {
			h.ids = map[*party]string{}
		}
		h.ids[t] = k.idFor(t)
		t.removeCall(k)
		t.calls = append(t.calls, h)
	}
	k.phase = phEnded
	k.ringGen++
	k.extGen++
	delete(e.calls, k.id)
}

// unhold takes h off hold for its talk time.
func unhold(now time.Time, h *call) {
	if h.phase == phHeld {
		h.heldTotal += now.Sub(h.heldSince)
	}
	h.phase, h.heldBy, h.heldSince = phTalking, nil, time.Time{}
}

// joinedCall returns the live call p knows by a consultation's id that was
// joined into it, or nil.
func joinedCall(p *party, id string) *call {
	for _, c := range p.calls {
		if c.ids[p] == id && c.phase != phEnded {
			return c
		}
	}
	return nil
}

// KnownID returns the id user knows the live call callID by: a party that
// met the call twice, or was consulted and joined into it, knows it by
// another id than the media layer's.
func (e *Engine) KnownID(user, callID string) string {
	c, p := e.calls[callID], e.parties[user]
	if c == nil || p == nil {
		return callID
	}
	return c.idFor(p)
}

func legName(p *party) string {
	if p.ext {
		return "ext:" + p.id
	}
	return p.id
}

func (e *Engine) complete(now time.Time, p *party) error {
	h, k, err := joinable(p, "complete")
	if err != nil {
		return err
	}
	r, t := h.other(p), k.b
	e.stopMonitors(now, h)
	e.stopMonitors(now, k)
	talkK, talkH := talkTime(k, now), talkTime(h, now)
	e.record(now, k, session.ByAgent, "consulted", talkK)
	e.record(now, h, session.ByAgent, "transferred", talkH)
	ev := session.CallTransferred{CallBase: cbase(now, h)}
	if t.ext {
		ev.ToNumber = t.id
	} else {
		ev.ToAgent = t.id
	}
	e.emit(p, ev)
	e.emit(p, session.CallEnded{CallBase: cbase(now, k), By: session.ByAgent, Duration: session.Secs(talkK)})
	unhold(now, h)
	h.a, h.b, h.third = r, t, nil
	h.segment++
	h.segStart, h.answered, h.heldTotal, h.wait, h.direct = now, now, 0, 0, false
	p.removeCall(h)
	p.removeCall(k)
	e.moveIn(t, h, k)
	parties := []string{r.display(), t.display()}
	if r.customer() {
		e.emit(r, session.CallRetrieved{CallBase: cbase(now, h)})
		e.emit(r, session.CallConference{CallBase: cbase(now, h), Parties: parties})
	}
	e.emit(t, session.CallConference{CallBase: cbase(now, h), Parties: parties})
	e.media(MediaOp{Kind: MediaJoin, CallID: h.id, From: k.id, Party: legName(t), Legs: h.legs()})
	e.media(MediaOp{Kind: MediaEnded, CallID: k.id, Legs: []string{p.id}})
	e.afterCall(now, p, talkH+talkK, h.group, true)
	e.rosterChanged(now)
	return nil
}

func (e *Engine) conference(now time.Time, p *party) error {
	h, k, err := joinable(p, "conference")
	if err != nil {
		return err
	}
	r, t := h.other(p), k.b
	e.stopMonitors(now, h)
	e.stopMonitors(now, k)
	e.record(now, k, session.ByAgent, "conference", talkTime(k, now))
	e.record(now, h, session.ByAgent, "conference", talkTime(h, now))
	kid := k.idFor(p)
	unhold(now, h)
	h.a, h.b, h.third = r, p, t
	h.segment++
	h.segStart, h.answered, h.heldTotal = now, now, 0
	p.removeCall(k)
	e.moveIn(t, h, k)
	parties := []string{r.display(), p.display(), t.display()}
	e.emit(p, session.CallConference{CallBase: cbase(now, h), Parties: parties, Merged: kid})
	e.emit(p, session.CallRetrieved{CallBase: cbase(now, h)})
	if r.customer() {
		e.emit(r, session.CallRetrieved{CallBase: cbase(now, h)})
		e.emit(r, session.CallConference{CallBase: cbase(now, h), Parties: parties})
	}
	e.emit(t, session.CallConference{CallBase: cbase(now, h), Parties: parties})
	e.media(MediaOp{Kind: MediaJoin, CallID: h.id, From: k.id, Party: legName(t), Legs: h.legs()})
	e.media(MediaOp{Kind: MediaEnded, CallID: k.id, Legs: []string{p.id}})
	e.rosterChanged(now)
	return nil
}

// leaveConference takes agent p out of three-way call c; the other two
// talk on. The segment p leaves is recorded with p as its agent.
func (e *Engine) leaveConference(now time.Time, p *party, c *call) {
	talk := talkTime(c, now)
	r := e.buildRecord(now, c, session.ByAgent, "conference", talk)
	r.Agent, r.To = p.id, p.id
	p.lastSeg = segRef{callID: c.id, segment: c.segment}
	e.stats.Outcomes["conference"]++
	e.out = append(e.out, Output{Record: r})
	e.emit(p, session.CallEnded{CallBase: cbase(now, c), By: session.ByAgent, Duration: session.Secs(talk)})
	if c.b == p {
		c.b = c.third
	}
	c.third = nil
	c.segment++
	c.segStart, c.answered, c.heldTotal = now, now, 0
	p.removeCall(c)
	parties := []string{c.a.display(), c.b.display()}
	for _, x := range []*party{c.a, c.b} {
		if x.customer() || x.isAgent() {
			e.emit(x, session.CallConference{CallBase: cbase(now, c), Parties: parties})
		}
	}
	e.media(MediaOp{Kind: MediaEnded, CallID: c.id, Legs: []string{legName(p)}})
	e.afterCall(now, p, talk, c.group, true)
	e.rosterChanged(now)
}

func (e *Engine) cancelConsult(now time.Time, p *party) error {
	h, k := consultation(p)
	if h == nil {
		return refuse(CodeRefused, "cancel: no call is on hold")
	}
	if k != nil {
		disp := "consulted"
		if k.answered.IsZero() {
			disp = "cancelled"
		}
		e.endCall(now, k, session.ByAgent, disp, "")
	}
	return e.retrieve(now, p, h.idFor(p))
}
