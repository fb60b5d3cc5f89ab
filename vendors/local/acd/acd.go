// Package acd is the routing engine of the embedded contact centre: agents,
// groups, queues and calls, and the events each party sees. It is pure in
// the sense that matters for tests and benchmarks: no goroutines, no I/O, no
// clock. Every method takes the current time; timers are deadlines that the
// owner fires by calling Fire when Next says one is due. An Engine is not
// safe for concurrent use: one goroutine (the server's engine loop) owns it.
//
// Every method returns Outputs in the order they must take effect: events
// for parties, call records to store (before the events that follow them go
// out), and media operations for the media layer.
package acd

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/agentty/agentty/session"
)

// Strategy picks which ready agent a call is offered to.
type Strategy string

// Routing strategies.
const (
	LongestIdle Strategy = "longest-idle" // the agent ready the longest (default)
	RingAll     Strategy = "ring-all"     // every ready agent at once; first answer wins
	RoundRobin  Strategy = "round-robin"  // the agent offered a call the longest ago
	FewestCalls Strategy = "fewest-calls" // the agent who handled the fewest calls, then longest idle
)

// Valid reports whether s is a known strategy.
func (s Strategy) Valid() bool {
	return s == LongestIdle || s == RingAll || s == RoundRobin || s == FewestCalls
}

// GroupConfig is one group (segment, queue).
type GroupConfig struct {
	ID          string
	Name        string
	Strategy    Strategy
	RingTimeout time.Duration // then the call is offered to the next agent
	WrapUp      time.Duration // after-call work before the agent is ready again
	RestLimit   time.Duration // a rest past this gets agent.rest_timeout
	// Codes are the disposition codes an agent picks from in wrap-up;
	// CodeRequired refuses done until one is chosen.
	Codes        []string
	CodeRequired bool
	// Record is the group's recording policy (recording.go).
	Record RecordMode
}

// DefaultGroup is the group of users created without any.
const DefaultGroup = "general"

// Config tunes an Engine; zero fields take the defaults.
type Config struct {
	Defaults       GroupConfig   // for groups created on demand
	ExternalAnswer time.Duration // an external number answers after this; default 2 s
	// TrunkOut sends dialled numbers out through a SIP trunk (Output.Trunk)
	// instead of simulating them: the trunk reports the answer or failure
	// (ExtAnswered, ExtFailed, HangupExternal).
	TrunkOut      bool
	Grace         time.Duration // a disconnected party keeps its calls this long; default 30 s
	RosterEvery   time.Duration // supervisors get a fresh roster at most this often; default 1 s
	HandleSamples int           // handle times kept per group for estimates; default 20
	Vendor        string        // connection.established vendor name; default "local"
	// Offline skips what nobody reads in an offline run (package whatif's
	// simulation): the periodic queue boards, which would cost a report to
	// every agent each second of a simulated day, the callers' queue
	// places, the routing decisions, the agents' state history and the
	// media operations.
	Offline bool
	Version string
	// Observe, if set, is told each answered caller's wait (kind "wait",
	// the group the call queued in) and each finished handle time (kind
	// "handle": talk plus wrap-up, the group the call came through). It
	// is called on the engine's goroutine and must return quickly.
	Observe func(kind, group string, d time.Duration)
}

// User is a person the centre knows.
type User struct {
	ID     string
	Name   string
	Role   session.Role
	Groups []string // may check in to (agents) or call (kiosks)
}

// Refusal codes, the same words as the protocol's error codes.
const (
	CodeRefused   = "refused"
	CodeForbidden = "forbidden"
	CodeNotFound  = "not_found"
)

// Refusal is the error of a command the engine will not carry out.
type Refusal struct {
	Code   string // the proto error code: refused, forbidden, not_found
	Reason string // one sentence for the person
}

func (r *Refusal) Error() string { return "acd: " + r.Reason }

// ErrUnknownUser is returned by Connect for a user that was never added.
var ErrUnknownUser = errors.New("acd: unknown user")

// Engine is the contact centre's state. Its zero value is not usable; call New.
type Engine struct {
	cfg     Config
	parties map[string]*party
	groups  map[string]*group
	calls   map[string]*call
	sups    map[*party]bool // online supervisors
	timers  timerHeap
	// compactAt is the heap size at which after next drops stale timers.
	compactAt int
	out       []Output
	nextID    uint64
	endAt     time.Time // while set, records end then (graceOver: when the link dropped)
	simN      uint64
	offerN    uint64

	allGroups []session.Group // cache of transferGroups
	rosterAt  time.Time       // a roster flush is scheduled for then, or zero
	boardAt   time.Time       // a queue.stats report is scheduled for then, or zero
	why       string          // the reason of the next offer, when its caller knows it better
	stats     Stats
}

// Stats are running totals for /metrics.
type Stats struct {
	Outcomes map[string]int64 // finished segments by disposition
	WaitSum  time.Duration    // over answered calls
	Answered int64
}

// New returns an empty engine.
func New(cfg Config) *Engine {
	d := &cfg.Defaults
	if d.Strategy == "" {
		d.Strategy = LongestIdle
	}
	if d.RingTimeout == 0 {
		d.RingTimeout = 20 * time.Second
	}
	if d.WrapUp == 0 {
		d.WrapUp = 30 * time.Second
	}
	if d.RestLimit == 0 {
		d.RestLimit = 15 * time.Minute
	}
	if cfg.ExternalAnswer == 0 {
		cfg.ExternalAnswer = 2 * time.Second
	}
	if cfg.Grace == 0 {
		cfg.Grace = 30 * time.Second
	}
	if cfg.RosterEvery == 0 {
		cfg.RosterEvery = time.Second
	}
	if cfg.HandleSamples == 0 {
		cfg.HandleSamples = 20
	}
	if cfg.Vendor == "" {
		cfg.Vendor = "local"
	}
	return &Engine{
		cfg: cfg, parties: map[string]*party{}, groups: map[string]*group{},
		calls: map[string]*call{}, sups: map[*party]bool{},
		stats: Stats{Outcomes: map[string]int64{}},
	}
}

