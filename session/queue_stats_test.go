package session_test

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

func TestQueueStatsReplacesTheBoard(t *testing.T) {
	at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	s := session.Apply(session.State{}, session.QueueStats{Base: session.Base{At: at}, Groups: []session.GroupStats{
		{Group: "sales", Waiting: 3}, {Group: "support", Waiting: 1},
	}})
	if len(s.Queues) != 2 || s.Queues[0].Waiting != 3 {
		t.Fatalf("queues = %+v", s.Queues)
	}
	in := []session.GroupStats{{Group: "sales", Waiting: 0}}
	s = session.Apply(s, session.QueueStats{Base: session.Base{At: at.Add(time.Second)}, Groups: in})
	if len(s.Queues) != 1 || s.Queues[0].Waiting != 0 {
		t.Fatalf("queues after replace = %+v", s.Queues)
	}
	in[0].Waiting = 9
	if s.Queues[0].Waiting != 0 {
		t.Errorf("state shares the event's slice")
	}
}
