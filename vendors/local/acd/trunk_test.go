package acd

import (
	"testing"

	"github.com/agentty/agentty/session"
)

// trunkRig is a rig whose dials of numbers go out through a trunk: the
// trunk operations are kept instead of a simulated far end.
func trunkRig(t *testing.T) *rig {
	r := newRig(t)
	r.e = New(Config{TrunkOut: true})
	return r
}

func trunkOps(out []Output) (ops []TrunkOp) {
	for _, o := range out {
		if o.Trunk != nil {
			ops = append(ops, *o.Trunk)
		}
	}
	return ops
}

// TestExtRingingShowsOnTheDial: a number dialled out through the trunk
// rings at the far end: the agent's call goes from dialing to ringing
// (outbound) once, however many 180/183 come, then answered; a call
// transferred to a number tells the trunk caller nothing of the ringing.
func TestExtRingingShowsOnTheDial(t *testing.T) {
	r := trunkRig(t)
	r.user("a", session.RoleAgent)
	r.must("a", "checkin")
	c, err := session.ParseCommand("dial 2001")
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.e.Do(r.now, "a", c)
	if err != nil {
		t.Fatal(err)
	}
	r.apply(out)
	ops := trunkOps(out)
	if len(ops) != 1 || ops[0].Kind != TrunkDial || ops[0].Number != "2001" {
		t.Fatalf("trunk ops %+v", ops)
	}
	id := ops[0].CallID
	if r.phase("a") != session.PhaseDialing {
		t.Fatalf("after dial: %s", r.phase("a"))
	}
	out = r.e.ExtRinging(r.now, id)
	if len(out) != 1 {
		t.Fatalf("ringing outputs %+v, want the agent's call.ringing", out)
	}
	if e, ok := out[0].Event.(session.CallRinging); !ok || e.Direction != session.DirOutbound || e.To != "2001" || out[0].To != "a" {
		t.Fatalf("ringing output %+v", out[0])
	}
	r.apply(out)
	if r.phase("a") != session.PhaseRinging || r.states["a"].Calls[0].Direction != session.DirOutbound {
		t.Fatalf("after 180: %+v", r.states["a"].Calls)
	}
	if _, ok := r.states["a"].Ringing(); ok {
		t.Error("the far end's ringing is a call for the agent to answer")
	}
	if out := r.e.ExtRinging(r.now, id); len(out) != 0 {
		t.Errorf("a second 183 gave %+v", out)
	}
	r.apply(r.e.ExtAnswered(r.now, id))
	if r.phase("a") != session.PhaseTalking {
		t.Fatalf("after 200: %s", r.phase("a"))
	}
	if out := r.e.ExtRinging(r.now, id); len(out) != 0 {
		t.Errorf("ringing after the answer gave %+v", out)
	}
	r.apply(r.e.FarHold(r.now, id, true))
	if c := r.states["a"].Calls[0]; !c.RemoteHeld || c.Phase != session.PhaseTalking {
		t.Errorf("after the far end's hold: %+v", c)
	}
	r.apply(r.e.FarHold(r.now, id, false))
	if c := r.states["a"].Calls[0]; c.RemoteHeld || c.Phase != session.PhaseTalking {
		t.Errorf("after the far end's retrieve: %+v", c)
	}
	if out := r.e.FarHold(r.now, "nope", true); len(out) != 0 {
		t.Errorf("far hold of an unknown call gave %+v", out)
	}
	if out := r.e.ExtRinging(r.now, "nope"); len(out) != 0 {
		t.Errorf("ringing of an unknown call gave %+v", out)
	}
}
