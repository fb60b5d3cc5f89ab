package journal

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

var t0 = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

func readAll(t *testing.T, dir, prefix string) *Log {
	t.Helper()
	files, err := Files(dir, prefix)
	if err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	l, err := Read(bytes.NewReader(all))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestRoundTripAndRotation(t *testing.T) {
	dir := t.TempDir()
	n := 0
	j, err := Open(Options{Dir: dir, Prefix: "centre", MaxBytes: 2000,
		Now: func() time.Time { n++; return t0.Add(time.Duration(n) * time.Second) }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		j.Event("ana", session.AgentStateChanged{Base: session.Base{At: t0.Add(time.Duration(i) * time.Second)},
			Agent: "ana", State: session.AgentReady})
	}
	j.Line(map[string]any{"type": "acd.decision", "at": t0, "call_id": "c1", "offered": []string{"ana"}})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := Files(dir, "centre")
	if len(files) < 3 {
		t.Errorf("%d files after 100 lines at 2,000 bytes each: no rotation", len(files))
	}
	l := readAll(t, dir, "centre")
	if len(l.Entries) != 101 || j.Dropped() != 0 || len(l.Bad) != 0 {
		t.Fatalf("%d entries, %d dropped, bad %v", len(l.Entries), j.Dropped(), l.Bad)
	}
	if e := l.Entries[99]; e.To != "ana" || !e.At.Equal(t0.Add(99*time.Second)) || e.Event.(session.AgentStateChanged).State != session.AgentReady {
		t.Errorf("entry 99: %+v", e)
	}
	if last := l.Entries[100]; last.Known() || l.Unknown["acd.decision"] != 1 || !strings.Contains(string(last.Raw), `"c1"`) {
		t.Errorf("the decision line: %+v unknown %v", last, l.Unknown)
	}
	ids, _ := l.Users()
	if len(ids) != 1 || ids[0] != "ana" || len(l.For("bob")) != 1 {
		t.Errorf("users %v, bob sees %d", ids, len(l.For("bob")))
	}
}

// syncBuf is a log sink the writer goroutine and the test share.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// A full disk (the journal's file is /dev/full) is reported once; the
// caller never blocks and lines are counted as dropped.
func TestFullDiskReportedOnceNeverBlocks(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "session-"+t0.Format("20060102T150405.000")+".jsonl")
	if err := os.Symlink("/dev/full", name); err != nil {
		t.Fatal(err)
	}
	var logs syncBuf
	j, err := Open(Options{Dir: dir, Prefix: "session", Queue: 16, MaxBytes: 1 << 30,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 200_000 { // 20 MB: more than the buffer holds, so writes reach the disk
			j.Event("", session.ConnectionDegraded{Base: session.Base{At: t0}, Detail: strings.Repeat("x", 64)})
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Event blocked on a full disk")
	}
	j.Close()
	if got := strings.Count(logs.String(), "writing stopped"); got != 1 {
		t.Errorf("the full disk was reported %d times, want once:\n%s", got, logs.String())
	}
	if j.Dropped() == 0 {
		t.Error("nothing counted as dropped on a full disk")
	}
}

func TestExpiry(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "session-20200101T000000.000.jsonl")
	keep := filepath.Join(dir, "other-20200101T000000.000.jsonl")
	for _, f := range []string{old, keep} {
		os.WriteFile(f, []byte("{}\n"), 0o600)
		os.Chtimes(f, t0.AddDate(0, 0, -30), t0.AddDate(0, 0, -30))
	}
	j, err := Open(Options{Dir: dir, Prefix: "session", KeepDays: 7, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Error("a 30-day-old journal was kept with KeepDays 7")
	}
	if _, err := os.Stat(keep); err != nil {
		t.Error("another prefix's file was removed")
	}
}

func TestReadTellsBadAndUnknownLines(t *testing.T) {
	in := `{"type":"agent.state","at":"2026-12-03T09:00:00Z","agent":"ana","state":"ready"}
not json
{"at":"2026-12-03T09:00:01Z"}
{"type":"call.teleported","at":"2026-12-03T09:00:02Z"}
{"type":"agent.state","at":"nonsense"}
`
	l, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Entries) != 2 || len(l.Bad) != 3 || l.Unknown["call.teleported"] != 1 {
		t.Errorf("entries %d bad %v unknown %v", len(l.Entries), l.Bad, l.Unknown)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"type":"agent.state","at":"2026-12-03T09:00:00Z","agent":"ana","state":"ready","to":"ana"}`))
	f.Add([]byte(`{"type":"call.ringing","at":"2026-12-03T09:00:00Z","call_id":"c1","direction":"inbound"}` + "\n{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := Read(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, e := range l.Entries {
			if e.Type == "" || (e.Event == nil && e.Raw == nil) {
				t.Fatalf("entry without type or content: %+v", e)
			}
		}
		l.Users()
	})
}

// A centre's line names its user first; an event's own "to" (call.dialing,
// call.ringing) later in the line is the event's, not the user's.
func TestReadTellsTheUserFromTheEventsTo(t *testing.T) {
	in := `{"to":"sim:3","type":"call.dialing","at":"2026-12-03T08:00:13Z","call_id":"c3","to":"sales"}
{"type":"call.dialing","at":"2026-12-03T08:00:14Z","call_id":"c4","to":"+34600"}
`
	l, err := Read(strings.NewReader(in))
	if err != nil || len(l.Entries) != 2 {
		t.Fatalf("%v %+v", err, l)
	}
	if l.Entries[0].To != "sim:3" || l.Entries[0].Event.(session.CallDialing).To != "sales" {
		t.Errorf("centre line: user %q, event %+v", l.Entries[0].To, l.Entries[0].Event)
	}
	if l.Entries[1].To != "" {
		t.Errorf("session line: user %q, want none", l.Entries[1].To)
	}
}
