package acd

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// media collects the media operations of outs.
func mediaOps(out []Output) []MediaOp {
	var ops []MediaOp
	for _, o := range out {
		if o.Media != nil {
			ops = append(ops, *o.Media)
		}
	}
	return ops
}

// TestCallbackKeepsItsPlace: a queued kiosk books a callback and hangs up;
// a caller queued after it stays behind; when ana is ready she is offered
// the callback (marked, with the number and the wait); answering rings the
// kiosk's session, and the kiosk answering connects them. Records say
// callback.
func TestCallbackKeepsItsPlace(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "sales", WrapUp: time.Second})
	r.user("ana", session.RoleAgent, "sales")
	r.user("kiosk", session.RoleKiosk, "sales")
	r.user("late", session.RoleKiosk, "sales")
	r.must("ana", "checkin")
	r.must("kiosk", "call")
	r.advance(10 * time.Second)
	r.must("late", "call")
	r.advance(20 * time.Second)
	if err := r.do("ana", "callback"); err == nil {
		t.Fatal("an agent booked a callback")
	}
	r.must("kiosk", "callback +15550100")
	k := r.states["kiosk"]
	if len(k.Calls) != 0 || !k.Callback.Booked || k.Callback.Number != "+15550100" || k.Callback.Position != 1 {
		t.Fatalf("kiosk after callback: calls %d, %+v", len(k.Calls), k.Callback)
	}
	if err := r.do("kiosk", "call"); err == nil {
		t.Fatal("a kiosk with a callback booked called again")
	}
	st := r.e.QueueStats(r.now)[0]
	if st.Waiting != 2 || st.Callbacks != 1 {
		t.Fatalf("board: waiting %d callbacks %d, want 2 and 1", st.Waiting, st.Callbacks)
	}
	r.must("ana", "ready")
	c, ok := r.states["ana"].Ringing()
	if !ok || !c.Callback || c.From != "+15550100" || c.Wait != session.Secs(30*time.Second) {
		t.Fatalf("ana's offer: %+v", c)
	}
	out, err := r.e.Do(r.now, "ana", session.Command{Verb: session.VerbAnswer})
	if err != nil {
		t.Fatal(err)
	}
	r.apply(out)
	if r.phase("ana") != session.PhaseDialing {
		t.Fatalf("ana after answer: %s, want dialing", r.phase("ana"))
	}
	kr, ok := r.states["kiosk"].Ringing()
	if !ok || !kr.Callback || kr.To != "+15550100" {
		t.Fatalf("the kiosk is not rung back: %+v", r.states["kiosk"].Calls)
	}
	if len(mediaOps(out)) != 0 {
		t.Fatalf("media before the caller answered: %+v", mediaOps(out))
	}
	r.advance(3 * time.Second)
	out, err = r.e.Do(r.now, "kiosk", session.Command{Verb: session.VerbAnswer})
	if err != nil {
		t.Fatal(err)
	}
	r.apply(out)
	if r.phase("kiosk") != session.PhaseTalking || r.phase("ana") != session.PhaseTalking {
		t.Fatalf("after the kiosk answered: kiosk %s ana %s", r.phase("kiosk"), r.phase("ana"))
	}
	ops := mediaOps(out)
	if len(ops) != 1 || ops[0].Kind != MediaConnected || ops[0].Legs[0] != "kiosk" || ops[0].Legs[1] != "ana" {
		t.Fatalf("media: %+v", ops)
	}
	if !r.states["late"].Queue.Waiting {
		t.Fatal("the later caller left the queue")
	}
	r.advance(30 * time.Second)
	r.must("ana", "hangup")
	if len(r.records) != 2 || r.records[0].Disposition != "callback" || r.records[1].Disposition != "answered" ||
		r.records[1].Note != "callback" || r.records[1].From != "+15550100" || r.records[1].Talk != 30*time.Second {
		t.Fatalf("records: %+v", r.records)
	}
}

// TestCallbackDialsTheNumber: a simulated caller's callback dials its
// number (an external leg) when the agent answers.
func TestCallbackDialsTheNumber(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "sales"})
	r.user("ana", session.RoleAgent, "sales")
	r.must("ana", "checkin")
	id, out, err := r.e.SimCall(r.now, "+34600111222", "sales")
	if err != nil {
		t.Fatal(err)
	}
	r.apply(out)
	r.advance(5 * time.Second)
	out, err = r.e.Do(r.now, id, session.Command{Verb: session.VerbCallback})
	if err != nil {
		t.Fatal(err)
	}
	r.apply(out)
	r.must("ana", "ready")
	if c, ok := r.states["ana"].Ringing(); !ok || !c.Callback || c.From != "+34600111222" {
		t.Fatalf("offer: %+v", r.states["ana"].Calls)
	}
	r.must("ana", "answer")
	r.now = r.now.Add(3 * time.Second)
	out = r.e.Fire(r.now)
	r.apply(out)
	ops := mediaOps(out)
	if len(ops) != 1 || ops[0].Legs[0] != "ext:+34600111222" || r.phase("ana") != session.PhaseTalking {
		t.Fatalf("after the number answered: ana %s, media %+v", r.phase("ana"), ops)
	}
}

