package replay

import (
	"encoding/json"
	"sort"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/session"
)

// Summary is what `agentty replay --headless` prints of a state: what
// each screen shows at a glance, with field names that say what they are.
type Summary struct {
	Connection string            `json:"connection"`
	User       string            `json:"user,omitempty"`
	Role       string            `json:"role,omitempty"`
	Agent      string            `json:"agent_state,omitempty"`
	Reason     string            `json:"agent_reason,omitempty"`
	Groups     []string          `json:"checked_in_to,omitempty"`
	Calls      []CallSummary     `json:"calls,omitempty"`
	Queue      *QueueSummary     `json:"queue_place,omitempty"`
	Queues     []QueueLine       `json:"queues,omitempty"`
	Roster     map[string]string `json:"roster,omitempty"` // agent id -> state
}

// CallSummary is one live call.
type CallSummary struct {
	ID        string `json:"call_id"`
	Phase     string `json:"phase"`
	Direction string `json:"direction,omitempty"`
	Remote    string `json:"remote,omitempty"`
	Team      string `json:"team,omitempty"`
}

// QueueSummary is a caller's place in a queue.
type QueueSummary struct {
	Group    string  `json:"group"`
	Position int     `json:"position"`
	Estimate float64 `json:"estimated_wait_s"`
}

// QueueLine is one group's figures on the queue board.
type QueueLine struct {
	Group        string  `json:"group"`
	Waiting      int     `json:"waiting"`
	Agents       int     `json:"agents_checked_in"`
	ServiceLevel float64 `json:"service_level"`
}

// Summarize reduces s to a Summary.
func Summarize(s session.State) Summary {
	out := Summary{Connection: string(s.Conn), User: s.User, Role: string(s.Role), Groups: s.Groups}
	if s.Agent.State != session.AgentUnknown {
		out.Agent, out.Reason = string(s.Agent.State), s.Agent.Reason
	}
	for _, c := range s.Calls {
		out.Calls = append(out.Calls, CallSummary{ID: c.ID, Phase: string(c.Phase), Direction: string(c.Direction), Remote: c.Remote(), Team: c.Team})
	}
	if s.Queue.Waiting {
		out.Queue = &QueueSummary{Group: s.Queue.Group, Position: s.Queue.Position, Estimate: float64(s.Queue.EstimatedWait)}
	}
	for _, q := range s.Queues {
		out.Queues = append(out.Queues, QueueLine{Group: q.Group, Waiting: q.Waiting, Agents: q.Agents, ServiceLevel: q.ServiceLevel})
	}
	if len(s.Roster) > 0 {
		out.Roster = make(map[string]string, len(s.Roster))
		for id, r := range s.Roster {
			out.Roster[id] = string(r.State)
		}
	}
	return out
}

// Line is one line of `agentty replay --headless`: the journal line, the
// event as it was written, and the state of its user after it. An entry
// of a type this version does not know carries Unknown and no state.
type Line struct {
	Line    int             `json:"line"`
	To      string          `json:"to,omitempty"`
	Type    string          `json:"type"`
	At      string          `json:"at"`
	Unknown bool            `json:"unknown,omitempty"`
	Event   json.RawMessage `json:"event,omitempty"`
	State   *Summary        `json:"state,omitempty"`
}

// LineFor returns the Line of entry e, just applied by p.
func (p *Player) LineFor(e journal.Entry) Line {
	l := Line{Line: e.Line, To: e.To, Type: e.Type, At: e.At.UTC().Format("2006-01-02T15:04:05.000Z07:00")}
	if !e.Known() {
		l.Unknown, l.Event = true, e.Raw
		return l
	}
	if b, err := session.MarshalEvent(e.Event); err == nil {
		l.Event = b
	}
	s := Summarize(p.State(e.To))
	l.State = &s
	return l
}

// Users lists the users of the replayed span with their roles, sorted:
// supervisors first, then agents, then the rest.
func Users(l *journal.Log) []string {
	ids, roles := l.Users()
	rank := func(id string) int {
		switch roles[id] {
		case session.RoleSupervisor:
			return 0
		case session.RoleAgent:
			return 1
		}
		return 2
	}
	sort.SliceStable(ids, func(i, j int) bool { return rank(ids[i]) < rank(ids[j]) })
	return ids
}
