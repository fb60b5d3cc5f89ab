package centre

import (
	"context"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/store"
)

// Agent state history past its retention goes; so does the resume backlog
// of a user gone longer than BacklogKeep.
func TestRetention(t *testing.T) {
	c := newCentre(t, ServerConfig{StateRetention: time.Hour, BacklogKeep: time.Minute})
	ctx := context.Background()
	st := c.srv.Store()
	now := c.clock.Now()
	if err := st.AddStates(ctx, []store.AgentState{
		{User: "ana", State: session.AgentReady, At: now.Add(-2 * time.Hour)},
		{User: "ana", State: session.AgentNotReady, At: now.Add(-time.Minute)},
	}); err != nil {
		t.Fatal(err)
	}
	a := c.signIn(session.RoleAgent, "ana")
	a.MustDo("checkin")
	detached := make(chan string, 1)
	c.srv.do(ctx, func() { c.srv.onDetach = func(u string) { detached <- u } })
	a.V.Close()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	select {
	case <-detached:
	case <-deadline.C:
		t.Fatal("no detach")
	}
	backlog := func() int {
		n := 0
		c.srv.do(ctx, func() { n = len(c.srv.users["ana"].backlog) })
		return n
	}
	c.srv.Housekeep()
	if backlog() == 0 {
		t.Fatal("backlog dropped at once")
	}
	states, _ := st.States(ctx, "ana")
	for _, s := range states {
		if s.At.Before(now.Add(-time.Hour)) {
			t.Errorf("a state row past retention: %+v", s)
		}
	}
	if len(states) == 0 {
		t.Error("recent states pruned too")
	}
	c.clock.Add(2 * time.Minute)
	c.srv.Housekeep()
	if n := backlog(); n != 0 {
		t.Fatalf("backlog of %d frames kept for a user gone 2 minutes", n)
	}
}