// SetGroup adds or reconfigures a group.
func (e *Engine) SetGroup(gc GroupConfig) error {
	if gc.ID == "" {
		return errors.New("acd: group without id")
	}
	d := e.cfg.Defaults
	if gc.Strategy == "" {
		gc.Strategy = d.Strategy
	}
	if !gc.Strategy.Valid() {
		return fmt.Errorf("acd: group %s: unknown strategy %q", gc.ID, gc.Strategy)
	}
	if gc.RingTimeout <= 0 {
		gc.RingTimeout = d.RingTimeout
	}
	if gc.WrapUp <= 0 {
		gc.WrapUp = d.WrapUp
	}
	if gc.RestLimit <= 0 {
		gc.RestLimit = d.RestLimit
	}
	if gc.Name == "" {
		gc.Name = gc.ID
	}
	if !gc.Record.Valid() {
		return fmt.Errorf("acd: group %s: record %q: want always, on-demand or never", gc.ID, gc.Record)
	}
	e.allGroups = nil
	if g, ok := e.groups[gc.ID]; ok {
		g.cfg = gc
		return nil
	}
	e.groups[gc.ID] = &group{cfg: gc}
	return nil
}

// Group returns a group's configuration.
func (e *Engine) Group(id string) (GroupConfig, bool) {
	g, ok := e.groups[id]
	if !ok {
		return GroupConfig{}, false
	}
	return g.cfg, true
}

func (e *Engine) group(id string) *group {
	if g, ok := e.groups[id]; ok {
		return g
	}
	_ = e.SetGroup(GroupConfig{ID: id})
	return e.groups[id]
}

// AddUser adds a user or updates their name, role and groups. A user with
// no groups belongs to DefaultGroup.
func (e *Engine) AddUser(u User) {
	if len(u.Groups) == 0 {
		u.Groups = []string{DefaultGroup}
	}
	for _, g := range u.Groups {
		e.group(g)
	}
	if p, ok := e.parties[u.ID]; ok {
		p.name, p.role, p.allowed = u.Name, u.Role, u.Groups
		return
	}
	e.parties[u.ID] = &party{id: u.ID, name: u.Name, role: u.Role, allowed: u.Groups, state: session.AgentOffline}
}

// Stats returns the running totals; the map is a copy.
func (e *Engine) Stats() Stats {
	s := e.stats
	s.Outcomes = make(map[string]int64, len(e.stats.Outcomes))
	for k, v := range e.stats.Outcomes {
		s.Outcomes[k] = v
	}
	return s
}

// Gauges are the engine's current figures for /metrics.
type Gauges struct {
	Queued map[string]int // waiting callers by group
	Agents map[session.AgentState]int
	Live   int // live calls
	Oldest map[string]time.Duration
}

// Gauges reads the current figures at now.
func (e *Engine) Gauges(now time.Time) Gauges {
	g := Gauges{Queued: map[string]int{}, Agents: map[session.AgentState]int{}, Oldest: map[string]time.Duration{}, Live: len(e.calls)}
	for id, gr := range e.groups {
		g.Queued[id] = gr.qlen
		if gr.qhead != nil {
			g.Oldest[id] = now.Sub(gr.qhead.queued)
		}
	}
	for _, p := range e.parties {
		if p.role == session.RoleAgent || p.role == session.RoleSupervisor {
			g.Agents[p.state]++
		}
	}
	return g
}

// emit queues ev for p. A call event carries the id p knows the call by
// (see call.ids).
func (e *Engine) emit(p *party, ev session.Event) {
	if p == nil || p.ext {
		return
	}
	if ce, ok := ev.(session.CallEvent); ok {
		if c := e.calls[ce.Call()]; c != nil {
			if id, ok := c.ids[p]; ok {
				ev = withCallID(ev, id)
			}
		}
	}
	e.out = append(e.out, Output{To: p.id, Event: ev})
	e.boardChanged(ev.Time()) // whatever happened may move a queue figure
}

func (e *Engine) media(op MediaOp) {
	if e.cfg.Offline {
		return // no media layer offline
	}
	e.out = append(e.out, Output{Media: &op})
	if op.Kind == MediaConnected || op.Kind == MediaMonitor {
		e.connected(op) // recording policy and REC marks (recording.go)
	}
}

func (e *Engine) flush() []Output {
	o := e.out
	e.out = nil
	return o
}

func refuse(code, format string, a ...any) error {
	return &Refusal{Code: code, Reason: fmt.Sprintf(format, a...)}
}

func base(now time.Time) session.Base { return session.Base{At: now} }

func cbase(now time.Time, c *call) session.CallBase {
	return session.CallBase{At: now, CallID: c.id}
}

// withCallID returns a copy of the call event ev naming call id.
func withCallID(ev session.Event, id string) session.Event {
	v := reflect.New(reflect.TypeOf(ev)).Elem()
	v.Set(reflect.ValueOf(ev))
	v.FieldByName("CallBase").FieldByName("CallID").SetString(id)
	return v.Interface().(session.Event)
}
