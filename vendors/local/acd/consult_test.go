package acd

import (
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// strict applies out to the rig and fails on any event a console would
// refuse (session.Transition's errors).
func (r *rig) strict(out []Output) {
	r.t.Helper()
	for _, o := range out {
		if o.Event == nil {
			continue
		}
		if _, err := session.Transition(r.states[o.To], o.Event); err != nil {
			r.t.Errorf("%s: %s: %v", o.To, o.Event.Type(), err)
		}
	}
	r.apply(out)
}

func (r *rig) mustStrict(user, line string) {
	r.t.Helper()
	c, err := session.ParseCommand(line)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := session.Check(r.states[user], c); err != nil {
		r.t.Fatalf("%s: %s: refused by the console: %v", user, line, err)
	}
	out, err := r.e.Do(r.now, user, c)
	if err != nil {
		r.t.Fatalf("%s: %s: %v", user, line, err)
	}
	r.strict(out)
}

// consultRig: kiosk k talks to agent a; b is ready in group g.
func consultRig(t *testing.T) *rig {
	r := newRig(t, GroupConfig{ID: "g"}, GroupConfig{ID: "h"})
	r.user("a", session.RoleAgent, "g")
	r.user("b", session.RoleAgent, "g", "h")
	r.user("k", session.RoleKiosk, "g")
	r.must("a", "checkin")
	r.must("a", "ready")
	r.must("k", "call")
	r.must("a", "answer")
	r.must("b", "checkin")
	r.must("b", "ready")
	r.advance(10 * time.Second)
	return r
}

func (r *rig) dispositions() string {
	var d []string
	for _, rec := range r.records {
		d = append(d, rec.CallID+"/"+string(rune('0'+rec.Segment))+":"+rec.Agent+":"+rec.Disposition)
	}
	return strings.Join(d, " ")
}

func TestConsultComplete(t *testing.T) {
	r := consultRig(t)
	r.mustStrict("a", "consult agent:b")
	if r.phase("k") != session.PhaseHeld || r.phase("b") != session.PhaseRinging {
		t.Fatalf("consulting: k %s b %s", r.phase("k"), r.phase("b"))
	}
	if err := r.do("a", "complete"); err == nil || !strings.Contains(err.Error(), "not answered") {
		t.Fatalf("complete before b answered: %v", err)
	}
	r.mustStrict("b", "answer")
	r.advance(5 * time.Second)
	r.mustStrict("a", "complete")
	if r.phase("k") != session.PhaseTalking || r.phase("b") != session.PhaseTalking || len(r.states["a"].Calls) != 0 {
		t.Fatalf("after complete: k %s b %s a %d calls", r.phase("k"), r.phase("b"), len(r.states["a"].Calls))
	}
	if r.agent("a") != session.AgentWrapUp {
		t.Fatalf("a is %s after complete", r.agent("a"))
	}
	if got := r.states["b"].Calls[0].ID; got != "c2" {
		t.Errorf("b knows the joined call as %s, want its consultation's id c2", got)
	}
	r.advance(7 * time.Second)
	r.mustStrict("k", "leave")
	if r.phase("b") != session.PhaseEnded || r.agent("b") != session.AgentWrapUp {
		t.Fatalf("after the caller left: b %s %s", r.phase("b"), r.agent("b"))
	}
	if got, want := r.dispositions(), "c2/1:b:consulted c1/1:a:transferred c1/2:b:answered"; got != want {
		t.Fatalf("records %s, want %s", got, want)
	}
	if tk := r.records[2].Talk; tk != 7*time.Second {
		t.Errorf("b's segment talk %s, want 7s", tk)
	}
}

func TestConsultConferenceThenLeave(t *testing.T) {
	r := consultRig(t)
	r.mustStrict("a", "consult group:h") // b is the only ready agent of h
	r.mustStrict("b", "answer")
	r.mustStrict("a", "conference")
	for _, p := range []string{"a", "b", "k"} {
		s := r.states[p]
		if len(s.Calls) != 1 || s.Calls[0].Phase != session.PhaseTalking || len(s.Calls[0].Parties) != 3 {
			t.Fatalf("%s in the conference: %+v", p, s.Calls)
		}
	}
	if err := r.do("a", "hold"); err == nil {
		t.Errorf("hold during a conference accepted")
	}
	r.advance(4 * time.Second)
	r.mustStrict("a", "hangup") // a leaves, k and b talk on
	if r.phase("k") != session.PhaseTalking || r.phase("b") != session.PhaseTalking || r.agent("a") != session.AgentWrapUp {
		t.Fatalf("after a left: k %s b %s a %s", r.phase("k"), r.phase("b"), r.agent("a"))
	}
	r.mustStrict("b", "hangup")
	if r.phase("k") != session.PhaseEnded {
		t.Fatalf("k after b hung up: %s", r.phase("k"))
	}
	if got, want := r.dispositions(), "c2/1:b:conference c1/1:a:conference c1/2:a:conference c1/3:b:answered"; got != want {
		t.Fatalf("records %s, want %s", got, want)
	}
}

func TestConsultCancelAndRefusals(t *testing.T) {
	r := consultRig(t)
	if err := r.do("a", "complete"); err == nil {
		t.Errorf("complete without a consultation accepted")
	}
	if err := r.do("a", "consult agent:a"); err == nil {
		t.Errorf("consult to oneself accepted")
	}
	if err := r.do("a", "consult group:nope"); err == nil {
		t.Errorf("consult to an unknown group accepted")
	}
	r.mustStrict("a", "consult +34917370192")
	if err := r.do("a", "consult agent:b"); err == nil {
		t.Errorf("a second consultation accepted")
	}
	r.advance(2 * time.Second) // the number answers
	r.mustStrict("a", "cancel")
	if r.phase("k") != session.PhaseTalking || len(r.states["a"].Calls) != 1 || r.states["a"].Calls[0].Phase != session.PhaseTalking {
		t.Fatalf("after cancel: k %s a %+v", r.phase("k"), r.states["a"].Calls)
	}
	if err := r.do("a", "cancel"); err == nil {
		t.Errorf("cancel with nothing on hold accepted")
	}
	// A consultation nobody answers ends by itself; cancel still returns.
	r.mustStrict("a", "consult agent:b")
	r.advance(30 * time.Second)
	if r.phase("a") != session.PhaseHeld || len(r.states["a"].Calls) != 1 {
		t.Fatalf("after no answer a has %+v", r.states["a"].Calls)
	}
	r.mustStrict("a", "cancel")
	if r.phase("k") != session.PhaseTalking {
		t.Fatalf("k after the second cancel: %s", r.phase("k"))
	}
	if got := r.dispositions(); got != "c2/1:a:consulted c3/1:a:no_answer" {
		t.Fatalf("records %s", got)
	}
}
