package whatif

import (
	"fmt"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/session"
)

// RecordsFromJournal rebuilds call records from a centre's journal (see
// package journal): a caller's queue.joined starts a call in its group;
// call.answered to the caller answers it after the wait, call.ended gives
// its talk time; queue.left by the customer is a caller who gave up. Calls
// still open at the end of the journal are left out.
func RecordsFromJournal(es []journal.Entry) []Record {
	open := map[string]*Record{} // by caller
	var out []Record
	n := 0
	for _, e := range es {
		if e.To == "" {
			continue
		}
		switch ev := e.Event.(type) {
		case session.QueueJoined:
			n++
			open[e.To] = &Record{CallID: fmt.Sprintf("j%d", n), Segment: 1, Group: ev.Group, Queued: ev.At}
		case session.CallAnswered:
			if r := open[e.To]; r != nil && r.Disposition == "" {
				r.Disposition = "answered"
				r.WaitS = ev.At.Sub(r.Queued).Seconds()
			}
		case session.CallEnded:
			if r := open[e.To]; r != nil && r.Disposition == "answered" {
				r.TalkS = ev.Duration.D().Seconds()
				out = append(out, *r)
				delete(open, e.To)
			}
		case session.QueueLeft:
			r := open[e.To]
			if r == nil || r.Disposition != "" {
				continue
			}
			if ev.By == session.ByCustomer {
				r.Disposition = "abandoned"
				r.WaitS = ev.At.Sub(r.Queued).Seconds()
				out = append(out, *r)
				delete(open, e.To)
			}
		}
	}
	return out
}
