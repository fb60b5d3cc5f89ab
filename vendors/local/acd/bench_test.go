package acd

import (
	"strconv"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// BenchmarkRouteCycle measures one call's whole life (arrive, offer, answer,
// hang up, done) in a centre of 10,000 agents and 1,000 queues. The fuller
// figures, side by side with a naive router, come from go run ./bench/acd.
func BenchmarkRouteCycle(b *testing.B) {
	e := New(Config{Defaults: GroupConfig{RingTimeout: time.Hour, WrapUp: time.Hour}})
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	for q := range 1000 {
		e.SetGroup(GroupConfig{ID: "q" + strconv.Itoa(q)})
	}
	for a := range 10000 {
		id := "a" + strconv.Itoa(a)
		e.AddUser(User{ID: id, Role: session.RoleAgent, Groups: []string{"q" + strconv.Itoa(a%1000), "q" + strconv.Itoa((a*7)%1000)}})
		e.Connect(now, id)
		e.Do(now, id, session.Command{Verb: session.VerbCheckIn})
		e.Do(now, id, session.Command{Verb: session.VerbReady})
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		now = now.Add(time.Millisecond)
		_, out, err := e.SimCall(now, "x", "q"+strconv.Itoa(i%1000))
		if err != nil {
			b.Fatal(err)
		}
		var agent string
		for _, o := range out {
			if r, ok := o.Event.(session.CallRinging); ok {
				agent = r.To
			}
		}
		if agent == "" {
			b.Fatal("no agent offered the call")
		}
		for _, v := range []session.Verb{session.VerbAnswer, session.VerbHangup, session.VerbDone} {
			if _, err := e.Do(now, agent, session.Command{Verb: v}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
