package acd

import (
	"slices"
	"strings"
	"time"

	"github.com/agentty/agentty/session"
)

// setState moves an agent to state and tells the agent and every online
// supervisor. Timers of the previous state are cancelled; wrap-up and rest
// start theirs.
func (e *Engine) setState(now time.Time, p *party, st session.AgentState, reason string) {
	wasServing, wasReady := p.serving(), p.state == session.AgentReady
	if st == session.AgentBusy && p.state != session.AgentBusy {
		p.prevState, p.prevReason = p.state, p.reason
	}
	p.timerGen++
	p.state, p.reason, p.since, p.limit = st, reason, now, 0
	if st == session.AgentReady && !wasReady {
		p.idleSince = now
	}
	switch st {
	case session.AgentWrapUp:
		p.limit = e.wrapFor(p).WrapUp
		e.after(now.Add(p.limit), timer{kind: tWrap, p: p, gen: p.timerGen})
	case session.AgentRest:
		p.limit = e.wrapFor(p).RestLimit
		e.after(now.Add(p.limit), timer{kind: tRest, p: p, gen: p.timerGen})
	}
	if wasServing != p.serving() {
		d := 1
		if wasServing {
			d = -1
		}
		for _, g := range p.checkedIn {
			g.serving += d
			e.queueChanged(now, g)
		}
	}
	ev := session.AgentStateChanged{Base: base(now), Agent: p.id, State: st, Reason: reason, Limit: session.Secs(p.limit)}
	if st == session.AgentWrapUp {
		gc := e.wrapFor(p)
		ev.Codes, ev.CodeRequired = slices.Clone(gc.Codes), gc.CodeRequired && len(gc.Codes) > 0
	}
	e.emitState(p, ev)
	if !e.cfg.Offline { // the state history is for the store
		e.out = append(e.out, Output{History: &StateChange{Agent: p.id, State: st, Reason: reason, At: now}})
	}
	e.sync(p)
	e.rosterChanged(now)
}

// StateChange is one row of agent state history.
type StateChange struct {
	Agent  string
	State  session.AgentState
	Reason string
	At     time.Time
}

// emitState sends an agent event to the agent and to every other online
// supervisor.
func (e *Engine) emitState(p *party, ev session.Event) {
	e.emit(p, ev)
	for s := range e.sups {
		if s != p {
			e.emit(s, ev)
		}
	}
}

func restTimeout(now time.Time, p *party) session.Event {
	return session.AgentRestTimeout{Base: base(now), Agent: p.id}
}

// wrapFor returns the group whose timers apply to p: the group of its last
// call, else its first checked-in group, else the defaults.
func (e *Engine) wrapFor(p *party) GroupConfig {
	if p.wrap != nil && p.wrap.g != nil {
		return p.wrap.g.cfg
	}
	if len(p.checkedIn) > 0 {
		return p.checkedIn[0].cfg
	}
	return e.cfg.Defaults
}

func readyOrNot(p *party) session.AgentState {
	if len(p.checkedIn) == 0 {
		return session.AgentOffline
	}
	return session.AgentReady
}

// sync puts p in or takes it out of the ready heaps of its groups.
func (e *Engine) sync(p *party) {
	want := p.online && p.state == session.AgentReady && len(p.calls) == 0 && len(p.checkedIn) > 0
	if have := len(p.mem) > 0; want == have {
		return
	}
	for _, g := range p.checkedIn {
		if want {
			g.push(p)
		} else {
			g.remove(p)
		}
	}
}

// afterCall settles an agent whose last live call went: wrap-up after a
// talk, otherwise back to where it was.
func (e *Engine) afterCall(now time.Time, p *party, talked time.Duration, g *group, answered bool) {
	if !p.isAgent() || len(p.calls) > 0 {
		return
	}
	st, r := p.prevState, p.prevReason
	p.prevState, p.prevReason = session.AgentUnknown, ""
	switch {
	case len(p.checkedIn) == 0:
		st, r = session.AgentOffline, ""
	case answered:
		p.handled++
		p.wrap = &sample{g: g, talk: talked, start: now, seg: p.lastSeg}
		st, r = session.AgentWrapUp, ""
	case st == session.AgentUnknown || st == session.AgentOffline || st == session.AgentBusy || st == session.AgentWrapUp:
		st, r = session.AgentReady, ""
	}
	e.setState(now, p, st, r)
	e.route(now, p)
}

// endWrap records the handle time (talk plus wrap-up) of p's last call.
func (e *Engine) endWrap(now time.Time, p *party) {
	if w := p.wrap; w != nil && w.g != nil {
		d := w.talk + now.Sub(w.start)
		w.g.addSample(d, e.cfg.HandleSamples)
		if e.cfg.Observe != nil {
			e.cfg.Observe("handle", w.g.cfg.ID, d)
		}
	}
	p.wrap = nil
}

func (e *Engine) checkIn(now time.Time, p *party, groups []string) error {
	if len(p.checkedIn) > 0 {
		return refuse(CodeRefused, "checkin: already checked in (check out first to change groups)")
	}
	if len(groups) == 0 {
		groups = p.allowed
	}
	var gs []*group
	for _, id := range groups {
		if !slices.Contains(p.allowed, id) {
			return refuse(CodeForbidden, "checkin: group %q is not one of yours (%v)", id, p.allowed)
		}
		if g := e.group(id); !slices.Contains(gs, g) {
			gs = append(gs, g)
		}
	}
	p.checkedIn = gs
	ids := make([]string, len(gs))
	for i, g := range gs {
		ids[i] = g.cfg.ID
		g.members++
		if p.serving() {
			g.serving++
		}
	}
	e.emit(p, session.AgentCheckedIn{Base: base(now), Groups: ids, OK: true})
	if p.state == session.AgentOffline {
		e.setState(now, p, session.AgentNotReady, "checked in")
	}
	for _, g := range gs {
		e.queueChanged(now, g)
	}
	return nil
}

