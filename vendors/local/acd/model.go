package acd

import (
	"strconv"
	"time"

	"github.com/agentty/agentty/session"
)

// party is a user (agent, supervisor, kiosk), a simulated caller, or an
// external number (ext).
type party struct {
	id, name string
	role     session.Role
	allowed  []string
	ext      bool   // an external number: no events, answers by timer
	sim      bool   // a simulated caller: removed when its call ends
	channel  string // how a caller reached the centre: "sip" (trunk.go); "" is the party's role's
	online   bool
	lostAt   time.Time // when the link dropped (set while offline)

	// agent side
	state      session.AgentState
	reason     string
	since      time.Time
	limit      time.Duration
	checkedIn  []*group
	idleSince  time.Time
	handled    int
	lastOffer  uint64
	mem        []membership // slots in ready heaps, while routable
	timerGen   uint64       // wrap-up and rest timers
	graceGen   uint64
	prevState  session.AgentState // restored after monitoring
	prevReason string
	wrap       *sample // handle time being measured through wrap-up
	lastSeg    segRef  // the agent's last recorded call segment

	calls []*call // live calls this party is a leg of
}

type membership struct {
	g   *group
	idx int
}

type sample struct {
	g     *group
	talk  time.Duration
	start time.Time
	seg   segRef // the call segment wrapped up
	code  string // disposition chosen
}

// segRef names one call segment.
type segRef struct {
	callID  string
	segment int
}

func (p *party) isAgent() bool {
	return p.role == session.RoleAgent || p.role == session.RoleSupervisor
}

func (p *party) serving() bool {
	return p.state == session.AgentReady || p.state == session.AgentBusy || p.state == session.AgentWrapUp
}

func (p *party) removeCall(c *call) {
	for i, x := range p.calls {
		if x == c {
			p.calls = append(p.calls[:i], p.calls[i+1:]...)
			return
		}
	}
}

// group is a queue and the agents checked in to it.
type group struct {
	cfg     GroupConfig
	ready   []*party // heap of routable agents, best first
	members int      // checked in
	serving int      // checked in and ready, busy or wrapping up
	qhead   *call
	qtail   *call
	qlen    int
	handle  []time.Duration // recent handle times, ring
	sl      serviceLog      // recent answers and give-ups, for the service level
	arrived arrivalLog      // recent callers' arrival times, for the arrival rate
	hnext   int
}

type phase int

const (
	phQueued phase = iota // waiting for an agent (possibly ringing one)
	phDialing
	phTalking
	phHeld
	phEnded
)

// call is one call: side a placed it (kiosk, simulated caller, agent, or an
// external number after a transfer), side b is the agent or number it is
// connected to. While queued, b is nil and offered lists ringing agents.
type call struct {
	id      string
	a, b    *party
	group   *group
	offered []*party
	phase   phase
	heldBy  *party
	direct  bool // rings one agent directly (dial or transfer to agent), not through the queue

	queued, answered, segStart time.Time
	heldSince                  time.Time
	heldTotal, wait            time.Duration
	segment                    int
	ringGen, extGen            uint64
	noAgents                   bool // the caller was told nobody serves the group
	farRinging                 bool // the dialled number rings (trunk.go ExtRinging)

	qprev, qnext *call
	inQueue      bool
	lastPos      int
	lastEst      session.Seconds

	monitors map[*party]session.MonitorMode
	third    *party // a consulted party joined in a conference (consult.go)

	cb  *callback // a callback (callback.go)
	rec recState  // the recording (recording.go)

	// A console keeps ended calls as ended, so a party that meets the same
	// call again (offered it a second time, or handed it back by a
	// transfer) knows it by a fresh id: ids holds those, seen who met it.
	seen map[*party]bool
	ids  map[*party]string
	legN int
}

// meet records that p joins c, giving p a fresh id for c if it met c before.
func (c *call) meet(p *party) {
	if c.seen == nil {
		c.seen = map[*party]bool{}
	}
	if !c.seen[p] {
		c.seen[p] = true
		return
	}
	if c.ids == nil {
		c.ids = map[*party]string{}
	}
	c.legN++
	c.ids[p] = c.id + "." + strconv.Itoa(c.legN)
}

