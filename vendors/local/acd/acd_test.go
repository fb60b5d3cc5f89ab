package acd

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

// rig drives an engine and keeps each party's session state with
// session.Apply, as a console would.
type rig struct {
	t       *testing.T
	e       *Engine
	now     time.Time
	states  map[string]session.State
	records []Record
}

func newRig(t *testing.T, groups ...GroupConfig) *rig {
	r := &rig{t: t, e: New(Config{}), now: t0, states: map[string]session.State{}}
	for _, g := range groups {
		if err := r.e.SetGroup(g); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func (r *rig) apply(out []Output) {
	for _, o := range out {
		switch {
		case o.Record != nil:
			r.records = append(r.records, *o.Record)
		case o.Event != nil:
			r.states[o.To] = session.Apply(r.states[o.To], o.Event)
		}
	}
}

func (r *rig) user(id string, role session.Role, groups ...string) {
	r.e.AddUser(User{ID: id, Name: strings.ToUpper(id), Role: role, Groups: groups})
	out, _, err := r.e.Connect(r.now, id)
	if err != nil {
		r.t.Fatal(err)
	}
	r.apply(out)
}

func (r *rig) do(user, line string) error {
	r.t.Helper()
	c, err := session.ParseCommand(line)
	if err != nil {
		r.t.Fatal(err)
	}
	out, err := r.e.Do(r.now, user, c)
	r.apply(out)
	return err
}

func (r *rig) must(user, line string) {
	r.t.Helper()
	if err := r.do(user, line); err != nil {
		r.t.Fatalf("%s: %s: %v", user, line, err)
	}
}

func (r *rig) advance(d time.Duration) {
	r.now = r.now.Add(d)
	r.apply(r.e.Fire(r.now))
}

func (r *rig) agent(id string) session.AgentState { return r.states[id].Agent.State }

func (r *rig) phase(id string) session.Phase {
	s := r.states[id]
	if len(s.Calls) == 0 {
		return session.PhaseEnded
	}
	return s.Calls[0].Phase
}

func TestInboundCallLifecycle(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "sales", WrapUp: 10 * time.Second})
	r.user("ana", session.RoleAgent, "sales")
	r.user("kiosk", session.RoleKiosk, "sales")
	r.must("ana", "checkin")
	r.must("ana", "ready")
	r.must("kiosk", "call")
	if got := r.phase("ana"); got != session.PhaseRinging {
		t.Fatalf("ana's call is %s, want ringing", got)
	}
	if !r.states["kiosk"].Queue.Waiting || r.states["kiosk"].Queue.Position != 1 {
		t.Fatalf("kiosk queue = %+v", r.states["kiosk"].Queue)
	}
	r.advance(5 * time.Second)
	r.must("ana", "answer")
	if r.phase("kiosk") != session.PhaseTalking || r.states["kiosk"].Queue.Waiting {
		t.Fatalf("kiosk after answer: %s %+v", r.phase("kiosk"), r.states["kiosk"].Queue)
	}
	r.must("ana", "hold")
	if r.phase("kiosk") != session.PhaseHeld {
		t.Fatalf("kiosk sees %s, want held", r.phase("kiosk"))
	}
	if err := r.do("ana", "hold"); err == nil {
		t.Fatalf("second hold accepted")
	}
	r.must("ana", "retrieve")
	r.must("ana", "dtmf 12#")
	if got := r.states["kiosk"].Calls[0].DTMF; got != "12#" {
		t.Errorf("kiosk dtmf = %q", got)
	}
	r.advance(60 * time.Second)
	r.must("ana", "hangup")
	if r.agent("ana") != session.AgentWrapUp || r.phase("kiosk") != session.PhaseEnded {
		t.Fatalf("after hangup ana %s kiosk %s", r.agent("ana"), r.phase("kiosk"))
	}
	if len(r.records) != 1 || r.records[0].Disposition != "answered" || r.records[0].Wait != 5*time.Second || r.records[0].Talk != 60*time.Second {
		t.Fatalf("records = %+v", r.records)
	}
	r.advance(10 * time.Second)
	if r.agent("ana") != session.AgentReady {
		t.Fatalf("after wrap-up timer ana is %s", r.agent("ana"))
	}
}

