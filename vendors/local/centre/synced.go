package centre

import (
	"slices"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

// syncedFor reads the sign-in outputs the engine gave user (its snapshot:
// check-in, agent state, live calls, queue place) and states them as one
// connection.synced, which tells the client to drop whatever the snapshot
// did not repeat. restarted says the client resumed a session this server
// never numbered: the centre restarted.
func syncedFor(user string, outs []acd.Output, restarted bool, now time.Time) session.ConnectionSynced {
	e := session.ConnectionSynced{Base: session.Base{At: now}, Restarted: restarted, Calls: []string{}}
	for _, o := range outs {
		if o.To != user || o.Event == nil {
			continue
		}
		switch ev := o.Event.(type) {
		case session.CallRinging:
			e.Calls = append(e.Calls, ev.CallID)
		case session.CallDialing:
			e.Calls = append(e.Calls, ev.CallID)
		case session.CallEnded:
			e.Calls = slices.DeleteFunc(e.Calls, func(id string) bool { return id == ev.CallID })
		case session.CallFailed:
			e.Calls = slices.DeleteFunc(e.Calls, func(id string) bool { return id == ev.CallID })
		case session.CallRejected:
			e.Calls = slices.DeleteFunc(e.Calls, func(id string) bool { return id == ev.CallID })
		case session.AgentCheckedIn:
			e.CheckedIn = e.CheckedIn || ev.OK
		case session.AgentCheckedOut:
			e.CheckedIn = e.CheckedIn && !ev.OK
		case session.AgentStateChanged:
			if ev.Agent == "" || ev.Agent == user {
				e.State = ev.State
			}
		case session.QueueJoined:
			e.Queued = true
		case session.QueueLeft:
			e.Queued = false
		}
	}
	if !e.CheckedIn {
		e.State = session.AgentUnknown
	}
	return e
}
