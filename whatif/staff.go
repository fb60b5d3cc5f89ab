package whatif

import (
	"container/heap"
	"maps"
	"slices"
	"time"

	"github.com/agentty/agentty/session"
)

// Shift says that from the start of hour Hour (0 is the first) Group has
// Agents agents checked in.
type Shift struct {
	Hour   int    `json:"hour"`
	Group  string `json:"group"`
	Agents int    `json:"agents"`
}

// plan is the agents per group for each hour where the schedule changes
// them; hour 0 always has an entry (Agents, then the hour-0 shifts).
func (r *runner) plan(groups []string) map[int]map[string]int {
	plan := map[int]map[string]int{0: {}}
	for _, g := range groups {
		plan[0][g] = r.cfg.Agents[g]
	}
	for _, sh := range r.cfg.Schedule {
		if plan[sh.Hour] == nil {
			plan[sh.Hour] = map[string]int{}
		}
		plan[sh.Hour][sh.Group] = sh.Agents
	}
	// Fill the staffed count of every hour from the last change before it.
	cur := maps.Clone(plan[0])
	for h := range r.staffed {
		for g, n := range plan[h] {
			cur[g] = n
		}
		for _, n := range cur {
			r.staffed[h] += float64(n)
		}
	}
	return plan
}

// staff brings each group of want to its number of checked-in agents:
// agents check in (ready at once), or the idle ones check out and the busy
// ones after their call.
func (r *runner) staff(now time.Time, want map[string]int) {
	for _, g := range slices.Sorted(maps.Keys(want)) {
		n := want[g]
		have := 0
		for _, id := range r.pool[g] {
			if r.active[id] && !r.leaving[id] {
				have++
			}
		}
		for _, id := range r.pool[g] {
			switch {
			case have < n && r.active[id] && r.leaving[id]:
				r.leaving[id] = false
				have++
			case have < n && !r.active[id]:
				r.active[id] = true
				for _, c := range []session.Command{{Verb: session.VerbCheckIn, Groups: []string{g}}, {Verb: session.VerbReady}} {
					if out, err := r.e.Do(now, id, c); err == nil {
						r.take(now, out)
					}
				}
				have++
			}
		}
		for i := len(r.pool[g]) - 1; i >= 0 && have > n; i-- {
			id := r.pool[g][i]
			if !r.active[id] || r.leaving[id] {
				continue
			}
			r.leaving[id] = true
			have--
			if r.busy[id] <= 0 {
				r.leave(now, id)
			}
		}
	}
}

// leave checks a leaving agent out, or tries again after its wrap-up.
func (r *runner) leave(now time.Time, id string) {
	out, err := r.e.Do(now, id, session.Command{Verb: session.VerbCheckOut})
	if err != nil {
		if end := start.Add(time.Duration(r.cfg.Hours) * time.Hour); now.Before(end) {
			heap.Push(&r.q, simEvent{at: now.Add(max(r.cfg.WrapUp, time.Millisecond)), kind: kLeave, who: id})
		}
		return
	}
	r.active[id], r.leaving[id] = false, false
	r.take(now, out)
}