func TestRingTimeoutReoffers(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "g", RingTimeout: 10 * time.Second})
	r.user("a", session.RoleAgent, "g")
	r.user("b", session.RoleAgent, "g")
	r.must("a", "checkin")
	r.must("a", "ready") // a is idle longest
	r.advance(time.Second)
	r.must("b", "checkin")
	r.must("b", "ready")
	id, out, err := r.e.SimCall(r.now, "+1555", "g")
	if err != nil {
		t.Fatal(err)
	}
	r.apply(out)
	if r.phase("a") != session.PhaseRinging || r.phase("b") != session.PhaseEnded {
		t.Fatalf("longest idle: a %s b %s", r.phase("a"), r.phase("b"))
	}
	r.advance(10 * time.Second)
	if s := r.states["a"].Agent; s.State != session.AgentNotReady || s.Reason != "missed" {
		t.Fatalf("a after ring timeout = %+v", s)
	}
	if r.phase("b") != session.PhaseRinging {
		t.Fatalf("b not offered after a missed; b %s", r.phase("b"))
	}
	r.must("b", "answer")
	out = r.e.HangupExternal(r.now, "nope")
	if len(out) != 0 {
		t.Errorf("hangup of unknown external produced %v", out)
	}
	_ = id
}

func TestRingAllFirstAnswerWins(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "g", Strategy: RingAll})
	for _, a := range []string{"a", "b", "c"} {
		r.user(a, session.RoleAgent, "g")
		r.must(a, "checkin")
		r.must(a, "ready")
	}
	_, out, _ := r.e.SimCall(r.now, "x", "g")
	r.apply(out)
	for _, a := range []string{"a", "b", "c"} {
		if r.phase(a) != session.PhaseRinging {
			t.Fatalf("%s not ringing", a)
		}
	}
	r.must("b", "answer")
	if r.agent("a") != session.AgentReady || r.agent("c") != session.AgentReady || r.phase("b") != session.PhaseTalking {
		t.Fatalf("a %s b %s c %s", r.agent("a"), r.phase("b"), r.agent("c"))
	}
}

func TestNoAgentsThenCheckIn(t *testing.T) {
	r := newRig(t)
	r.user("k", session.RoleKiosk)
	r.user("a", session.RoleAgent)
	r.must("k", "call")
	if !r.states["k"].Queue.NoAgents {
		t.Fatalf("kiosk not told no agents: %+v", r.states["k"].Queue)
	}
	r.must("a", "checkin")
	if !r.states["k"].Queue.Waiting {
		t.Fatalf("kiosk not queued after an agent checked in: %+v", r.states["k"].Queue)
	}
	r.must("a", "ready")
	r.must("a", "answer")
	r.must("k", "leave")
	if r.phase("a") != session.PhaseEnded || r.agent("a") != session.AgentWrapUp {
		t.Fatalf("a %s %s", r.phase("a"), r.agent("a"))
	}
}

func TestTransfers(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "g"}, GroupConfig{ID: "h"})
	r.user("a", session.RoleAgent, "g")
	r.user("b", session.RoleAgent, "g", "h")
	r.user("k", session.RoleKiosk, "g")
	r.must("a", "checkin")
	r.must("a", "ready")
	r.must("k", "call")
	r.must("a", "answer")
	if err := r.do("a", "transfer agent:b"); err == nil {
		t.Fatalf("transfer to an agent not ready accepted")
	}
	r.must("b", "checkin")
	r.must("b", "ready")
	r.must("a", "transfer agent:b")
	if r.agent("a") != session.AgentWrapUp || r.phase("b") != session.PhaseRinging || r.phase("k") != session.PhaseDialing {
		t.Fatalf("after transfer: a %s b %s k %s", r.agent("a"), r.phase("b"), r.phase("k"))
	}
	r.must("b", "answer")
	if r.phase("k") != session.PhaseTalking {
		t.Fatalf("kiosk %s", r.phase("k"))
	}
	r.must("b", "transfer group:h")
	if !r.states["k"].Queue.Waiting {
		t.Fatalf("kiosk not queued in h: %+v", r.states["k"].Queue)
	}
	r.advance(30 * time.Second) // b's wrap-up ends; b serves h
	if r.phase("b") != session.PhaseRinging {
		t.Fatalf("b not offered the call in h: %s %s", r.agent("b"), r.phase("b"))
	}
	r.must("b", "answer")
	r.must("b", "transfer +442079460000")
	r.advance(3 * time.Second)
	if r.phase("k") != session.PhaseTalking {
		t.Fatalf("kiosk after transfer to a number: %s", r.phase("k"))
	}
	r.must("k", "leave")
	disp := []string{}
	for _, rec := range r.records {
		disp = append(disp, rec.Disposition)
	}
	if strings.Join(disp, ",") != "transferred,transferred,transferred,answered" {
		t.Fatalf("dispositions %v", disp)
	}
}

