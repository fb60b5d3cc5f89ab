package acd

import (
	"cmp"
	"slices"
	"time"

	"github.com/agentty/agentty/session"
)

// Colleagues: an agent sees the state of the agents who share one of its
// groups (not the supervisor's roster and verbs), for the transfer and
// consult pickers. They arrive as agent.roster, ready ones first, on the
// supervisors' roster timer; an offline run (Config.Offline) sends none.

// sendColleagues gives every online agent (not supervisors, who get the
// whole roster) the roster of its colleagues. full is the whole roster.
func (e *Engine) sendColleagues(now time.Time, full session.AgentRoster) {
	if e.cfg.Offline {
		return
	}
	byGroup := map[string][]int{} // group -> indexes into full.Agents
	for i, en := range full.Agents {
		if p := e.parties[en.ID]; p != nil {
			for _, g := range p.allowed {
				byGroup[g] = append(byGroup[g], i)
			}
		}
	}
	for _, p := range e.parties {
		if p.role != session.RoleAgent || !p.online {
			continue
		}
		seen := map[int]bool{}
		r := session.AgentRoster{Base: base(now)}
		for _, g := range p.allowed {
			for _, i := range byGroup[g] {
				if en := full.Agents[i]; en.ID != p.id && !seen[i] {
					seen[i] = true
					r.Agents = append(r.Agents, en)
				}
			}
		}
		slices.SortFunc(r.Agents, func(x, y session.RosterEntry) int {
			if rx, ry := x.State == session.AgentReady, y.State == session.AgentReady; rx != ry {
				if rx {
					return -1
				}
				return 1
			}
			return cmp.Compare(x.ID, y.ID)
		})
		if r.Agents == nil {
			r.Agents = []session.RosterEntry{}
		}
		e.emit(p, r)
	}
}
