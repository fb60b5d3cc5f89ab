package acd

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

var fuzzLines = []string{
	"checkin", "checkout", "ready", "notready lunch", "rest", "done", "answer", "reject",
	"hangup", "hold", "retrieve", "transfer agent:a1", "transfer agent:a2", "transfer group:g2",
	"transfer +15550100", "dtmf 5", "mute", "dial a2", "dial +15550100", "dial 000",
	"listen a1", "whisper a2", "barge a1", "intercept a2", "pause a1", "restore a1", "logout a2",
	"call", "call g2", "leave", "callback", "callback +15550100", "record on", "record off", "record on a1",
	"consult agent:a1", "consult agent:a2", "consult group:g2", "consult +15550100", "complete", "conference", "cancel",
}

// FuzzEngine drives the engine with any sequence of commands, timer firings,
// drops and simulated calls, and checks its invariants after each step.
func FuzzEngine(f *testing.F) {
	f.Add([]byte{0, 6, 27, 1, 12, 6, 40, 44, 8, 2, 30, 60, 7})
	f.Add([]byte("checkin ready call answer hold transfer listen intercept hangup done"))
	f.Fuzz(runOps)
}

func runOps(t *testing.T, ops []byte) {
	if len(ops) > 512 { // long enough for any story; keeps each run short
		ops = ops[:512]
	}
	{
		users := []struct {
			id   string
			role session.Role
		}{{"a1", session.RoleAgent}, {"a2", session.RoleAgent}, {"s", session.RoleSupervisor}, {"k", session.RoleKiosk}}
		e := New(Config{Defaults: GroupConfig{RingTimeout: 5 * time.Second, WrapUp: 7 * time.Second, RestLimit: 9 * time.Second}})
		e.SetGroup(GroupConfig{ID: "g2", Strategy: RingAll})
		now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
		for _, u := range users {
			e.AddUser(User{ID: u.id, Role: u.role, Groups: []string{DefaultGroup, "g2"}})
			e.Connect(now, u.id)
		}
		for i := 0; i+1 < len(ops); i += 2 {
			u := users[int(ops[i])%len(users)].id
			switch op := int(ops[i+1]) % (len(fuzzLines) + 4); {
			case op < len(fuzzLines):
				c, err := session.ParseCommand(fuzzLines[op])
				if err != nil {
					t.Fatal(err)
				}
				e.Do(now, u, c)
			case op == len(fuzzLines):
				now = now.Add(3 * time.Second)
				e.Fire(now)
			case op == len(fuzzLines)+1:
				e.SimCall(now, "+1", DefaultGroup)
			case op == len(fuzzLines)+2:
				e.Disconnect(now, u)
			default:
				e.Connect(now, u)
			}
			if err := e.check(); err != nil {
				t.Fatalf("after step %d: %v", i/2, err)
			}
		}
	}
}

// check verifies the engine's internal invariants.
func (e *Engine) check() error {
	for _, g := range e.groups {
		n, serving, members := 0, 0, 0
		for c := g.qhead; c != nil; c = c.qnext {
			n++
			if !c.inQueue || c.group != g || c.phase != phQueued {
				return fmt.Errorf("call %s in %s's queue: inQueue %v phase %v", c.id, g.cfg.ID, c.inQueue, c.phase)
			}
		}
		if n != g.qlen {
			return fmt.Errorf("group %s: qlen %d, list %d", g.cfg.ID, g.qlen, n)
		}
		for _, p := range e.parties {
			for _, cg := range p.checkedIn {
				if cg == g {
					members++
					if p.serving() {
						serving++
					}
				}
			}
		}
		if members != g.members || serving != g.serving {
			return fmt.Errorf("group %s: members %d/%d serving %d/%d", g.cfg.ID, g.members, members, g.serving, serving)
		}
		for i, p := range g.ready {
			if m := p.slot(g); m == nil || m.idx != i {
				return fmt.Errorf("group %s: heap slot of %s wrong", g.cfg.ID, p.id)
			}
			if i > 0 && g.less(p, g.ready[(i-1)/2]) {
				return fmt.Errorf("group %s: heap order broken at %d", g.cfg.ID, i)
			}
		}
	}
	for _, p := range e.parties {
		routable := p.online && p.state == session.AgentReady && len(p.calls) == 0 && len(p.checkedIn) > 0
		if routable != (len(p.mem) > 0) {
			return fmt.Errorf("%s: routable %v but in %d heaps (state %s, calls %d)", p.id, routable, len(p.mem), p.state, len(p.calls))
		}
		if p.isAgent() && len(p.calls) > 0 && p.state != session.AgentBusy {
			return fmt.Errorf("%s has %d calls but is %s", p.id, len(p.calls), p.state)
		}
		if p.isAgent() && len(p.calls) == 0 && p.state == session.AgentBusy {
			return fmt.Errorf("%s is busy with no call", p.id)
		}
		for _, c := range p.calls {
			if c.phase == phEnded || e.calls[c.id] != c {
				return fmt.Errorf("%s holds ended or unknown call %s", p.id, c.id)
			}
		}
	}
	for id, c := range e.calls {
		if c.phase == phEnded {
			return fmt.Errorf("ended call %s still live", id)
		}
		for _, p := range []*party{c.a, c.b, c.third} {
			if p != nil && !p.ext && !slices.Contains(p.calls, c) {
				return fmt.Errorf("call %s: its party %s does not hold it", id, p.id)
			}
		}
	}
	return nil
}
