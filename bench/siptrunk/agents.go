package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/local/proto"
	"github.com/agentty/agentty/vendors/local/store"
)

// The agents: each a real client connection to the centre (vendors/local,
// WebSocket, token, check-in) that goes ready, answers every call that
// rings, ends wrap-up at once (and goes ready again if the centre made it
// not ready for a call it missed), and hangs up when told (or hold after it
// answered). Their media legs are not theirs: the centre's offers reach
// each agent's connection as signals, which go to the agents' media
// process (bench/relay's callers, -clients webrtc), whose answers go back
// over the agent's connection. So every bridged call has a real WebRTC leg
// (ICE, DTLS-SRTP) at the centre, answered by a cheap load generator.

// agent is one simulated agent.
type agent struct {
	id     string
	set    *agentSet
	cl     *local.Client
	st     session.State
	hangup chan struct{}
	hold   <-chan time.Time
	// isReady is the agent's state as its goroutine last saw it, last
	// its state and call as words (a string)
	isReady atomic.Bool
	last    atomic.Value
}

// agentSet is every agent and the media process their legs go to.
type agentSet struct {
	agents []*agent
	byID   map[string]*agent
	hold   atomic.Int64 // hang up this many ns after answering (0: when told)

	mu    sync.Mutex
	media *child // the agents' media process, nil between phases

	answered, ended atomic.Int64
	errors          atomic.Int64
	wg              sync.WaitGroup
}

// startAgents signs n agents in, the i-th to group groups[i % len].
func startAgents(ctx context.Context, srv *centre.Server, url string, n int, groups []string) (*agentSet, error) {
	as := &agentSet{byID: map[string]*agent{}}
	for i := range n {
		id := fmt.Sprintf("agent%04d", i)
		tok, err := srv.Store().CreateToken(ctx, store.User{ID: id, Role: session.RoleAgent, Groups: []string{groups[i%len(groups)]}}, 0, time.Now())
		if err != nil {
			return nil, err
		}
		a := &agent{id: id, set: as, hangup: make(chan struct{}, 1)}
		cl, err := local.NewClient(local.ClientConfig{Server: url, Token: tok, OnSignal: a.onSignal})
		if err != nil {
			return nil, err
		}
		a.cl = cl
		if err := cl.Connect(ctx); err != nil {
			return nil, fmt.Errorf("agent %s: %w", id, err)
		}
		as.agents = append(as.agents, a)
		as.byID[id] = a
		as.wg.Add(1)
		go func() { defer as.wg.Done(); a.run(ctx) }()
	}
	return as, nil
}

// ready counts the agents that are ready.
func (as *agentSet) ready() int {
	k := 0
	for _, a := range as.agents {
		if a.ready() {
			k++
		}
	}
	return k
}

// notReady counts the agents that are not ready by what they were last
// seen doing.
func (as *agentSet) notReady() map[string]int {
	out := map[string]int{}
	for _, a := range as.agents {
		if !a.ready() {
			if v, ok := a.last.Load().(string); ok {
				out[v]++
			} else {
				out["unknown"]++
			}
		}
	}
	return out
}

// setMedia gives the agents' legs to a media process (nil: none).
func (as *agentSet) setMedia(c *child) {
	as.mu.Lock()
	as.media = c
	as.mu.Unlock()
}

func (as *agentSet) mediaProc() *child {
	as.mu.Lock()
	defer as.mu.Unlock()
	return as.media
}

// hangupAll tells every agent on a call to hang up.
func (as *agentSet) hangupAll() {
	for _, a := range as.agents {
		select {
		case a.hangup <- struct{}{}:
		default:
		}
	}
}

// answer is the media process's answer for an agent's leg.
func (as *agentSet) answer(ctx context.Context, m msg) {
	a := as.byID[m.Party]
	if a == nil {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.cl.Signal(sctx, proto.Signal{CallID: m.Call, Kind: m.Kind, SDP: m.SDP}); err != nil {
		as.errors.Add(1)
	}
}

func (as *agentSet) close() {
	for _, a := range as.agents {
		a.cl.Close()
	}
	as.wg.Wait()
}

// onSignal runs on the client's reader goroutine: an offer goes to the
// media process.
func (a *agent) onSignal(s proto.Signal) {
	if s.Kind != "offer" {
		return
	}
	if c := a.set.mediaProc(); c != nil {
		c.send(msg{T: "signal", Party: a.id, Call: s.CallID, Kind: s.Kind, SDP: s.SDP})
	}
}

func (a *agent) ready() bool { return a.isReady.Load() }

func (a *agent) do(ctx context.Context, line string) {
	cmd, err := session.ParseCommand(line)
	if err != nil || session.Check(a.st, cmd) != nil {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.cl.Send(sctx, cmd); err != nil {
		a.set.errors.Add(1)
	}
}

func (a *agent) run(ctx context.Context) {
	checkedIn := false
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-a.cl.Events():
			if !ok {
				return
			}
			a.on(ctx, e)
			if a.st.Authed && !checkedIn {
				checkedIn = true
				a.do(ctx, "checkin")
				a.do(ctx, "ready")
			}
		case <-a.hangup:
			if a.st.OnCall() {
				a.do(ctx, "hangup")
			}
		case <-a.hold:
			a.hold = nil
			if a.st.OnCall() {
				a.do(ctx, "hangup")
			}
		}
		a.isReady.Store(a.st.Agent.State == session.AgentReady)
		desc := a.st.Agent.State.String()
		if _, ok := a.st.Ringing(); ok {
			desc += " ringing"
		} else if a.st.OnCall() {
			desc += " on a call"
		}
		a.last.Store(desc)
	}
}

func (a *agent) on(ctx context.Context, e session.Event) {
	a.st = session.Apply(a.st, e)
	switch e := e.(type) {
	case session.CallRinging:
		a.do(ctx, "answer")
	case session.CallAnswered:
		a.set.answered.Add(1)
		if d := time.Duration(a.set.hold.Load()); d > 0 {
			a.hold = time.After(d)
		}
	case session.CallEnded:
		a.set.ended.Add(1)
		if c := a.set.mediaProc(); c != nil {
			c.send(msg{T: "close", Call: e.CallID})
		}
	case session.AgentStateChanged:
		if e.Agent != "" && e.Agent != a.st.User {
			break
		}
		switch e.State {
		case session.AgentWrapUp:
			a.do(ctx, "done")
		case session.AgentNotReady:
			// The centre makes an agent who missed a call not ready (a
			// call that ended while it rang): ready again at once.
			a.do(ctx, "ready")
		}
	}
}
