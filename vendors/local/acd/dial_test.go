package acd

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

func TestDialAgentAndNumbers(t *testing.T) {
	r := newRig(t)
	r.user("a", session.RoleAgent)
	r.user("b", session.RoleAgent)
	r.must("a", "checkin")
	r.must("b", "checkin")
	r.must("a", "dial b")
	if r.phase("a") != session.PhaseEnded || r.states["a"].Recent[0].Outcome != "failed: b is not_ready" {
		t.Fatalf("dial to a not-ready agent: %s %+v", r.phase("a"), r.states["a"].Recent)
	}
	r.must("b", "ready")
	r.must("a", "dial agent:b")
	if r.phase("a") != session.PhaseDialing || r.phase("b") != session.PhaseRinging {
		t.Fatalf("internal call: a %s b %s", r.phase("a"), r.phase("b"))
	}
	r.must("b", "answer")
	if r.phase("a") != session.PhaseTalking {
		t.Fatalf("a not talking after b answered: %s", r.phase("a"))
	}
	r.must("b", "hangup")
	if r.agent("a") != session.AgentWrapUp || r.agent("b") != session.AgentWrapUp {
		t.Fatalf("after the internal call a %s b %s", r.agent("a"), r.agent("b"))
	}
	r.must("a", "done")
	r.must("a", "notready lunch")
	r.must("a", "dial +34 917 370 192")
	r.advance(2 * time.Second)
	if r.phase("a") != session.PhaseTalking {
		t.Fatalf("external number did not answer: %s", r.phase("a"))
	}
	r.must("a", "hold")
	r.must("a", "dial 000123") // a consultation call while the first is held
	r.advance(2 * time.Second)
	if n := len(r.states["a"].Recent); r.states["a"].Recent[n-1].Outcome != "failed: number unavailable" {
		t.Fatalf("unavailable number: %+v", r.states["a"].Recent[n-1])
	}
	r.must("a", "retrieve")
	r.must("a", "hangup")
	if s := r.states["a"].Agent; s.State != session.AgentWrapUp {
		t.Fatalf("after an outbound call a is %+v", s)
	}
	if err := r.do("a", "dial nobody"); err == nil {
		t.Errorf("dial to a name that is neither agent nor number accepted")
	}
}

func TestDialUnansweredRestoresState(t *testing.T) {
	r := newRig(t, GroupConfig{ID: DefaultGroup, RingTimeout: 5 * time.Second})
	r.user("a", session.RoleAgent)
	r.user("b", session.RoleAgent)
	r.must("a", "checkin")
	r.must("a", "notready training")
	r.must("b", "checkin")
	r.must("b", "ready")
	r.must("a", "dial b")
	r.advance(5 * time.Second)
	if s := r.states["a"].Agent; s.State != session.AgentNotReady || s.Reason != "training" {
		t.Errorf("caller after no answer: %+v", s)
	}
	if s := r.states["b"].Agent; s.State != session.AgentNotReady || s.Reason != "missed" {
		t.Errorf("callee after no answer: %+v", s)
	}
}

func TestStrategies(t *testing.T) {
	cases := []struct {
		strategy Strategy
		want     string
	}{
		{LongestIdle, "a"}, // ready first
		{RoundRobin, "c"},  // offered a call the longest ago
		{FewestCalls, "b"}, // handled the fewest
	}
	for _, tc := range cases {
		t.Run(string(tc.strategy), func(t *testing.T) {
			r := newRig(t, GroupConfig{ID: "g", Strategy: tc.strategy})
			history := map[string][2]int{"a": {5, 2}, "b": {0, 3}, "c": {2, 1}} // handled, last offer
			for _, a := range []string{"a", "b", "c"} {
				r.user(a, session.RoleAgent, "g")
				r.must(a, "checkin")
				p := r.e.parties[a]
				p.handled, p.lastOffer = history[a][0], uint64(history[a][1])
				r.must(a, "ready")
				r.advance(time.Second)
			}
			_, out, _ := r.e.SimCall(r.now, "y", "g")
			r.apply(out)
			for _, a := range []string{"a", "b", "c"} {
				if (r.phase(a) == session.PhaseRinging) != (a == tc.want) {
					t.Errorf("%s: %s is %s", tc.strategy, a, r.phase(a))
				}
			}
		})
	}
}

// An agent's dial of a number with a trunk goes out as a trunk operation,
// and its record's channel is sip (without a trunk it stays empty).
func TestTrunkDialRecordsChannel(t *testing.T) {
	r := &rig{t: t, e: New(Config{TrunkOut: true}), now: t0, states: map[string]session.State{}}
	r.user("a", session.RoleAgent)
	r.must("a", "checkin")
	r.must("a", "dial 2001")
	callID := r.states["a"].Calls[0].ID
	r.apply(r.e.ExtAnswered(r.now, callID))
	if r.phase("a") != session.PhaseTalking {
		t.Fatalf("after the trunk answered a is %s", r.phase("a"))
	}
	r.must("a", "hangup")
	if len(r.records) != 1 || r.records[0].Channel != "sip" || r.records[0].To != "2001" || r.records[0].From != "A" {
		t.Fatalf("records = %+v", r.records)
	}
}
