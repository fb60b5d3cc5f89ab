package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/local/centre"
)

// colleague is a simulated agent on a real client connection.
type colleague struct {
	cl     *local.Client
	rng    *rand.Rand
	cfg    Config
	st     session.State
	next   <-chan time.Time
	action string
}

// do checks a command against the colleague's state and sends it, then
// takes in the events it caused.
func (c *colleague) do(ctx context.Context, line string) {
	c.drain()
	cmd, err := session.ParseCommand(line)
	if err != nil || session.Check(c.st, cmd) != nil {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_ = c.cl.Send(sctx, cmd)
	c.drain()
}

func (c *colleague) drain() {
	for {
		select {
		case e, ok := <-c.cl.Events():
			if !ok {
				return
			}
			c.on(e)
		default:
			return
		}
	}
}

func (c *colleague) arm(d time.Duration, a string) { c.next, c.action = time.After(d), a }

// on reacts to one event: answer after a few rings, talk for a handle time,
// wrap up, now and then take a break.
func (c *colleague) on(e session.Event) {
	prev := c.st
	c.st = session.Apply(c.st, e)
	switch e := e.(type) {
	case session.CallRinging:
		c.arm(time.Duration(1+c.rng.IntN(3))*time.Second, "answer")
	case session.CallAnswered:
		c.arm(lognormal(c.rng, c.cfg.Handle, 0.5), "hangup")
	case session.AgentStateChanged:
		if e.Agent != "" && e.Agent != c.st.User {
			break
		}
		switch {
		case e.State == session.AgentWrapUp:
			c.arm(lognormal(c.rng, c.cfg.WrapUp, 0.3), "after")
		case e.State == session.AgentNotReady && prev.Agent.State != session.AgentNotReady && prev.Agent.State != session.AgentOffline:
			c.arm(time.Duration(5+c.rng.IntN(20))*time.Second, "ready")
		case e.State == session.AgentRest:
			c.arm(time.Duration(30+c.rng.IntN(60))*time.Second, "ready")
		}
	case session.CallEnded:
		if !c.st.OnCall() && c.action == "hangup" {
			c.next = nil
		}
	}
}

func (c *colleague) run(ctx context.Context) {
	for !c.st.Authed {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-c.cl.Events():
			if !ok {
				return
			}
			c.on(e)
		}
	}
	c.do(ctx, "checkin")
	c.do(ctx, "ready")
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-c.cl.Events():
			if !ok {
				return
			}
			c.on(e)
		case <-c.next:
			c.next = nil
			switch c.action {
			case "after":
				if codes := c.st.Agent.Codes; len(codes) > 0 {
					c.do(ctx, "disposition "+codes[c.rng.IntN(len(codes))])
				}
				c.do(ctx, "done")
				if c.rng.IntN(8) == 0 {
					c.do(ctx, "rest coffee")
				}
			default:
				c.do(ctx, c.action)
			}
		}
	}
}

// callers places simulated calls and plays their callers.
type callers struct {
	srv    *centre.Server
	cfg    Config
	rng    *rand.Rand
	events chan callerEvent
	live   map[*caller]bool
	n      int
}

type caller struct {
	id       string
	giveUp   time.Time // leaves the queue then, unless answered
	hangUp   time.Time // leaves the call then, once answered
	talkFor  time.Duration
	answered bool
}

type callerEvent struct {
	c *caller
	e session.Event
}

func (cs *callers) run(ctx context.Context) {
	cs.live = map[*caller]bool{}
	arrival := time.NewTimer(cs.nextArrival())
	defer arrival.Stop()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-arrival.C:
			cs.arrive(ctx)
			arrival.Reset(cs.nextArrival())
		case ev := <-cs.events:
			cs.handle(ev)
		case now := <-tick.C:
			for c := range cs.live {
				if c.id != "" && (!c.answered && now.After(c.giveUp) || c.answered && now.After(c.hangUp)) {
					// Some callers out of patience ask to be called back.
					if c.answered || cs.rng.Float64() >= cs.cfg.CallbackShare || cs.srv.SimCallback(ctx, c.id) != nil {
						_ = cs.srv.SimLeave(ctx, c.id)
					}
					delete(cs.live, c)
				}
			}
		}
	}
}

func (cs *callers) nextArrival() time.Duration {
	return exponential(cs.rng, time.Duration(float64(time.Hour)/cs.cfg.PerHour))
}

func (cs *callers) arrive(ctx context.Context) {
	cs.n++
	c := &caller{giveUp: time.Now().Add(exponential(cs.rng, cs.cfg.Patience)),
		talkFor: lognormal(cs.rng, cs.cfg.Handle, 0.5) * 3 / 2}
	group := cs.cfg.Groups[cs.rng.IntN(len(cs.cfg.Groups))]
	from := fmt.Sprintf("+1 555 01%02d", cs.rng.IntN(100))
	sink := func(e session.Event) { // on the centre's loop: never block
		select {
		case cs.events <- callerEvent{c, e}:
		default:
		}
	}
	id, err := cs.srv.SimCall(ctx, from, group, sink)
	if err != nil {
		return
	}
	c.id = id
	cs.live[c] = true
}

func (cs *callers) handle(ev callerEvent) {
	switch ev.e.(type) {
	case session.CallAnswered:
		ev.c.answered = true
		ev.c.hangUp = time.Now().Add(ev.c.talkFor)
	case session.CallEnded, session.CallFailed:
		delete(cs.live, ev.c)
	}
}