func (e *Engine) checkOut(now time.Time, p *party, reason string) error {
	if len(p.checkedIn) == 0 {
		return refuse(CodeRefused, "checkout: not checked in")
	}
	if len(p.calls) > 0 {
		return refuse(CodeRefused, "checkout: on a call (hang up first)")
	}
	e.endWrap(now, p)
	e.setState(now, p, session.AgentNotReady, reason) // leaves the heaps and the serving counts
	gs := p.checkedIn
	for _, g := range gs {
		g.members--
		if p.serving() {
			g.serving--
		}
	}
	p.checkedIn = nil
	e.emit(p, session.AgentCheckedOut{Base: base(now), OK: true})
	e.setState(now, p, session.AgentOffline, reason)
	for _, g := range gs {
		e.queueChanged(now, g)
	}
	return nil
}

// changeState handles ready, notready, rest and done.
func (e *Engine) changeState(now time.Time, p *party, c session.Command) error {
	verb := c.Verb
	if len(p.checkedIn) == 0 && verb == session.VerbReady && len(p.calls) == 0 {
		// A ready that just works: check in to all the agent's groups
		// first. Check-out stays explicit.
		if len(p.allowed) == 0 {
			return refuse(CodeRefused, "ready: you belong to no group to check in to")
		}
		if err := e.checkIn(now, p, nil); err != nil {
			return err
		}
	}
	if len(p.checkedIn) == 0 {
		return refuse(CodeRefused, "%s: not checked in (check in first)", verb)
	}
	if len(p.calls) > 0 {
		return refuse(CodeRefused, "%s: on a call (finish the call first)", verb)
	}
	switch verb {
	case session.VerbDone:
		if p.state != session.AgentWrapUp {
			return refuse(CodeRefused, "done: not in wrap-up (you are %s)", p.state)
		}
		if gc := e.wrapFor(p); gc.CodeRequired && len(gc.Codes) > 0 && (p.wrap == nil || p.wrap.code == "") {
			return refuse(CodeRefused, "done: choose a disposition first (codes: %s)", strings.Join(gc.Codes, ", "))
		}
		e.endWrap(now, p)
		e.setState(now, p, session.AgentReady, "")
	case session.VerbReady:
		e.endWrap(now, p)
		e.setState(now, p, session.AgentReady, "")
	case session.VerbNotReady:
		e.endWrap(now, p)
		e.setState(now, p, session.AgentNotReady, c.Reason)
	case session.VerbRest:
		e.endWrap(now, p)
		e.setState(now, p, session.AgentRest, c.Reason)
	}
	e.route(now, p)
	return nil
}

// supervise handles pause, restore and logout of another agent.
func (e *Engine) supervise(now time.Time, s *party, c session.Command) error {
	a, ok := e.parties[c.Agent]
	if !ok || !a.isAgent() {
		return refuse(CodeNotFound, "%s: no agent %q", c.Verb, c.Agent)
	}
	if len(a.checkedIn) == 0 {
		return refuse(CodeRefused, "%s: %s is not checked in", c.Verb, a.id)
	}
	if len(a.calls) > 0 {
		return refuse(CodeRefused, "%s: %s is on a call (intercept it first)", c.Verb, a.id)
	}
	switch c.Verb {
	case session.VerbPause:
		e.endWrap(now, a)
		e.setState(now, a, session.AgentNotReady, "paused by "+s.id)
	case session.VerbRestore:
		if a.state == session.AgentReady {
			return refuse(CodeRefused, "restore: %s is already ready", a.id)
		}
		e.endWrap(now, a)
		e.setState(now, a, session.AgentReady, "")
		e.route(now, a)
	case session.VerbLogout:
		return e.checkOut(now, a, "logged out by "+s.id)
	}
	return nil
}

// rosterChanged schedules a roster snapshot for supervisors.
func (e *Engine) rosterChanged(now time.Time) {
	if (len(e.sups) == 0 && e.cfg.Offline) || !e.rosterAt.IsZero() {
		return
	}
	e.rosterAt = now.Add(e.cfg.RosterEvery)
	e.after(e.rosterAt, timer{kind: tRoster})
}

func (e *Engine) roster(now time.Time) session.AgentRoster {
	r := session.AgentRoster{Base: base(now)}
	for _, p := range e.parties {
		if !p.isAgent() {
			continue
		}
		en := session.RosterEntry{ID: p.id, Name: p.name, State: p.state, Reason: p.reason, Since: p.since}
		for _, c := range p.calls {
			en.Call = c.id
		}
		for _, g := range p.checkedIn {
			en.Groups = append(en.Groups, g.cfg.ID)
		}
		r.Agents = append(r.Agents, en)
	}
	slices.SortFunc(r.Agents, func(x, y session.RosterEntry) int {
		if x.ID < y.ID {
			return -1
		}
		if x.ID > y.ID {
			return 1
		}
		return 0
	})
	return r
}

func (e *Engine) sendRoster(now time.Time) {
	r := e.roster(now)
	for s := range e.sups {
		e.emit(s, r)
	}
	e.sendColleagues(now, r)
}
