package acd

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentty/agentty/session"
)

// Capabilities returns the verbs a role may use against this centre.
func Capabilities(r session.Role) []session.Verb {
	agent := []session.Verb{
		session.VerbCheckIn, session.VerbCheckOut, session.VerbReady, session.VerbNotReady,
		session.VerbRest, session.VerbDone, session.VerbDisposition, session.VerbDial, session.VerbAnswer,
		session.VerbReject, session.VerbHangup, session.VerbHold, session.VerbRetrieve,
		session.VerbTransfer, session.VerbDTMF, session.VerbMute, session.VerbUnmute, session.VerbRecord,
		session.VerbConsult, session.VerbComplete, session.VerbConference, session.VerbCancel,
	}
	switch r {
	case session.RoleKiosk:
		return []session.Verb{session.VerbCall, session.VerbLeave, session.VerbMute, session.VerbUnmute,
			session.VerbCallback, session.VerbAnswer, session.VerbReject}
	case session.RoleSupervisor:
		return append(agent, session.VerbListen, session.VerbWhisper, session.VerbBarge,
			session.VerbIntercept, session.VerbPause, session.VerbRestore, session.VerbLogout)
	case session.RoleAgent:
		return agent
	}
	return nil
}

// Allowed reports whether role may issue verb; the server refuses the rest
// with the forbidden code whatever the client claims.
func Allowed(r session.Role, v session.Verb) bool {
	for _, x := range Capabilities(r) {
		if x == v {
			return true
		}
	}
	return false
}

// Do carries out one command of user. A refusal is a *Refusal; nothing has
// changed then.
func (e *Engine) Do(now time.Time, user string, c session.Command) ([]Output, error) {
	p := e.parties[user]
	if p == nil {
		return nil, refuse(CodeNotFound, "%s: unknown user %q", c.Verb, user)
	}
	if !Allowed(p.role, c.Verb) {
		return nil, refuse(CodeForbidden, "%s: not allowed for role %s", c.Verb, p.role)
	}
	if err := confGuard(p, c.Verb); err != nil {
		return nil, err
	}
	var err error
	switch c.Verb {
	case session.VerbConsult, session.VerbComplete, session.VerbConference, session.VerbCancel:
		err = e.doConsult(now, p, c)
	case session.VerbCheckIn:
		err = e.checkIn(now, p, c.Groups)
	case session.VerbCheckOut:
		err = e.checkOut(now, p, "")
	case session.VerbReady, session.VerbNotReady, session.VerbRest, session.VerbDone:
		err = e.changeState(now, p, c)
	case session.VerbDisposition:
		err = e.disposition(now, p, c.Code, c.Note)
	case session.VerbCall:
		err = e.place(now, p, c.Group)
	case session.VerbLeave:
		if len(p.calls) == 0 {
			err = e.cancelCallback(now, p)
		} else {
			err = e.hangup(now, p, "")
		}
	case session.VerbCallback:
		err = e.bookCallback(now, p, c.Number)
	case session.VerbRecord:
		err = e.recordCmd(now, p, c)
	case session.VerbDial:
		err = e.dial(now, p, c.Number)
	case session.VerbAnswer:
		err = e.answer(now, p, c.CallID)
	case session.VerbReject:
		err = e.reject(now, p, c.CallID)
	case session.VerbHangup:
		err = e.hangup(now, p, c.CallID)
	case session.VerbHold:
		err = e.hold(now, p, c.CallID)
	case session.VerbRetrieve:
		err = e.retrieve(now, p, c.CallID)
	case session.VerbTransfer:
		err = e.transfer(now, p, c.Target, c.CallID)
	case session.VerbDTMF:
		if !session.ValidDigits(c.Digits) {
			err = refuse(CodeRefused, "dtmf: digits are 0-9 * # A-D")
		} else {
			err = e.dtmf(now, p, c.Digits)
		}
	case session.VerbMute, session.VerbUnmute:
		err = e.mute(now, p, c.Verb == session.VerbMute)
	case session.VerbListen, session.VerbWhisper, session.VerbBarge:
		err = e.notSelf(p, c, func() error { return e.monitor(now, p, c.Agent, session.MonitorMode(c.Verb)) })
	case session.VerbIntercept:
		err = e.notSelf(p, c, func() error { return e.intercept(now, p, c.Agent) })
	case session.VerbPause, session.VerbRestore, session.VerbLogout:
		err = e.notSelf(p, c, func() error { return e.supervise(now, p, c) })
	default:
		err = refuse(CodeRefused, "%s: not a centre command", c.Verb)
	}
	if err != nil {
		e.out = e.out[:0]
		return nil, err
	}
	return e.flush(), nil
}

