// Package replaytest writes centre journals for tests and benchmarks: a
// day driven through the real ACD engine (vendors/local/acd) in virtual
// time, each output written as the centre's journal writes it (the event
// with a "to" field, routing decisions as their own lines).
package replaytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

// Start is the journal's first instant.
var Start = time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)

// Day writes a centre journal of at least lines lines: one supervisor
// ("sup"), agents agents in group "sales", callers arriving every few
// seconds and answered at once, talking 30..150 s. seed fixes the day.
func Day(lines, agents int, seed uint64) []byte {
	var buf bytes.Buffer
	n := 0
	var rings []session.CallRinging // offered to an agent, to answer
	write := func(out []acd.Output) {
		for _, o := range out {
			if r, ok := o.Event.(session.CallRinging); ok && o.To == r.To && r.To != "" && r.To[0] == 'a' {
				rings = append(rings, r)
			}
			switch {
			case o.Event != nil:
				b, err := session.MarshalEvent(o.Event)
				if err != nil {
					panic(err)
				}
				if o.To != "" {
					to, _ := json.Marshal(o.To)
					buf.WriteString(`{"to":`)
					buf.Write(to)
					buf.WriteByte(',')
					b = b[1:]
				}
				buf.Write(b)
				buf.WriteByte('\n')
				n++
			case o.Decision != nil:
				b, _ := json.Marshal(o.Decision)
				buf.Write(b)
				buf.WriteByte('\n')
				n++
			}
		}
	}
	e := acd.New(acd.Config{Defaults: acd.GroupConfig{WrapUp: 5 * time.Second}})
	now := Start
	do := func(user string, c session.Command) {
		out, err := e.Do(now, user, c)
		if err != nil {
			panic(fmt.Sprintf("replaytest: %s %s: %v", user, c.Verb, err))
		}
		write(out)
	}
	e.AddUser(acd.User{ID: "sup", Name: "Sam", Role: session.RoleSupervisor, Groups: []string{"sales"}})
	out, _, _ := e.Connect(now, "sup")
	write(out)
	for i := range agents {
		id := "a" + strconv.Itoa(i)
		e.AddUser(acd.User{ID: id, Name: "Agent " + strconv.Itoa(i), Role: session.RoleAgent, Groups: []string{"sales"}})
		out, _, _ := e.Connect(now, id)
		write(out)
		do(id, session.Command{Verb: session.VerbCheckIn})
		do(id, session.Command{Verb: session.VerbReady})
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	type hang struct {
		at    time.Time
		agent string
	}
	var hangs []hang
	nextCall := now
	for n < lines {
		// The next thing to happen: a caller, a hang-up, or an engine timer.
		at := nextCall
		for _, h := range hangs {
			if h.at.Before(at) {
				at = h.at
			}
		}
		if t := e.Next(); !t.IsZero() && t.Before(at) {
			at = t
		}
		now = at
		write(e.Fire(now))
		for i := 0; i < len(hangs); i++ {
			if !hangs[i].at.After(now) {
				do(hangs[i].agent, session.Command{Verb: session.VerbHangup})
				hangs = append(hangs[:i], hangs[i+1:]...)
				i--
			}
		}
		if !nextCall.After(now) {
			_, out, err := e.SimCall(now, "+4420"+strconv.Itoa(rng.IntN(1e7)), "sales")
			if err != nil {
				panic(err)
			}
			write(out)
			nextCall = now.Add(time.Duration(1+rng.IntN(8)) * time.Second)
		}
		// Agents offered a call answer it at once.
		for len(rings) > 0 {
			r := rings[0]
			rings = rings[1:]
			do(r.To, session.Command{Verb: session.VerbAnswer, CallID: r.CallID})
			hangs = append(hangs, hang{now.Add(time.Duration(30+rng.IntN(120)) * time.Second), r.To})
		}
	}
	return buf.Bytes()
}
