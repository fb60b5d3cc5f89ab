package whatif

import (
	"container/heap"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

// Arrival is one caller of a simulated day.
type Arrival struct {
	At       time.Duration // after the start of the run
	Group    string
	Handle   time.Duration // talk time once answered (after-call work included)
	Patience time.Duration // the caller gives up after waiting this long; 0 never
}

// Config is one simulated run. The ACD is the centre's own engine
// (vendors/local/acd), driven in virtual time: no sockets, no sleeping.
type Config struct {
	Arrivals []Arrival
	// Agents is the number of agents checked in to each group, all day
	// unless Schedule changes it.
	Agents map[string]int
	// Schedule changes a group's agents at the start of an hour: agents
	// check in, or check out (after their call, when on one).
	Schedule    []Shift
	Strategy    acd.Strategy
	RingTimeout time.Duration // default 20 s; simulated agents answer at once
	WrapUp      time.Duration // after-call work; 0 means none (Handle includes it)
	SL          time.Duration // the service-level threshold; default 20 s
	Hours       int           // the length of the run, for occupancy and the hourly rows
}

// Stats are the figures of an hour or of a whole run.
type Stats struct {
	Hour         int     `json:"hour,omitempty"` // 1-based; 0 for the whole run
	Offered      int     `json:"offered"`
	Answered     int     `json:"answered"`
	Abandoned    int     `json:"abandoned"`
	ServiceLevel float64 `json:"service_level"`             // answered within SL over answered+abandoned
	ASA          float64 `json:"average_speed_of_answer_s"` // mean wait of answered calls
	AbandonRate  float64 `json:"abandon_rate"`
	Occupancy    float64 `json:"occupancy"` // talk and after-call time over agent time
	LongestWait  float64 `json:"longest_wait_s"`

	within  int
	waitSum time.Duration
	busy    time.Duration
}

// Result is a run's figures.
type Result struct {
	Total Stats   `json:"total"`
	Hours []Stats `json:"hours"`
	// Events is how many engine outputs the run went through.
	Events int64 `json:"engine_outputs"`
}

// start is the virtual clock's origin; any fixed instant does.
var start = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

type simKind uint8

const (
	kArrive simKind = iota
	kHangup
	kAbandon
	kStaff // the schedule's hour i starts
	kLeave // agent who tries to check out again
)

type simEvent struct {
	at   time.Time
	kind simKind
	i    int    // arrival index
	who  string // agent (hangup) or caller party (abandon)
	call string // the call id the agent knows
}

// ringKey is an agent and the id it knows a call by.
type ringKey struct{ agent, call string }

type simHeap []simEvent

func (h simHeap) Len() int           { return len(h) }
func (h simHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h simHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *simHeap) Push(x any)        { *h = append(*h, x.(simEvent)) }
func (h *simHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type runner struct {
	cfg     Config
	e       *acd.Engine
	q       simHeap
	callers []string        // arrival index -> caller party, while it waits
	ringing map[ringKey]int // the arrival each agent's ringing call is
	pool    map[string][]string
	active  map[string]bool // checked in
	busy    map[string]int  // calls the agent has
	leaving map[string]bool // to check out when free
	staffed []float64       // agents checked in, per hour (occupancy)
	res     Result
	hours   []Stats
	events  int64
	plans   map[int]map[string]int // hour -> group -> agents, where it changes
}

// Run simulates cfg and returns its figures.
func Run(cfg Config) (Result, error) {
	if cfg.SL <= 0 {
		cfg.SL = acd.ServiceTarget
	}
	if cfg.RingTimeout <= 0 {
		cfg.RingTimeout = 20 * time.Second
	}
	if cfg.Hours <= 0 {
		var last time.Duration
		for _, a := range cfg.Arrivals {
			last = max(last, a.At)
		}
		cfg.Hours = int(last/time.Hour) + 1
	}
	if len(cfg.Agents) == 0 {
		return Result{}, errors.New("whatif: no agents")
	}
	wrap := cfg.WrapUp
	if wrap <= 0 {
		wrap = time.Nanosecond // the engine's zero means its default
	}
	r := &runner{cfg: cfg, callers: make([]string, len(cfg.Arrivals)), ringing: map[ringKey]int{}, hours: make([]Stats, cfg.Hours),
		pool: map[string][]string{}, active: map[string]bool{}, busy: map[string]int{}, leaving: map[string]bool{},
		staffed: make([]float64, cfg.Hours)}
	size := maps.Clone(cfg.Agents)
	for _, sh := range cfg.Schedule {
		if sh.Hour < 0 || sh.Agents < 0 {
			return Result{}, fmt.Errorf("whatif: schedule: hour %d, %d agents", sh.Hour, sh.Agents)
		}
		size[sh.Group] = max(size[sh.Group], sh.Agents)
	}
	r.e = acd.New(acd.Config{Offline: true, Defaults: acd.GroupConfig{
		Strategy: cfg.Strategy, RingTimeout: cfg.RingTimeout, WrapUp: wrap}})
	groups := slices.Sorted(maps.Keys(size))
	for _, g := range groups {
		if err := r.e.SetGroup(acd.GroupConfig{ID: g}); err != nil {
			return Result{}, err
		}
		for k := range size[g] {
			id := g + "/" + strconv.Itoa(k+1)
			r.e.AddUser(acd.User{ID: id, Role: session.RoleAgent, Groups: []string{g}})
			out, _, err := r.e.Connect(start, id)
			if err != nil {
				return Result{}, fmt.Errorf("whatif: agent %s: %w", id, err)
			}
			r.take(start, out)
			r.pool[g] = append(r.pool[g], id)
		}
	}
	plan := r.plan(groups)
	for h := range plan {
		if h == 0 {
			r.staff(start, plan[0])
		} else if h < cfg.Hours {
			heap.Push(&r.q, simEvent{at: start.Add(time.Duration(h) * time.Hour), kind: kStaff, i: h})
		}
	}
	r.plans = plan
	for i, a := range cfg.Arrivals {
		if _, ok := size[a.Group]; !ok {
			return Result{}, fmt.Errorf("whatif: call %d is for group %q, which has no agents", i+1, a.Group)
		}
	}
	// Arrivals are pushed lazily, one ahead, so the heap stays small.
	if len(cfg.Arrivals) > 0 {
		heap.Push(&r.q, simEvent{at: start.Add(cfg.Arrivals[0].At), kind: kArrive})
	}
	if err := r.loop(); err != nil {
		return Result{}, err
	}
	return r.finish(), nil
}

func (r *runner) loop() error {
	for {
		next := r.e.Next()
		if len(r.q) == 0 && next.IsZero() {
			return nil
		}
		if !next.IsZero() && (len(r.q) == 0 || !r.q[0].at.Before(next)) {
			r.take(next, r.e.Fire(next))
			continue
		}
		ev := heap.Pop(&r.q).(simEvent)
		if err := r.handle(ev); err != nil {
			return err
		}
	}
}

func (r *runner) handle(ev simEvent) error {
	now := ev.at
	switch ev.kind {
	case kArrive:
		a := r.cfg.Arrivals[ev.i]
		if ev.i+1 < len(r.cfg.Arrivals) {
			heap.Push(&r.q, simEvent{at: start.Add(r.cfg.Arrivals[ev.i+1].At), kind: kArrive, i: ev.i + 1})
		}
		id, out, err := r.e.SimCall(now, "#"+strconv.Itoa(ev.i), a.Group)
		if err != nil {
			return fmt.Errorf("whatif: call %d: %w", ev.i+1, err)
		}
		r.callers[ev.i] = id
		if a.Patience > 0 {
			heap.Push(&r.q, simEvent{at: now.Add(a.Patience), kind: kAbandon, i: ev.i, who: id})
		}
		r.take(now, out)
	case kHangup:
		out, err := r.e.Do(now, ev.who, session.Command{Verb: session.VerbHangup, CallID: ev.call})
		if err != nil {
			return fmt.Errorf("whatif: agent %s hangs up: %w", ev.who, err)
		}
		r.busy[ev.who]--
		r.take(now, out)
		if r.leaving[ev.who] && r.busy[ev.who] <= 0 {
			r.leave(now, ev.who)
		}
	case kStaff:
		r.staff(now, r.plans[ev.i])
	case kLeave:
		if r.leaving[ev.who] && r.busy[ev.who] <= 0 {
			r.leave(now, ev.who)
		}
	case kAbandon:
		// A caller answered meanwhile has no queue to leave: the engine
		// refuses or ends a talking call, so only a waiting one leaves.
		if r.callers[ev.i] == "" {
			return nil
		}
		out, err := r.e.Do(now, ev.who, session.Command{Verb: session.VerbLeave})
		if err == nil {
			r.take(now, out)
		}
	}
	return nil
}

// take reacts to the engine's outputs as the simulated people would:
// agents answer what rings and hang up after the handle time; records are
// counted.
func (r *runner) take(now time.Time, out []acd.Output) {
	for i := 0; i < len(out); i++ {
		o := out[i]
		r.events++
		switch {
		case o.Record != nil:
			r.record(o.Record)
		case o.Event == nil:
		default:
			switch ev := o.Event.(type) {
			case session.CallRinging:
				r.busy[o.To]++
				if i, ok := arrivalOf(ev.From, len(r.cfg.Arrivals)); ok {
					r.ringing[ringKey{o.To, ev.CallID}] = i
				}
				more, err := r.e.Do(now, o.To, session.Command{Verb: session.VerbAnswer, CallID: ev.CallID})
				if err == nil {
					out = append(out, more...)
				} else {
					r.busy[o.To]--
				}
			case session.CallAnswered:
				key := ringKey{o.To, ev.CallID}
				if i, ok := r.ringing[key]; ok {
					delete(r.ringing, key)
					r.callers[i] = "" // answered: patience no longer matters
					heap.Push(&r.q, simEvent{at: now.Add(r.cfg.Arrivals[i].Handle), kind: kHangup, who: o.To, call: ev.CallID})
				}
			}
		}
	}
}

// arrivalOf reads the arrival index from the caller name SimCall was
// given ("#index").
func arrivalOf(from string, n int) (int, bool) {
	if len(from) < 2 || from[0] != '#' {
		return 0, false
	}
	i, err := strconv.Atoi(from[1:])
	return i, err == nil && i >= 0 && i < n
}

func (r *runner) record(rec *acd.Record) {
	if rec.Disposition == "answered" {
		r.spreadBusy(rec.Answered, rec.Answered.Add(rec.Talk))
	}
	h := int(rec.Queued.Sub(start) / time.Hour)
	if h < 0 || h >= len(r.hours) {
		return
	}
	for _, s := range []*Stats{&r.hours[h], &r.res.Total} {
		switch rec.Disposition {
		case "answered":
			s.Offered++
			s.Answered++
			s.waitSum += rec.Wait
			if rec.Wait <= r.cfg.SL {
				s.within++
			}
		case "abandoned":
			s.Offered++
			s.Abandoned++
		default:
			continue
		}
		s.LongestWait = max(s.LongestWait, rec.Wait.Seconds())
	}
}

func (r *runner) finish() Result {
	var agentHours float64
	for h := range r.hours {
		r.hours[h].Hour = h + 1
		r.hours[h].settle(r.staffed[h])
		agentHours += r.staffed[h]
	}
	r.res.Total.settle(agentHours)
	r.res.Hours = r.hours
	r.res.Events = r.events
	return r.res
}

// settle turns s's counts into its figures; agentHours is the staff time
// the span had, for occupancy.
func (s *Stats) settle(agentHours float64) {
	if n := s.Answered + s.Abandoned; n > 0 {
		s.ServiceLevel = float64(s.within) / float64(n)
		s.AbandonRate = float64(s.Abandoned) / float64(n)
	}
	if s.Answered > 0 {
		s.ASA = (s.waitSum / time.Duration(s.Answered)).Seconds()
	}
	if agentHours > 0 {
		s.Occupancy = s.busy.Seconds() / (agentHours * 3600)
	}
}

// spreadBusy counts an agent's talk from a to b in the hours it fell in,
// so an hour's occupancy is the work done in it.
func (r *runner) spreadBusy(a, b time.Time) {
	r.res.Total.busy += b.Sub(a)
	for a.Before(b) {
		h := int(a.Sub(start) / time.Hour)
		end := start.Add(time.Duration(h+1) * time.Hour)
		if end.After(b) {
			end = b
		}
		if h >= 0 && h < len(r.hours) {
			r.hours[h].busy += end.Sub(a)
		}
		a = end
	}
}