func (e *Engine) notSelf(p *party, c session.Command, f func() error) error {
	if c.Agent == p.id {
		return refuse(CodeRefused, "%s: that is you", c.Verb)
	}
	return f()
}

// Connect marks user online and returns the events that bring a fresh
// console up to date: connection.established with the role's capabilities,
// auth.result, groups, rights and roster for supervisors, the agent's state,
// and its live calls. resumed says the user had a session within the grace
// period.
func (e *Engine) Connect(now time.Time, user string) (out []Output, resumed bool, err error) {
	p := e.parties[user]
	if p == nil {
		return nil, false, ErrUnknownUser
	}
	resumed = !p.online && p.graceGen > 0 && (len(p.calls) > 0 || len(p.checkedIn) > 0)
	p.online = true
	p.graceGen++
	e.emit(p, session.ConnectionEstablished{Base: base(now), Vendor: e.cfg.Vendor, Version: e.cfg.Version, Capabilities: Capabilities(p.role), URIs: e.cfg.TrunkOut})
	e.emit(p, session.AuthResult{Base: base(now), OK: true, DisplayName: p.display(), Role: p.role, User: p.id})
	if p.isAgent() {
		var gs []session.Group
		for _, id := range p.allowed {
			gs = append(gs, session.Group{ID: id, Name: e.groups[id].cfg.Name})
		}
		e.emit(p, session.AgentGroups{Base: base(now), CheckIn: gs, Transfer: e.transferGroups()})
	}
	if p.role == session.RoleSupervisor {
		e.emit(p, session.AgentRights{Base: base(now), Rights: []session.Right{session.RightListen, session.RightWhisper,
			session.RightBarge, session.RightIntercept, session.RightPause, session.RightRestore, session.RightLogout}})
		e.sups[p] = true
		e.emit(p, e.roster(now))
	}
	e.out = append(e.out, e.Snapshot(now, user)...)
	e.sync(p)
	e.route(now, p)
	return e.flush(), resumed, nil
}

// Snapshot returns the events that state what user is doing now: checked-in
// groups and agent state, live calls, queue place. It changes nothing.
func (e *Engine) Snapshot(now time.Time, user string) []Output {
	p := e.parties[user]
	if p == nil {
		return nil
	}
	var out []Output
	add := func(ev session.Event) { out = append(out, Output{To: p.id, Event: ev}) }
	if len(p.checkedIn) > 0 {
		ids := make([]string, len(p.checkedIn))
		for i, g := range p.checkedIn {
			ids[i] = g.cfg.ID
		}
		add(session.AgentCheckedIn{Base: base(now), Groups: ids, OK: true})
	}
	for _, c := range p.calls {
		cb := session.CallBase{At: now, CallID: c.idFor(p)}
		if evs, ok := snapshotCallback(now, c, p); ok {
			for _, ev := range evs {
				add(ev)
			}
			continue
		}
		switch {
		case c.isOffered(p):
			add(session.CallRinging{CallBase: cb, Direction: session.DirInbound, From: c.a.display(), To: p.id})
			continue
		case c.a == p:
			add(session.CallDialing{CallBase: cb, To: c.bName()})
		default:
			add(session.CallRinging{CallBase: cb, Direction: session.DirInbound, From: c.a.display(), To: p.id})
		}
		if c.phase == phTalking || c.phase == phHeld {
			add(session.CallAnswered{CallBase: cb, Wait: session.Secs(c.wait)})
		}
		if c.phase == phHeld && (c.heldBy == p || p.customer()) {
			add(session.CallHeld{CallBase: cb})
		}
		if c.inQueue && p.customer() && !c.noAgents {
			add(session.QueueJoined{Base: base(now), Group: c.group.cfg.ID, Position: e.position(c), EstimatedWait: e.estimate(c.group, e.position(c))})
		}
	}
	if p.isAgent() && p.state != session.AgentOffline {
		add(session.AgentStateChanged{Base: base(now), Agent: p.id, State: p.state, Reason: p.reason, Limit: session.Secs(p.limit)})
	}
	return append(out, e.snapshotMore(now, p)...)
}

