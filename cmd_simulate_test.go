package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/replay/replaytest"
	"github.com/agentty/agentty/vendors/local/store"
)

// recordDay writes a busy recorded day into a real centre store: 3 agents
// of "sales" took 270 calls in 3 hours (AHT about 2 min), some gave up.
func recordDay(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	at := t0
	for i := range 270 {
		at = at.Add(time.Duration(rng.ExpFloat64() * float64(40*time.Second)))
		r := store.CallRecord{CallID: fmt.Sprintf("c%d", i+1), Segment: 1, From: "kiosk", Group: "sales",
			Queued: at, Wait: time.Duration(rng.ExpFloat64() * float64(30*time.Second)), EndedBy: "customer"}
		if i%9 == 0 {
			r.Disposition = "abandoned"
		} else {
			r.Disposition, r.Agent = "answered", "ana"
			r.Talk = time.Duration(rng.ExpFloat64() * float64(2*time.Minute))
			r.Answered = at.Add(r.Wait)
		}
		r.Ended = r.Queued.Add(r.Wait + r.Talk)
		if err := s.AddCall(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A supervisor replays a recorded day with one agent more and sees the
// service level it would have had, beside Erlang C and A.
func TestSimulateRecordedDayWithOneAgentMore(t *testing.T) {
	isolate(t)
	dir := recordDay(t)
	out, err := run(t, "", "simulate", "--arrivals", dir, "--agents", "sales=3", "--compare", "agents=sales=4", "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got struct {
		Runs []struct {
			Settings struct {
				Agents map[string]int `json:"agents"`
				Calls  int            `json:"calls"`
			} `json:"settings"`
			Total struct {
				Offered      int     `json:"offered"`
				ServiceLevel float64 `json:"service_level"`
				ASA          float64 `json:"average_speed_of_answer_s"`
				AbandonRate  float64 `json:"abandon_rate"`
				Occupancy    float64 `json:"occupancy"`
			} `json:"total"`
			Hours   []json.RawMessage `json:"hours"`
			ErlangC *struct {
				ServiceLevel float64 `json:"service_level"`
			} `json:"erlang_c"`
			ErlangA *struct {
				ServiceLevel float64 `json:"service_level"`
				AbandonRate  float64 `json:"abandon_rate"`
			} `json:"erlang_a"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Runs) != 2 {
		t.Fatalf("%d runs, want 2:\n%s", len(got.Runs), out)
	}
	base, more := got.Runs[0], got.Runs[1]
	if base.Settings.Calls != 270 || base.Total.Offered != 270 || more.Total.Offered != 270 {
		t.Errorf("calls: settings %d, offered %d / %d, want 270", base.Settings.Calls, base.Total.Offered, more.Total.Offered)
	}
	if more.Settings.Agents["sales"] != 4 || len(base.Hours) < 3 {
		t.Errorf("settings %+v, %d hours", more.Settings, len(base.Hours))
	}
	if more.Total.ServiceLevel <= base.Total.ServiceLevel || more.Total.AbandonRate > base.Total.AbandonRate {
		t.Errorf("one agent more: SL %.3f -> %.3f, abandons %.3f -> %.3f", base.Total.ServiceLevel,
			more.Total.ServiceLevel, base.Total.AbandonRate, more.Total.AbandonRate)
	}
	if base.ErlangC == nil || base.ErlangA == nil || more.ErlangA.ServiceLevel <= base.ErlangA.ServiceLevel {
		t.Errorf("theory beside the runs: %+v / %+v", base.ErlangA, more.ErlangA)
	}

	// The same day from `agentty calls --json` lines.
	calls, err := run(t, "", "calls", "--data", dir, "--json")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "day.jsonl")
	if err := os.WriteFile(file, []byte(calls), 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := run(t, "", "simulate", "--arrivals", file, "--agents", "sales=4")
	if err != nil || !strings.Contains(text, "270 calls over") || !strings.Contains(text, "Erlang A") {
		t.Fatalf("%v\n%s", err, text)
	}
}

func TestSimulateBadInput(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"simulate"},
		{"simulate", "--rate", "100", "--agents", "x=y"},
		{"simulate", "--rate", "100", "--strategy", "random"},
		{"simulate", "--rate", "100", "--aht-dist", "pareto"},
		{"simulate", "--rate", "100", "--compare", "colour=blue"},
	} {
		if _, err := run(t, "", args...); err == nil || exitCode(err) != 2 {
			t.Errorf("%v: err %v, want a usage error", args, err)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte("{\"call_id\":\"c1\",\"queued\":\"2026-01-01T00:00:00Z\"}\nnot json\n"), 0o600)
	if _, err := run(t, "", "simulate", "--arrivals", bad); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a broken records file: %v", err)
	}
}

// A centre's journal is a recorded day too: its callers' queue.joined,
// call.answered, call.ended and queue.left become the arrivals.
func TestSimulateFromCentreJournal(t *testing.T) {
	isolate(t)
	file := filepath.Join(t.TempDir(), "centre-20261203T080000.000.jsonl")
	if err := os.WriteFile(file, replaytest.Day(3000, 3, 5), 0o600); err != nil {
		t.Fatal(err)
	}
	recs, err := readDayRecords(file)
	if err != nil || len(recs) < 10 {
		t.Fatalf("%d records from the journal: %v", len(recs), err)
	}
	for _, r := range recs {
		if r.Group != "sales" || r.Disposition != "answered" || r.TalkS < 30 || r.TalkS > 150 {
			t.Fatalf("record %+v: the journal's day has callers of sales answered after 30..150 s of talk", r)
		}
	}
	out, err := run(t, "", "simulate", "--arrivals", file, "--agents", "sales=3", "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got struct {
		Total struct {
			Offered int `json:"offered"`
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Total.Offered != len(recs) {
		t.Errorf("offered %d of %d recorded calls (%v)", got.Total.Offered, len(recs), err)
	}
}

func TestSimulateSchedule(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "shifts")
	os.WriteFile(good, []byte("# hour group agents\n1 general 9\n2 general 16 # the rush\n"), 0o600)
	out, err := run(t, "", "simulate", "--rate", "200", "--aht", "3m", "--hours", "2", "--schedule", good, "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got struct {
		Settings struct {
			Schedule []struct{ Hour, Agents int } `json:"schedule"`
		} `json:"settings"`
		Hours []struct {
			ServiceLevel float64 `json:"service_level"`
		} `json:"hours"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Settings.Schedule) != 2 || len(got.Hours) != 2 {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Hours[1].ServiceLevel <= got.Hours[0].ServiceLevel {
		t.Errorf("16 agents in hour 2 did no better than 9 in hour 1: %+v", got.Hours)
	}
	bad := filepath.Join(dir, "bad")
	os.WriteFile(bad, []byte("1 general nine\n"), 0o600)
	if _, err := run(t, "", "simulate", "--rate", "100", "--schedule", bad); exitCode(err) != 2 || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("a bad schedule line: %v", err)
	}
}
