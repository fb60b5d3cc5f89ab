package acd_test

import (
	"math"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

// TestArrivalRate: queue.stats carries the recent arrival rate, which
// falls while nobody calls, for the supervisor's what-if line.
func TestArrivalRate(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	e := acd.New(acd.Config{})
	e.SetGroup(acd.GroupConfig{ID: "sales"})
	rate := func(now time.Time) float64 {
		for _, g := range e.QueueStats(now) {
			if g.Group == "sales" {
				return g.ArrivalsPerHour
			}
		}
		return -1
	}
	for i := range 2 {
		e.SimCall(t0.Add(time.Duration(i)*30*time.Second), "x", "sales")
	}
	if r := rate(t0.Add(time.Minute)); r != 0 {
		t.Errorf("two arrivals: rate %v, want 0 (unknown)", r)
	}
	for i := 2; i < 100; i++ {
		e.SimCall(t0.Add(time.Duration(i)*30*time.Second), "x", "sales")
	}
	// The last 64 arrivals, 30 s apart, seen 30 s after the last: 120/h.
	if r := rate(t0.Add(100 * 30 * time.Second)); math.Abs(r-120) > 1e-9 {
		t.Errorf("rate %v, want 120 per hour", r)
	}
	if r := rate(t0.Add(100*30*time.Second + time.Hour)); r >= 60 {
		t.Errorf("an hour without calls: rate %v still high", r)
	}
}

// TestAgentsNeeded: queue.stats's what-if figure. 200 calls an hour of
// 180 s is the 10-erlang worked example of package whatif/erlang: 14
// agents reach 80 % in 20 s.
func TestAgentsNeeded(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	e := acd.New(acd.Config{Defaults: acd.GroupConfig{WrapUp: time.Second}})
	e.AddUser(acd.User{ID: "ana", Role: session.RoleAgent, Groups: []string{"sales"}})
	e.Connect(t0, "ana")
	e.Do(t0, "ana", session.Command{Verb: session.VerbCheckIn})
	e.Do(t0, "ana", session.Command{Verb: session.VerbReady})
	now := t0
	// 65 callers 18 s apart (200 an hour); ana talks 179 s to each she
	// takes and wraps up 1 s: a handle time of 180 s.
	for i := range 65 {
		now = t0.Add(time.Duration(i) * 18 * time.Second)
		e.Fire(now)
		_, out, _ := e.SimCall(now, "x", "sales")
		for _, o := range out {
			if r, ok := o.Event.(session.CallRinging); ok && o.To == "ana" {
				e.Do(now, "ana", session.Command{Verb: session.VerbAnswer, CallID: r.CallID})
				e.Do(now.Add(179*time.Second), "ana", session.Command{Verb: session.VerbHangup})
				e.Fire(now.Add(180 * time.Second))
			}
		}
	}
	now = now.Add(18 * time.Second)
	for _, g := range e.QueueStats(now) {
		if g.Group != "sales" {
			continue
		}
		if math.Abs(g.ArrivalsPerHour-200) > 1e-6 || g.HandleTime.D() != 180*time.Second || g.AgentsNeeded != 14 {
			t.Errorf("sales: %.3f/h, handle %v, needed %d; want 200/h, 3m0s, 14", g.ArrivalsPerHour, g.HandleTime.D(), g.AgentsNeeded)
		}
	}
}
