package acd_test

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

func TestQueueStatsBoard(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	e := acd.New(acd.Config{})
	e.AddUser(acd.User{ID: "ana", Name: "Ana", Role: session.RoleAgent, Groups: []string{"sales"}})
	e.AddUser(acd.User{ID: "sup", Name: "Sup", Role: session.RoleSupervisor, Groups: []string{"sales"}})
	e.AddUser(acd.User{ID: "k", Role: session.RoleKiosk, Groups: []string{"sales"}})
	for _, u := range []string{"ana", "sup", "k"} {
		if _, _, err := e.Connect(t0, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Do(t0, "ana", session.Command{Verb: session.VerbCheckIn}); err != nil {
		t.Fatal(err)
	}
	// Ana is not ready: the caller waits.
	if _, err := e.Do(t0, "k", session.Command{Verb: session.VerbCall, Group: "sales"}); err != nil {
		t.Fatal(err)
	}
	boards := func(out []acd.Output) map[string]session.QueueStats {
		m := map[string]session.QueueStats{}
		for _, o := range out {
			if q, ok := o.Event.(session.QueueStats); ok {
				m[o.To] = q
			}
		}
		return m
	}
	got := boards(e.Fire(t0.Add(5 * time.Second)))
	sales := func(q session.QueueStats) session.GroupStats {
		for _, g := range q.Groups {
			if g.Group == "sales" {
				return g
			}
		}
		t.Fatalf("no sales in %+v", q.Groups)
		return session.GroupStats{}
	}
	if _, ok := got["k"]; ok {
		t.Errorf("a kiosk got the board")
	}
	a := sales(got["ana"])
	if a.Waiting != 1 || a.Agents != 1 || a.Ready != 0 || a.LongestWait.D() < time.Second || a.ServiceLevel >= 0 {
		t.Errorf("ana's board: %+v", a)
	}
	if len(got["ana"].Groups) != 1 || len(got["sup"].Groups) < 1 {
		t.Errorf("agent sees %d groups, supervisor %d", len(got["ana"].Groups), len(got["sup"].Groups))
	}
	// While someone waits the board comes every second.
	if again := boards(e.Fire(t0.Add(7 * time.Second))); sales(again["ana"]).LongestWait.D() < 6*time.Second {
		t.Errorf("longest wait did not grow: %+v", again["ana"])
	}
	// Answered 30 s after queueing: outside the 20 s target.
	t1 := t0.Add(30 * time.Second)
	e.Do(t1, "ana", session.Command{Verb: session.VerbReady})
	e.Do(t1, "ana", session.Command{Verb: session.VerbAnswer})
	got = boards(e.Fire(t1.Add(2 * time.Second)))
	if s := sales(got["ana"]); s.Waiting != 0 || s.Answered != 1 || s.ServiceLevel != 0 {
		t.Errorf("after a late answer: %+v", s)
	}
}
