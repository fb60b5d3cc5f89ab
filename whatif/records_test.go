package whatif

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

const sampleRecords = `{"call_id":"c1","segment":1,"group":"sales","queued":"2026-12-03T09:00:00Z","disposition":"answered","wait_s":4,"talk_s":100}
{"call_id":"c2","segment":1,"group":"sales","queued":"2026-12-03T09:01:00Z","disposition":"abandoned","wait_s":30}
{"call_id":"c1","segment":2,"group":"sales","queued":"2026-12-03T09:00:00Z","disposition":"answered","talk_s":20}
{"call_id":"c3","segment":1,"group":"","queued":"2026-12-03T09:02:00Z","disposition":"answered","talk_s":20}
{"call_id":"c4","segment":1,"group":"support","queued":"2026-12-03T10:30:00Z","disposition":"answered","wait_s":1,"talk_s":60}
`

func TestFromRecords(t *testing.T) {
	recs, err := ReadRecords(strings.NewReader(sampleRecords))
	if err != nil {
		t.Fatal(err)
	}
	d, err := FromRecords(recs, time.Minute, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Arrivals) != 3 || d.Hours != 2 || strings.Join(d.Groups, ",") != "sales,support" {
		t.Fatalf("day %+v", d)
	}
	c1, c2, c4 := d.Arrivals[0], d.Arrivals[1], d.Arrivals[2]
	if c1.Handle != 120*time.Second || c1.At != 0 {
		t.Errorf("transferred call: %+v (its two segments' talk, 120 s)", c1)
	}
	if c2.Patience != 30*time.Second || c2.At != time.Minute || c2.Handle != time.Minute {
		t.Errorf("abandoned call: %+v", c2)
	}
	if c1.Patience < 4*time.Second || c4.At != 90*time.Minute {
		t.Errorf("answered caller at least as patient as its wait: %+v %+v", c1, c4)
	}
	// One give-up over 35 s of waiting in all: a mean patience of 35 s.
	if d.Patience != 35*time.Second || d.AHT != 90*time.Second {
		t.Errorf("patience %v aht %v", d.Patience, d.AHT)
	}
	if _, err := FromRecords(nil, time.Minute, 1); err != ErrNoCalls {
		t.Errorf("no records: %v", err)
	}
}

// FuzzRecords: any bytes either fail to read with an error or give a day
// the simulator accepts.
func FuzzRecords(f *testing.F) {
	f.Add([]byte(sampleRecords))
	f.Add([]byte("{}\n"))
	f.Add([]byte(`{"call_id":"x","queued":"2026-12-03T09:00:00Z","group":"g","disposition":"abandoned","wait_s":-5}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, err := ReadRecords(bytes.NewReader(b))
		if err != nil {
			return
		}
		d, err := FromRecords(recs, time.Minute, 1)
		if err != nil {
			return
		}
		if len(d.Arrivals) > 50 || d.Hours > 48 {
			return // keep each run cheap
		}
		agents := map[string]int{}
		for _, g := range d.Groups {
			agents[g] = 1
		}
		if _, err := Run(Config{Arrivals: d.Arrivals, Agents: agents, Hours: d.Hours}); err != nil {
			t.Fatalf("a day read from records does not run: %v", err)
		}
	})
}
