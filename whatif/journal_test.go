package whatif

import (
	"bytes"
	"testing"
	"time"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/replay/replaytest"
)

// A centre's journal, written through the real ACD engine, gives back its
// callers as records, and a recorded day to simulate.
func TestRecordsFromJournal(t *testing.T) {
	l, err := journal.Read(bytes.NewReader(replaytest.Day(6000, 20, 4)))
	if err != nil {
		t.Fatal(err)
	}
	recs := RecordsFromJournal(l)
	if len(recs) < 30 {
		t.Fatalf("%d records", len(recs))
	}
	answered := 0
	for i, r := range recs {
		if r.Group != "sales" || r.Queued.IsZero() || (i > 0 && r.Queued.Before(recs[i-1].Queued)) {
			t.Fatalf("record %d: %+v", i, r)
		}
		if r.Disposition == "answered" {
			answered++
			// replaytest's agents talk 30..150 s.
			if r.TalkS < 30 || r.TalkS > 150 || r.WaitS < 0 {
				t.Errorf("record %d: talk %.1f s wait %.1f s", i, r.TalkS, r.WaitS)
			}
		}
	}
	if answered == 0 {
		t.Fatal("no answered call")
	}
	day, err := FromRecords(recs, time.Minute, 1)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(Config{Arrivals: day.Arrivals, Agents: map[string]int{"sales": 4}, Hours: day.Hours})
	if err != nil || r.Total.Offered != len(day.Arrivals) {
		t.Fatalf("run: %v, offered %d of %d", err, r.Total.Offered, len(day.Arrivals))
	}
}

func FuzzRecordsFromJournal(f *testing.F) {
	f.Add(replaytest.Day(80, 2, 1))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := journal.Read(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, r := range RecordsFromJournal(l) {
			if r.Disposition != "answered" && r.Disposition != "abandoned" {
				t.Fatalf("record %+v", r)
			}
		}
	})
}