func TestRolesEnforced(t *testing.T) {
	r := newRig(t)
	r.user("a", session.RoleAgent)
	r.user("k", session.RoleKiosk)
	r.user("s", session.RoleSupervisor)
	var ref *Refusal
	if err := r.do("a", "barge s"); !errors.As(err, &ref) || ref.Code != CodeForbidden {
		t.Errorf("agent barge: %v", err)
	}
	if err := r.do("k", "checkin"); !errors.As(err, &ref) || ref.Code != CodeForbidden {
		t.Errorf("kiosk checkin: %v", err)
	}
	if err := r.do("s", "barge a"); err == nil {
		t.Errorf("barge of an idle agent accepted")
	}
}

func TestSupervisorMonitorAndIntercept(t *testing.T) {
	r := newRig(t)
	r.user("a", session.RoleAgent)
	r.user("s", session.RoleSupervisor)
	r.user("k", session.RoleKiosk)
	r.must("a", "checkin")
	r.must("a", "ready")
	r.must("k", "call")
	r.must("a", "answer")
	r.must("s", "listen a")
	if c := r.states["s"].Calls; len(c) != 1 || c[0].Monitor != session.MonitorListen {
		t.Fatalf("supervisor calls %+v", c)
	}
	if r.states["a"].Calls[0].Monitor != "" {
		t.Errorf("agent told about a silent listen")
	}
	r.must("s", "barge a")
	if r.states["a"].Calls[0].Monitor != session.MonitorBarge || len(r.states["k"].Calls[0].Parties) != 3 {
		t.Errorf("barge not shown: agent %+v kiosk %+v", r.states["a"].Calls[0], r.states["k"].Calls[0])
	}
	r.must("s", "intercept a")
	if r.phase("a") != session.PhaseEnded || r.agent("a") != session.AgentWrapUp || r.phase("s") != session.PhaseTalking {
		t.Fatalf("intercept: a %s %s s %s", r.phase("a"), r.agent("a"), r.phase("s"))
	}
	r.advance(10 * time.Second)
	r.must("a", "done")
	r.must("s", "pause a")
	if r.states["s"].Roster["a"].State != session.AgentNotReady {
		t.Errorf("roster a = %+v", r.states["s"].Roster["a"])
	}
	r.must("s", "restore a")
	r.must("s", "logout a")
	if r.agent("a") != session.AgentOffline {
		t.Errorf("a after logout %s", r.agent("a"))
	}
	r.must("s", "hangup")
}

func TestRestReminderAndGrace(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "g", RestLimit: time.Minute})
	r.user("a", session.RoleAgent, "g")
	r.user("k", session.RoleKiosk, "g")
	r.must("a", "checkin")
	r.must("a", "rest lunch")
	r.advance(time.Minute)
	if !r.states["a"].Agent.RestOverdue {
		t.Fatalf("no rest timeout: %+v", r.states["a"].Agent)
	}
	r.must("a", "ready")
	r.must("k", "call")
	r.must("a", "answer")
	r.apply(r.e.Disconnect(r.now, "a"))
	r.advance(20 * time.Second)
	out, resumed, _ := r.e.Connect(r.now, "a")
	r.apply(out)
	if !resumed || r.phase("k") != session.PhaseTalking {
		t.Fatalf("resume within grace: resumed=%v kiosk %s", resumed, r.phase("k"))
	}
	r.apply(r.e.Disconnect(r.now, "a"))
	r.advance(31 * time.Second)
	if r.phase("k") != session.PhaseEnded {
		t.Fatalf("call survived past the grace period")
	}
}

func TestEstimate(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "g"})
	g := r.e.groups["g"]
	if got := r.e.estimate(g, 1); got != session.Unknown {
		t.Fatalf("no data: %v", got)
	}
	g.serving = 2
	for range 3 {
		g.addSample(4*time.Minute, 20)
	}
	if got := r.e.estimate(g, 3).D(); got != 5*time.Minute {
		t.Fatalf("estimate(3) = %v, want 5m (4m * 2.5 / 2)", got)
	}
}