// TestCallbackCancelAndUnreachable: leave cancels a booked callback; a
// kiosk gone when its callback comes, with no number, fails the callback.
func TestCallbackCancelAndUnreachable(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "sales"})
	r.user("ana", session.RoleAgent, "sales")
	r.user("kiosk", session.RoleKiosk, "sales")
	r.must("ana", "checkin")
	r.must("kiosk", "call")
	r.must("kiosk", "callback")
	r.must("kiosk", "leave")
	if r.states["kiosk"].Callback.Booked || r.e.QueueStats(r.now)[0].Waiting != 0 {
		t.Fatalf("leave did not cancel: %+v", r.states["kiosk"].Callback)
	}
	r.must("kiosk", "call")
	r.must("kiosk", "callback")
	r.apply(r.e.Disconnect(r.now, "kiosk"))
	r.must("ana", "ready")
	r.must("ana", "answer")
	if r.phase("ana") != session.PhaseEnded {
		t.Fatalf("ana: %s, want the callback over", r.phase("ana"))
	}
	last := r.records[len(r.records)-1]
	if last.Disposition != "no_answer" || last.Note != "callback" {
		t.Fatalf("record: %+v", last)
	}
}

// TestRecordingPolicy: always starts recording when the call connects and
// refuses record off; on-demand takes record on and off; never refuses
// record on; the media layer's word becomes the REC mark for both parties,
// and a late write error too.
func TestRecordingPolicy(t *testing.T) {
	for _, mode := range []RecordMode{RecordAlways, RecordOnDemand, RecordNever} {
		t.Run(string(mode), func(t *testing.T) {
			r := newRig(t, GroupConfig{ID: "sales", Record: mode})
			r.user("ana", session.RoleAgent, "sales")
			r.user("kiosk", session.RoleKiosk, "sales")
			r.must("ana", "checkin")
			r.must("ana", "ready")
			r.must("kiosk", "call")
			out, err := r.e.Do(r.now, "ana", session.Command{Verb: session.VerbAnswer})
			if err != nil {
				t.Fatal(err)
			}
			r.apply(out)
			var rec []MediaOp
			for _, op := range mediaOps(out) {
				if op.Kind == MediaRecord {
					rec = append(rec, op)
				}
			}
			if (mode == RecordAlways) != (len(rec) == 1 && rec[0].Record) {
				t.Fatalf("record ops at answer: %+v", rec)
			}
			errOn, errOff := r.do("ana", "record on"), r.do("ana", "record off")
			switch mode {
			case RecordAlways:
				if errOn != nil || errOff == nil {
					t.Fatalf("on %v off %v", errOn, errOff)
				}
			case RecordOnDemand:
				if errOn != nil || errOff != nil {
					t.Fatalf("on %v off %v", errOn, errOff)
				}
			case RecordNever:
				if errOn == nil {
					t.Fatal("record on accepted")
				}
				return
			}
			call := r.states["ana"].Calls[0].ID
			r.apply(r.e.RecordingChanged(r.now, call, "/rec/"+call+".wav", true, ""))
			for _, who := range []string{"ana", "kiosk"} {
				if c := r.states[who].Calls[0]; !c.Recording {
					t.Fatalf("%s: no REC mark", who)
				}
			}
			r.apply(r.e.RecordingChanged(r.now, call, "/rec/"+call+".wav", false, "the disk is full"))
			for _, who := range []string{"ana", "kiosk"} {
				if c := r.states[who].Calls[0]; c.Recording || c.RecordError != "the disk is full" || c.Phase != session.PhaseTalking {
					t.Fatalf("%s after the disk filled: %+v", who, c)
				}
			}
		})
	}
}

// TestCallbackSnapshot: a console that reconnects while a callback is
// being made learns it as it is: the agent dialling, the kiosk ringing.
func TestCallbackSnapshot(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "sales"})
	r.user("ana", session.RoleAgent, "sales")
	r.user("kiosk", session.RoleKiosk, "sales")
	r.must("ana", "checkin")
	r.must("kiosk", "call")
	r.must("kiosk", "callback")
	r.must("ana", "ready")
	r.must("ana", "answer")
	for who, want := range map[string]session.Phase{"ana": session.PhaseDialing, "kiosk": session.PhaseRinging} {
		var s session.State
		for _, o := range r.e.Snapshot(r.now, who) {
			s = session.Apply(s, o.Event)
		}
		if len(s.Calls) != 1 || s.Calls[0].Phase != want || !s.Calls[0].Callback {
			t.Errorf("%s's snapshot: %+v, want one callback %s", who, s.Calls, want)
		}
	}
}

// TestSupervisorRecordsAnAgentsCall: record on AGENT is a supervisor's.
func TestSupervisorRecordsAnAgentsCall(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "sales"})
	r.user("ana", session.RoleAgent, "sales")
	r.user("bo", session.RoleAgent, "sales")
	r.user("sue", session.RoleSupervisor, "sales")
	r.user("kiosk", session.RoleKiosk, "sales")
	r.must("ana", "checkin")
	r.must("ana", "ready")
	r.must("kiosk", "call")
	r.must("ana", "answer")
	if err := r.do("bo", "record on ana"); err == nil {
		t.Fatal("an agent recorded another agent's call")
	}
	if err := r.do("sue", "record on bo"); err == nil {
		t.Fatal("record on an agent with no call accepted")
	}
	out, err := r.e.Do(r.now, "sue", session.Command{Verb: session.VerbRecord, Record: "on", Agent: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	if ops := mediaOps(out); len(ops) != 1 || ops[0].Kind != MediaRecord || !ops[0].Record {
		t.Fatalf("media: %+v", ops)
	}
	// A supervisor listening records the call it listens to.
	r.must("sue", "listen ana")
	out, err = r.e.Do(r.now, "sue", session.Command{Verb: session.VerbRecord, Record: "off"})
	if err != nil {
		t.Fatal(err)
	}
	if ops := mediaOps(out); len(ops) != 1 || ops[0].Kind != MediaRecord || ops[0].Record {
		t.Fatalf("media: %+v", ops)
	}
}
