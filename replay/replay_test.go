package replay

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/session"
)

var t0 = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

const log = `{"type":"connection.established","at":"2026-12-03T09:00:00Z","vendor":"local","version":"1"}
{"type":"auth.result","at":"2026-12-03T09:00:00Z","ok":true,"role":"agent","user":"ana"}
{"type":"agent.checked_in","at":"2026-12-03T09:00:01Z","groups":["sales"],"ok":true}
{"type":"agent.state","at":"2026-12-03T09:00:02Z","agent":"ana","state":"ready"}
{"type":"acd.offer","at":"2026-12-03T09:05:00Z","call_id":"c1","offered":["ana"],"why":"longest-idle"}
{"type":"call.ringing","at":"2026-12-03T09:05:00Z","call_id":"c1","direction":"inbound","from":"+34 600 000 001"}
{"type":"call.answered","at":"2026-12-03T09:05:03Z","call_id":"c1"}
{"type":"call.ended","at":"2026-12-03T09:08:03Z","call_id":"c1","by":"customer","duration":180}
`

func entries(t *testing.T) []journal.Entry {
	t.Helper()
	l, err := journal.Read(strings.NewReader(log))
	if err != nil || len(l.Entries) != 8 {
		t.Fatalf("%v %d", err, len(l.Entries))
	}
	return l.Entries
}

// StateAt applies the first n entries' events to an empty state.
func StateAt(es []journal.Entry, n int) session.State {
	var st session.State
	for _, e := range es[:n] {
		if e.Event != nil {
			st = session.Apply(st, e.Event)
		}
	}
	return st
}

func TestStateAtAndSummary(t *testing.T) {
	es := entries(t)
	st := StateAt(es, 7)
	s := Summarize(es[6], st)
	if s.Agent != "busy" || len(s.Calls) != 1 || s.Calls[0].Phase != "talking" || s.Calls[0].From != "+34 600 000 001" {
		t.Errorf("after answer: %+v", s)
	}
	if u := Summarize(es[4], StateAt(es, 5)); !u.Unknown || u.Type != "acd.offer" || u.Agent != "ready" {
		t.Errorf("unknown line: %+v", u)
	}
}

func TestWindow(t *testing.T) {
	es := entries(t)
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"", "", 8}, {"09:05", "", 4}, {"+5m", "09:05:03", 3}, {"2026-12-03T09:08:00Z", "", 1},
	} {
		got, err := Window(es, tc.from, tc.to)
		if err != nil || len(got) != tc.want {
			t.Errorf("%q..%q: %d entries (%v), want %d", tc.from, tc.to, len(got), err, tc.want)
		}
	}
	if _, err := Window(es, "yesterday", ""); err == nil {
		t.Error("a bad --from: no error")
	}
}

// fakeClock fires After channels when the test advances it.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	asked   chan time.Duration
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, waiter{c.now.Add(d), ch})
	c.mu.Unlock()
	c.asked <- d
	return ch
}
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			keep = append(keep, w)
		}
	}
	c.waiters = keep
}

func next(t *testing.T, ch <-chan session.Event) session.Event {
	t.Helper()
	select {
	case e := <-ch:
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event from the player")
		return nil
	}
}

// At 10x the player waits a tenth of the log's gaps, by its clock; a step
// while paused plays exactly one entry; a seek back resets and replays.
func TestPlayerPacingPauseStepSeek(t *testing.T) {
	es := entries(t)
	clk := &fakeClock{now: t0, asked: make(chan time.Duration, 16)}
	p := NewPlayer(es, 10, clk)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.Run(ctx)
	ev := p.Events()
	next(t, ev) // connection.established
	next(t, ev) // auth.result: same second, no wait
	if d := <-clk.asked; d != 100*time.Millisecond {
		t.Fatalf("waits %v before checked_in, want 1 s / 10", d)
	}
	clk.advance(100 * time.Millisecond)
	if e := next(t, ev); e.Type() != session.TypeAgentCheckedIn {
		t.Fatalf("got %s", e.Type())
	}
	<-clk.asked // waiting for agent.state
	p.Toggle()  // pause
	p.Step()
	if e := next(t, ev); e.Type() != session.TypeAgentState {
		t.Fatalf("step gave %s", e.Type())
	}
	p.Step()
	if e := next(t, ev); e.Type() != "acd.offer" {
		t.Fatalf("step gave %s, want the unknown acd.offer line", e.Type())
	}
	if !strings.Contains(p.Status(), "5/8") || !strings.Contains(p.Status(), "⏸") {
		t.Errorf("status %q", p.Status())
	}
	p.Seek(-10 * time.Minute)
	if e := next(t, ev); e.Type() != "replay.reset" {
		t.Fatalf("seek back gave %s, want a reset", e.Type())
	}
	if e := next(t, ev); e.Type() != session.TypeConnectionEstablished {
		t.Fatalf("after the reset: %s", e.Type())
	}
	p.Seek(time.Hour) // forward to the end, at once
	var last session.Event
	for range 7 {
		last = next(t, ev)
	}
	if last.Type() != session.TypeCallEnded || !strings.Contains(p.Status(), "end") {
		t.Errorf("last %s, status %q", last.Type(), p.Status())
	}
}

func TestParseSpeed(t *testing.T) {
	for in, want := range map[string]Speed{"1x": 1, "10x": 10, "0.5x": 0.5, "max": Max, "3": 3} {
		if got, err := ParseSpeed(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "fast", "-1x", "0x"} {
		if _, err := ParseSpeed(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
