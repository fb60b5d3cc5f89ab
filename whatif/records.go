package whatif

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"time"
)

// Record is the part of a centre's call record (one segment of
// `agentty calls --json`) that a recorded day is rebuilt from.
type Record struct {
	CallID      string    `json:"call_id"`
	Segment     int       `json:"segment"`
	Group       string    `json:"group"`
	Queued      time.Time `json:"queued"`
	WaitS       float64   `json:"wait_s"`
	TalkS       float64   `json:"talk_s"`
	Disposition string    `json:"disposition"`
}

// ReadRecords reads JSON lines as `agentty calls --json` writes them. A line
// that is not a record is an error naming its line number.
func ReadRecords(r io.Reader) ([]Record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var out []Record
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			return nil, fmt.Errorf("whatif: records line %d: %w", n, err)
		}
		if rec.CallID == "" || rec.Queued.IsZero() {
			return nil, fmt.Errorf("whatif: records line %d: not a call record (no call_id or queued time)", n)
		}
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("whatif: records: %w", err)
	}
	return out, nil
}

// Day is a recorded day turned into arrivals, with what was measured of it.
type Day struct {
	Arrivals []Arrival
	Hours    int
	Groups   []string
	// AHT is the mean handle time of the answered calls; Patience the
	// mean patience estimated from the abandoned ones (abandons over all
	// time spent waiting, the exponential estimate with censoring), or 0
	// when nobody gave up.
	AHT, Patience time.Duration
}

// maxHours bounds the span of a recorded day (a year).
const maxHours = 366 * 24

// ErrNoCalls is returned by FromRecords for records without a queued call.
var ErrNoCalls = errors.New("whatif: the records hold no queued call")

// FromRecords rebuilds the arrivals of a recorded day: each call arrives
// when it was first queued, to the group it was queued for; an answered
// call keeps its talk time (all segments); a caller who gave up keeps the
// wait after which it did so as its patience. Calls that never queued
// (outbound dials, direct calls) are left out. fallback is the handle time
// for a call never answered. When some callers gave up, an answered
// caller's patience is drawn as its own wait plus an exponential of the
// estimated mean (it was at least that patient; patience is memoryless),
// from seed, so a run with fewer agents loses callers as that day would.
func FromRecords(recs []Record, fallback time.Duration, seed uint64) (Day, error) {
	type acc struct {
		first                Record
		talk                 time.Duration
		answered, abandoned  bool
		abandonWait, waitSum time.Duration
	}
	calls := map[string]*acc{}
	var order []string
	for _, r := range recs {
		if r.Group == "" {
			continue
		}
		c := calls[r.CallID]
		if c == nil {
			c = &acc{first: r}
			calls[r.CallID] = c
			order = append(order, r.CallID)
		}
		if r.Queued.Before(c.first.Queued) {
			c.first = r
		}
		talk := max(time.Duration(r.TalkS*float64(time.Second)), 0)
		switch r.Disposition {
		case "answered", "transferred", "intercepted":
			c.answered = true
			c.talk += talk
		case "abandoned":
			c.abandoned = true
			c.abandonWait = time.Duration(r.WaitS * float64(time.Second))
		}
	}
	if len(order) == 0 {
		return Day{}, ErrNoCalls
	}
	sort.SliceStable(order, func(i, j int) bool { return calls[order[i]].first.Queued.Before(calls[order[j]].first.Queued) })
	t0 := calls[order[0]].first.Queued
	var d Day
	groups := map[string]bool{}
	var talkSum, waitAll time.Duration
	var answered, abandoned int
	var waited []time.Duration // of each arrival, answered ones only
	for _, id := range order {
		c := calls[id]
		a := Arrival{At: c.first.Queued.Sub(t0), Group: c.first.Group, Handle: c.talk}
		wait := time.Duration(c.first.WaitS * float64(time.Second))
		waitAll += wait
		switch {
		case c.answered:
			answered++
			talkSum += c.talk
			waited = append(waited, wait)
		case c.abandoned:
			abandoned++
			a.Patience = max(c.abandonWait, time.Millisecond)
			a.Handle = fallback
			waited = append(waited, -1)
		default:
			continue // rejected, failed: not a queued call's outcome
		}
		groups[a.Group] = true
		d.Arrivals = append(d.Arrivals, a)
	}
	if len(d.Arrivals) == 0 {
		return Day{}, ErrNoCalls
	}
	for g := range groups {
		d.Groups = append(d.Groups, g)
	}
	sort.Strings(d.Groups)
	d.Hours = int(d.Arrivals[len(d.Arrivals)-1].At/time.Hour) + 1
	if d.Hours > maxHours {
		return Day{}, fmt.Errorf("whatif: the records span %d hours; a recorded day is at most %d", d.Hours, maxHours)
	}
	if answered > 0 {
		d.AHT = talkSum / time.Duration(answered)
		for i := range d.Arrivals {
			if d.Arrivals[i].Handle == 0 {
				d.Arrivals[i].Handle = d.AHT
			}
		}
	}
	if abandoned > 0 && waitAll > 0 {
		d.Patience = waitAll / time.Duration(abandoned)
		rng := rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))
		for i, w := range waited {
			if w >= 0 {
				d.Arrivals[i].Patience = w + Exponential.Draw(rng, d.Patience)
			}
		}
	}
	return d, nil
}