func (c *call) bName() string {
	if c.b != nil {
		return c.b.id
	}
	if c.group != nil {
		return c.group.cfg.ID
	}
	return ""
}

// Disconnect marks user offline: it is offered no calls, and unless it
// connects again within the grace period its calls end and it is checked
// out.
func (e *Engine) Disconnect(now time.Time, user string) []Output {
	p := e.parties[user]
	if p == nil || !p.online {
		return nil
	}
	p.online = false
	p.lostAt = now
	delete(e.sups, p)
	// A call ringing an agent the centre cannot reach goes back to the
	// queue now, not at the ring timeout.
	for i := len(p.calls) - 1; i >= 0; i-- {
		if c := p.calls[i]; c.isOffered(p) {
			_ = e.reject(now, p, c.idFor(p))
		}
	}
	e.sync(p)
	p.graceGen++
	e.after(now.Add(e.cfg.Grace), timer{kind: tGrace, p: p, gen: p.graceGen})
	return e.flush()
}

func (e *Engine) graceOver(now time.Time, p *party) {
	// The calls' records end when the link dropped, not now.
	e.endAt = p.lostAt
	defer func() { e.endAt = time.Time{} }()
	by := session.BySystem
	if p.customer() {
		by = session.ByCustomer
	}
	for len(p.calls) > 0 {
		c := p.calls[0]
		if _, mon := c.monitors[p]; mon {
			e.stopMonitor(now, p, c)
			continue
		}
		if c.isOffered(p) {
			_ = e.reject(now, p, c.id)
			continue
		}
		if c.third != nil && p != c.a {
			e.leaveConference(now, p, c)
			continue
		}
		disp := "answered"
		if c.answered.IsZero() {
			disp = "abandoned"
		}
		e.endCall(now, c, by, disp, "")
	}
	if len(p.checkedIn) > 0 {
		_ = e.checkOut(now, p, "disconnected")
	}
}

// SimCall places a call from a simulated caller (a server-side party with
// no connection) to group. Events for it are addressed to the returned
// party id.
func (e *Engine) SimCall(now time.Time, from, group string) (id string, out []Output, err error) {
	e.simN++
	id = "sim:" + strconv.FormatUint(e.simN, 10)
	p := &party{id: id, name: from, role: session.RoleKiosk, sim: true, online: true}
	e.parties[id] = p
	if err := e.place(now, p, group); err != nil {
		delete(e.parties, id)
		e.out = e.out[:0]
		return "", nil, err
	}
	return id, e.flush(), nil
}

// SignOut ends user's session at once, as the grace period running out
// would: its calls end and it is checked out.
func (e *Engine) SignOut(now time.Time, user string) []Output {
	p := e.parties[user]
	if p == nil {
		return nil
	}
	p.online = false
	p.graceGen++
	delete(e.sups, p)
	e.sync(p)
	e.graceOver(now, p)
	return e.flush()
}

// transferGroups lists every group, sorted; the slice is shared by the
// events that carry it (events are immutable) and rebuilt when groups change.
func (e *Engine) transferGroups() []session.Group {
	if e.allGroups == nil {
		for id, g := range e.groups {
			e.allGroups = append(e.allGroups, session.Group{ID: id, Name: g.cfg.Name})
		}
		slices.SortFunc(e.allGroups, func(a, b session.Group) int { return strings.Compare(a.ID, b.ID) })
	}
	return e.allGroups
}
