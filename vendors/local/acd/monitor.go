package acd

import (
	"time"

	"github.com/agentty/agentty/session"
)

// agentCall returns the answered call agent a is handling.
func agentCall(a *party) *call {
	for _, c := range a.calls {
		if (c.phase == phTalking || c.phase == phHeld) && (c.a == a || c.b == a) {
			return c
		}
	}
	return nil
}

// monitor lets supervisor s listen to, whisper to or barge into agent's
// call. The supervisor's console sees the call as one it dialled.
func (e *Engine) monitor(now time.Time, s *party, agent string, mode session.MonitorMode) error {
	a := e.parties[agent]
	if a == nil || !a.isAgent() {
		return refuse(CodeNotFound, "%s: no agent %q", mode, agent)
	}
	c := agentCall(a)
	if c == nil {
		return refuse(CodeRefused, "%s: %s has no answered call", mode, a.id)
	}
	if _, already := c.monitors[s]; !already {
		if len(s.calls) > 0 {
			return refuse(CodeRefused, "%s: you are on a call", mode)
		}
		if c.monitors == nil {
			c.monitors = map[*party]session.MonitorMode{}
		}
		c.meet(s)
		s.calls = append(s.calls, c)
		e.emit(s, session.CallDialing{CallBase: cbase(now, c), To: a.id})
		e.setState(now, s, session.AgentBusy, "monitoring")
		e.emit(s, session.CallAnswered{CallBase: cbase(now, c)})
	}
	c.monitors[s] = mode
	ev := session.CallMonitored{CallBase: cbase(now, c), Mode: mode, By: s.id}
	e.emit(s, ev)
	if mode != session.MonitorListen {
		e.emit(a, ev)
	}
	if mode == session.MonitorBarge {
		conf := session.CallConference{CallBase: cbase(now, c), Parties: append(c.legs(), s.id)}
		e.emit(a, conf)
		if o := c.other(a); o.customer() {
			e.emit(o, conf)
		}
	}
	e.media(MediaOp{Kind: MediaMonitor, CallID: c.id, Party: s.id, Mode: mode, Legs: c.legs()})
	return nil
}

// intercept: the supervisor takes the agent's call over; the agent's part
// ends (by supervisor) and it goes to wrap-up.
func (e *Engine) intercept(now time.Time, s *party, agent string) error {
	a := e.parties[agent]
	if a == nil || !a.isAgent() {
		return refuse(CodeNotFound, "intercept: no agent %q", agent)
	}
	c := agentCall(a)
	if c == nil {
		return refuse(CodeRefused, "intercept: %s has no answered call", a.id)
	}
	if _, mon := c.monitors[s]; mon {
		delete(c.monitors, s)
		e.emit(s, session.CallMonitored{CallBase: cbase(now, c), Mode: session.MonitorNone, By: s.id})
	} else {
		if len(s.calls) > 0 {
			return refuse(CodeRefused, "intercept: you are on a call")
		}
		c.meet(s)
		s.calls = append(s.calls, c)
		e.emit(s, session.CallDialing{CallBase: cbase(now, c), To: a.id})
		e.setState(now, s, session.AgentBusy, "")
		e.emit(s, session.CallAnswered{CallBase: cbase(now, c)})
	}
	s.prevState = session.AgentUnknown // wrap-up after the call, like any agent
	talk := talkTime(c, now)
	e.record(now, c, session.BySupervisor, "intercepted", talk)
	if c.phase == phHeld {
		c.heldTotal += now.Sub(c.heldSince)
		c.phase, c.heldBy, c.heldSince = phTalking, nil, time.Time{}
		e.emit(s, session.CallRetrieved{CallBase: cbase(now, c)})
	}
	if c.a == a {
		c.a = s
	} else {
		c.b = s
	}
	c.segment++
	c.segStart, c.answered, c.heldTotal = now, now, 0
	a.removeCall(c)
	e.emit(a, session.CallEnded{CallBase: cbase(now, c), By: session.BySupervisor, Duration: session.Secs(talk)})
	e.afterCall(now, a, talk, c.group, true)
	e.media(MediaOp{Kind: MediaConnected, CallID: c.id, Legs: c.legs()})
	return nil
}

func (e *Engine) stopMonitor(now time.Time, s *party, c *call) {
	mode := c.monitors[s]
	delete(c.monitors, s)
	s.removeCall(c)
	e.emit(s, session.CallEnded{CallBase: cbase(now, c), By: session.ByAgent})
	a := c.b
	if a == nil || !a.isAgent() {
		a = c.a
	}
	if mode != session.MonitorListen && a != nil {
		e.emit(a, session.CallMonitored{CallBase: cbase(now, c), Mode: session.MonitorNone, By: s.id})
	}
	e.media(MediaOp{Kind: MediaMonitor, CallID: c.id, Party: s.id, Legs: c.legs()})
	e.afterCall(now, s, 0, nil, false)
}

func (e *Engine) stopMonitors(now time.Time, c *call) {
	for s := range c.monitors {
		e.stopMonitor(now, s, c)
	}
}
