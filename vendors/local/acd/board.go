package acd

import (
	"slices"
	"time"

	"github.com/agentty/agentty/session"
)

// ServiceTarget is the answer time behind the service level: the share of
// queued calls answered within it (the usual "80 % in 20 s").
const ServiceTarget = 20 * time.Second

// slWindow is how many recent queued calls the service level looks at.
const slWindow = 100

// serviceLog keeps the outcome of a group's recent queued calls.
type serviceLog struct {
	within    []bool // answered within ServiceTarget, ring of slWindow
	next      int
	answered  int
	abandoned int
}

func (l *serviceLog) add(within bool) {
	if len(l.within) < slWindow {
		l.within = append(l.within, within)
		return
	}
	l.within[l.next] = within
	l.next = (l.next + 1) % slWindow
}

// answeredAfter notes a queued call answered after wait.
func (l *serviceLog) answeredAfter(wait time.Duration) {
	l.answered++
	l.add(wait <= ServiceTarget)
}

// gaveUp notes a queued caller who left before an answer.
func (l *serviceLog) gaveUp() {
	l.abandoned++
	l.add(false)
}

// level returns the share within target, or -1 with no calls yet.
func (l *serviceLog) level() float64 {
	if len(l.within) == 0 {
		return -1
	}
	n := 0
	for _, w := range l.within {
		if w {
			n++
		}
	}
	return float64(n) / float64(len(l.within))
}

// QueueStats returns the figures of every group, sorted by id.
func (e *Engine) QueueStats(now time.Time) []session.GroupStats {
	out := make([]session.GroupStats, 0, len(e.groups))
	for id, g := range e.groups {
		st := session.GroupStats{Group: id, Waiting: g.qlen, LongestWait: session.Unknown,
			Agents: g.members, Ready: len(g.ready), ServiceLevel: g.sl.level(),
			Answered: g.sl.answered, Abandoned: g.sl.abandoned,
			ArrivalsPerHour: g.arrived.perHour(now), HandleTime: session.Secs(g.meanHandle())}
		st.AgentsNeeded = agentsNeeded(st.ArrivalsPerHour, g.meanHandle())
		st.Callbacks = g.callbacksWaiting()
		if g.qhead != nil {
			st.LongestWait = session.Secs(now.Sub(g.qhead.queued))
		} else {
			st.LongestWait = 0
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b session.GroupStats) int {
		switch {
		case a.Group < b.Group:
			return -1
		case a.Group > b.Group:
			return 1
		}
		return 0
	})
	return out
}

// boardChanged schedules a queue.stats report a second from now, unless one
// is scheduled.
func (e *Engine) boardChanged(now time.Time) {
	if e.cfg.Offline || !e.boardAt.IsZero() {
		return
	}
	e.boardAt = now.Add(time.Second)
	e.after(e.boardAt, timer{kind: tBoard})
}

// sendBoard reports the queues to every online agent (their own groups) and
// supervisor (every group). While anyone waits it reports again each second,
// as the longest wait grows.
func (e *Engine) sendBoard(now time.Time) {
	e.boardAt = time.Time{}
	all := e.QueueStats(now)
	waiting := false
	byID := make(map[string]session.GroupStats, len(all))
	for _, g := range all {
		waiting = waiting || g.Waiting > 0
		byID[g.Group] = g
	}
	for _, p := range e.parties {
		if !p.online || !p.isAgent() {
			continue
		}
		gs := all
		if p.role != session.RoleSupervisor {
			mine := p.allowed
			if len(mine) == 0 {
				mine = []string{DefaultGroup}
			}
			gs = make([]session.GroupStats, 0, len(mine))
			for _, id := range mine {
				if g, ok := byID[id]; ok {
					gs = append(gs, g)
				}
			}
		}
		// Straight to the output: emit would schedule another board.
		e.out = append(e.out, Output{To: p.id, Event: session.QueueStats{Base: base(now), Groups: gs}})
	}
	if waiting {
		e.boardChanged(now)
	}
}