// idFor returns the id p knows c by.
func (c *call) idFor(p *party) string {
	if id, ok := c.ids[p]; ok {
		return id
	}
	return c.id
}

func (c *call) other(p *party) *party {
	if c.a == p {
		return c.b
	}
	return c.a
}

func (c *call) isOffered(p *party) bool {
	for _, x := range c.offered {
		if x == p {
			return true
		}
	}
	return false
}

func (c *call) legs() []string {
	var out []string
	for _, p := range []*party{c.a, c.b, c.third} {
		if p == nil {
			continue
		}
		if p.ext {
			out = append(out, "ext:"+p.id)
		} else {
			out = append(out, p.id)
		}
	}
	return out
}

// customer reports whether p is a caller (kiosk or simulated), whose
// console follows a queue rather than an agent state.
func (p *party) customer() bool { return p != nil && !p.ext && p.role == session.RoleKiosk }

// less orders the ready heap of g: the agent to offer first comes first.
func (g *group) less(x, y *party) bool {
	switch g.cfg.Strategy {
	case RoundRobin:
		if x.lastOffer != y.lastOffer {
			return x.lastOffer < y.lastOffer
		}
	case FewestCalls:
		if x.handled != y.handled {
			return x.handled < y.handled
		}
	}
	if !x.idleSince.Equal(y.idleSince) {
		return x.idleSince.Before(y.idleSince)
	}
	return x.id < y.id
}

func (p *party) slot(g *group) *membership {
	for i := range p.mem {
		if p.mem[i].g == g {
			return &p.mem[i]
		}
	}
	return nil
}

func (g *group) swap(i, j int) {
	g.ready[i], g.ready[j] = g.ready[j], g.ready[i]
	g.ready[i].slot(g).idx = i
	g.ready[j].slot(g).idx = j
}

func (g *group) up(j int) {
	for j > 0 {
		i := (j - 1) / 2
		if !g.less(g.ready[j], g.ready[i]) {
			break
		}
		g.swap(i, j)
		j = i
	}
}

func (g *group) down(i int) {
	n := len(g.ready)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		j := l
		if r := l + 1; r < n && g.less(g.ready[r], g.ready[l]) {
			j = r
		}
		if !g.less(g.ready[j], g.ready[i]) {
			return
		}
		g.swap(i, j)
		i = j
	}
}

func (g *group) push(p *party) {
	p.mem = append(p.mem, membership{g: g, idx: len(g.ready)})
	g.ready = append(g.ready, p)
	g.up(len(g.ready) - 1)
}

func (g *group) remove(p *party) {
	m := p.slot(g)
	if m == nil {
		return
	}
	i, n := m.idx, len(g.ready)-1
	if i != n {
		g.swap(i, n)
	}
	g.ready = g.ready[:n]
	if i != n {
		g.down(i)
		g.up(i)
	}
	for k := range p.mem {
		if p.mem[k].g == g {
			p.mem = append(p.mem[:k], p.mem[k+1:]...)
			break
		}
	}
}

// enqueue puts c in g's queue in order of c.queued (a transferred call keeps
// its place in line).
func (g *group) enqueue(c *call) {
	c.group, c.inQueue = g, true
	at := g.qtail
	for at != nil && at.queued.After(c.queued) {
		at = at.qprev
	}
	c.qprev = at
	if at == nil {
		c.qnext = g.qhead
		g.qhead = c
	} else {
		c.qnext = at.qnext
		at.qnext = c
	}
	if c.qnext == nil {
		g.qtail = c
	} else {
		c.qnext.qprev = c
	}
	g.qlen++
}

func (g *group) dequeue(c *call) {
	if !c.inQueue {
		return
	}
	if c.qprev == nil {
		g.qhead = c.qnext
	} else {
		c.qprev.qnext = c.qnext
	}
	if c.qnext == nil {
		g.qtail = c.qprev
	} else {
		c.qnext.qprev = c.qprev
	}
	c.qprev, c.qnext, c.inQueue = nil, nil, false
	g.qlen--
}

func (g *group) addSample(d time.Duration, keep int) {
	if len(g.handle) < keep {
		g.handle = append(g.handle, d)
		return
	}
	g.handle[g.hnext%keep] = d
	g.hnext++
}
