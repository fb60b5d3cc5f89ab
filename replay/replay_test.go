package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/replay/replaytest"
	"github.com/agentty/agentty/session"
)

func read(t testing.TB, b []byte) *journal.Log {
	t.Helper()
	l, err := journal.Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Bad) > 0 {
		t.Fatalf("bad lines: %v", l.Bad[:1])
	}
	return l
}

// TestReplayRebuildsEveryScreen: stepping through a centre's journal gives
// each user the state their console had, which is the fold of their events.
func TestReplayRebuildsEveryScreen(t *testing.T) {
	l := read(t, replaytest.Day(3000, 5, 1))
	want := map[string]session.State{}
	for _, e := range l.Entries {
		if e.Event != nil {
			want[e.To] = session.Apply(want[e.To], e.Event)
		}
	}
	p := New(l, time.Time{}, time.Time{})
	for {
		if _, ok := p.Step(); !ok {
			break
		}
	}
	for _, u := range []string{"sup", "a0", "a4"} {
		if !reflect.DeepEqual(Summarize(p.State(u)), Summarize(want[u])) {
			t.Errorf("%s: replayed %+v, want %+v", u, Summarize(p.State(u)), Summarize(want[u]))
		}
	}
	if got := p.State("sup"); got.Role != session.RoleSupervisor || len(got.Roster) != 6 { // five agents and the supervisor
		t.Errorf("supervisor's screen: role %s, roster %d", got.Role, len(got.Roster))
	}
	if u := p.Unknown(); len(u) != 1 || !strings.HasPrefix(u[0], "acd.offer ×") {
		t.Errorf("unknown types listed: %v", u)
	}
	if us := Users(l); us[0] != "sup" {
		t.Errorf("users %v: the supervisor first", us[:3])
	}
}

// TestSeekMatchesStepping: a seek (backward through checkpoints, forward by
// steps) lands on the same states as stepping from the start.
func TestSeekMatchesStepping(t *testing.T) {
	l := read(t, replaytest.Day(3*checkEvery+500, 4, 2))
	p := New(l, time.Time{}, time.Time{})
	at := func(i int) map[string]Summary {
		q := New(l, time.Time{}, time.Time{})
		for range i {
			q.Step()
		}
		out := map[string]Summary{}
		for _, u := range []string{"sup", "a1"} {
			out[u] = Summarize(q.State(u))
		}
		return out
	}
	for _, i := range []int{p.Len(), 2*checkEvery + 17, 5, checkEvery, p.Len() - 1, 0} {
		p.Seek(i)
		if p.Pos() != i {
			t.Fatalf("seek %d: at %d", i, p.Pos())
		}
		want := at(i)
		for u, s := range want {
			if !reflect.DeepEqual(Summarize(p.State(u)), s) {
				t.Errorf("seek %d: %s differs from stepping", i, u)
			}
		}
	}
	first, last := p.Span()
	mid := first.Add(last.Sub(first) / 2)
	p.SeekTime(mid)
	if p.Now().After(mid) || (p.Pos() < p.Len() && !p.Entry(p.Pos()).At.After(mid)) {
		t.Errorf("SeekTime(%v): now %v", mid, p.Now())
	}
}

// TestFromTo: --from applies everything before it, so the first screen is
// the state at from; --to ends the span.
func TestFromTo(t *testing.T) {
	l := read(t, replaytest.Day(2000, 3, 3))
	first, last := l.Entries[0].At, l.Entries[len(l.Entries)-1].At
	from, to := first.Add(last.Sub(first)/3), first.Add(2*last.Sub(first)/3)
	p := New(l, from, to)
	f, la := p.Span()
	if f.Before(from) || la.After(to) || p.Len() == 0 {
		t.Fatalf("span %v..%v for %v..%v", f, la, from, to)
	}
	if p.State("sup").Role != session.RoleSupervisor {
		t.Errorf("the state before --from was not applied")
	}
}

// TestHeadlessLines: one JSON line per entry with the state after it; an
// event type from another version is a line marked unknown, not a crash.
func TestHeadlessLines(t *testing.T) {
	in := `{"type":"connection.established","at":"2026-12-03T09:00:00Z","vendor":"local"}
{"type":"agent.state","at":"2026-12-03T09:00:01Z","agent":"ana","state":"ready"}
{"type":"call.teleported","at":"2026-12-03T09:00:02Z","call_id":"c1"}
{"type":"call.ringing","at":"2026-12-03T09:00:12Z","call_id":"c1","direction":"inbound","from":"+441"}
`
	l := read(t, []byte(in))
	p := New(l, time.Time{}, time.Time{})
	var out bytes.Buffer
	var waited time.Duration
	err := Headless(context.Background(), p, &out, 10, "", func(_ context.Context, d time.Duration) error { waited += d; return nil })
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines:\n%s", len(lines), out.String())
	}
	var last, unk Line
	json.Unmarshal([]byte(lines[3]), &last)
	json.Unmarshal([]byte(lines[2]), &unk)
	if !unk.Unknown || unk.State != nil || unk.Type != "call.teleported" {
		t.Errorf("unknown line: %s", lines[2])
	}
	if last.State == nil || len(last.State.Calls) != 1 || last.State.Calls[0].Phase != "ringing" {
		t.Errorf("last line: %s", lines[3])
	}
	if waited != 1200*time.Millisecond { // 12 s of journal at 10x
		t.Errorf("waited %v at 10x, want 1.2s", waited)
	}
}

func TestParse(t *testing.T) {
	for s, want := range map[string]Speed{"1x": 1, "10x": 10, "max": Max, "MAX": Max, "0.5x": 0.5} {
		if got, err := ParseSpeed(s); err != nil || got != want {
			t.Errorf("ParseSpeed(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "fast", "-1x", "0x"} {
		if _, err := ParseSpeed(s); err == nil {
			t.Errorf("ParseSpeed(%q) accepted", s)
		}
	}
	day := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	if got, _ := ParseTime("09:30", day); !got.Equal(time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("09:30 -> %v", got)
	}
	if _, err := ParseTime("half past nine", day); err == nil {
		t.Error("bad time accepted")
	}
}

// FuzzReplay: any bytes read as a journal replay, seek and print without
// a panic.
func FuzzReplay(f *testing.F) {
	f.Add([]byte(`{"type":"agent.state","at":"2026-12-03T09:00:00Z","agent":"ana","state":"ready","to":"ana"}`))
	f.Add(replaytest.Day(60, 2, 9))
	f.Add([]byte("{\"type\":\"x\",\"at\":\"2026-12-03T09:00:00Z\"}\n{\"type\":\"call.ended\",\"at\":\"2026-12-03T09:00:00Z\",\"call_id\":\"c\"}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := journal.Read(bytes.NewReader(b))
		if err != nil {
			return
		}
		p := New(l, time.Time{}, time.Time{})
		var out bytes.Buffer
		if err := Headless(context.Background(), p, &out, Max, "", nil); err != nil {
			t.Fatal(err)
		}
		p.Seek(p.Len() / 2)
		p.Seek(0)
		p.Unknown()
	})
}
