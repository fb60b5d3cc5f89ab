package whatif

import (
	"sort"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/session"
)

// RecordsFromJournal rebuilds the queued calls of a centre's journal (the
// demo's, or DATA/journal of 'agentty serve') as call records, from what
// each caller's console was told: call.dialing then queue.joined (or
// queue.no_agents) is a call queued to that group; call.answered ends its
// wait; call.ended ends its talk, or its wait when it was never answered
// (abandoned). Calls of agents (dials, transfers) are left out: only a
// caller's console hears queue.joined. Records come in order of arrival.
func RecordsFromJournal(l *journal.Log) []Record {
	type key struct{ to, call string }
	type open struct {
		rec      Record
		queued   bool
		answered bool
		ansAt    int64 // unix nanoseconds
	}
	calls := map[key]*open{}
	last := map[string]key{} // a caller's latest call (queue events carry no call id)
	var out []Record
	for _, e := range l.Entries {
		if e.To == "" || e.Event == nil {
			continue
		}
		switch ev := e.Event.(type) {
		case session.CallDialing:
			k := key{e.To, ev.CallID}
			calls[k] = &open{rec: Record{CallID: e.To + "/" + ev.CallID, Segment: 1, Queued: ev.At, Group: ev.To}}
			last[e.To] = k
		case session.QueueJoined:
			if c := calls[last[e.To]]; c != nil {
				c.queued = true
				if ev.Group != "" {
					c.rec.Group = ev.Group
				}
			}
		case session.QueueNoAgents:
			if c := calls[last[e.To]]; c != nil {
				c.queued = true
				if ev.Group != "" {
					c.rec.Group = ev.Group
				}
			}
		case session.CallAnswered:
			if c := calls[key{e.To, ev.CallID}]; c != nil && !c.answered {
				c.answered, c.ansAt = true, ev.At.UnixNano()
				c.rec.WaitS = ev.At.Sub(c.rec.Queued).Seconds()
			}
		case session.CallEnded:
			k := key{e.To, ev.CallID}
			c := calls[k]
			if c == nil {
				continue
			}
			delete(calls, k)
			if !c.queued {
				continue
			}
			if c.answered {
				c.rec.Disposition = "answered"
				c.rec.TalkS = float64(ev.At.UnixNano()-c.ansAt) / 1e9
			} else {
				c.rec.Disposition = "abandoned"
				c.rec.WaitS = ev.At.Sub(c.rec.Queued).Seconds()
			}
			out = append(out, c.rec)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Queued.Before(out[j].Queued) })
	return out
}
