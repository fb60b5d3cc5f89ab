package session_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

func fx(t testing.TB, name string) []session.Event {
	t.Helper()
	for _, f := range fixtures() {
		if f.name == name {
			return f.es
		}
	}
	t.Fatalf("no fixture %q", name)
	return nil
}

// transitionCase is one row of a reducer table: from the state the events
// make, e gives a state that want accepts, or an error wrapping wantErr.
type transitionCase struct {
	name    string
	from    string // fixture name
	extra   []session.Event
	e       session.Event
	wantErr error
	want    func(t *testing.T, s session.State)
}

func runTransitions(t *testing.T, cases []transitionCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := build(t, join(fx(t, tc.from), tc.extra)...)
			next, err := session.Transition(s, tc.e)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				if !sameExceptNow(next, s) {
					t.Errorf("refused event changed the state")
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected refusal: %v", err)
			}
			for _, msg := range invariants(s, next) {
				t.Errorf("invariant: %s", msg)
			}
			if tc.want != nil {
				tc.want(t, next)
			}
		})
	}
}

func wantAgent(st session.AgentState) func(*testing.T, session.State) {
	return func(t *testing.T, s session.State) {
		t.Helper()
		if s.Agent.State != st {
			t.Errorf("agent state = %s, want %s", s.Agent.State, st)
		}
	}
}

func wantPhase(id string, p session.Phase) func(*testing.T, session.State) {
	return func(t *testing.T, s session.State) {
		t.Helper()
		if p == session.PhaseEnded {
			if _, live := s.Call(id); live {
				t.Errorf("call %s still live", id)
			}
			if n := len(s.Recent); n == 0 || s.Recent[n-1].ID != id || s.Recent[n-1].Phase != session.PhaseEnded {
				t.Errorf("call %s is not the newest recent call: %+v", id, s.Recent)
			}
			return
		}
		c, ok := s.Call(id)
		if !ok {
			t.Fatalf("call %s not live", id)
		}
		if c.Phase != p {
			t.Errorf("call %s phase = %s, want %s", id, c.Phase, p)
		}
	}
}

func all(fs ...func(*testing.T, session.State)) func(*testing.T, session.State) {
	return func(t *testing.T, s session.State) {
		t.Helper()
		for _, f := range fs {
			f(t, s)
		}
	}
}

func TestTransitionsAgentState(t *testing.T) {
	runTransitions(t, []transitionCase{
		{name: "signed_in->agent.checked_in->not_ready", from: "signed in", e: evCheckIn,
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentNotReady)(t, s)
				if !s.CheckedIn || len(s.Groups) != 1 || s.Groups[0] != "sales" {
					t.Errorf("checked in %v to %v", s.CheckedIn, s.Groups)
				}
			}},
		{name: "offline->agent.checked_in->not_ready", from: "offline", e: session.AgentCheckedIn{Base: base(9), OK: true}, want: wantAgent(session.AgentNotReady)},
		{name: "offline->agent.checked_in(failed)->offline", from: "offline", e: session.AgentCheckedIn{Base: base(9), OK: false, Message: "no seat"},
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentOffline)(t, s)
				if s.CheckedIn {
					t.Errorf("failed check-in checked in")
				}
			}},
		{name: "ready->agent.checked_in->ready", from: "ready", e: session.AgentCheckedIn{Base: base(9), OK: true, Groups: []string{"a", "b"}}, want: wantAgent(session.AgentReady)},
		{name: "ready->agent.checked_out->offline", from: "ready", e: session.AgentCheckedOut{Base: base(9), OK: true},
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentOffline)(t, s)
				if s.CheckedIn || s.Groups != nil {
					t.Errorf("still checked in to %v", s.Groups)
				}
			}},
		{name: "ready->agent.checked_out(failed)->ready", from: "ready", e: session.AgentCheckedOut{Base: base(9)}, want: wantAgent(session.AgentReady)},
		{name: "not_ready->agent.state(ready)->ready", from: "not_ready", e: evReady, want: wantAgent(session.AgentReady)},
		{name: "ready->agent.state(not_ready)->not_ready", from: "ready", e: session.AgentStateChanged{Base: base(9), State: session.AgentNotReady, Reason: "meeting"},
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentNotReady)(t, s)
				if s.Agent.Reason != "meeting" || !s.Agent.Since.Equal(at(9)) {
					t.Errorf("agent = %+v", s.Agent)
				}
			}},
		{name: "ready->agent.state(offline)->offline", from: "ready", e: session.AgentStateChanged{Base: base(9), State: session.AgentOffline},
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentOffline)(t, s)
				if s.CheckedIn {
					t.Errorf("offline but checked in")
				}
			}},
		{name: "signed_in->agent.state(ready)->ready+checked_in", from: "signed in", e: evReady,
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentReady)(t, s)
				if !s.CheckedIn {
					t.Errorf("an agent the ACD calls ready is checked in")
				}
			}},
		{name: "wrap_up->agent.state(ready)->ready", from: "wrap_up", e: session.AgentStateChanged{Base: base(50), State: session.AgentReady}, want: wantAgent(session.AgentReady)},
		{name: "ready->agent.state(wrap_up)->refused", from: "ready", e: session.AgentStateChanged{Base: base(9), State: session.AgentWrapUp}, wantErr: session.ErrNoCallToWrapUp},
		{name: "talking->agent.state(wrap_up)->wrap_up", from: "talking", e: session.AgentStateChanged{Base: base(30), State: session.AgentWrapUp}, want: wantAgent(session.AgentWrapUp)},
		{name: "ready->agent.state(dancing)->refused", from: "ready", e: session.AgentStateChanged{Base: base(9), State: "dancing"}, wantErr: session.ErrInvalidEvent},
		{name: "ready->agent.state(unknown)->refused", from: "ready", e: session.AgentStateChanged{Base: base(9)}, wantErr: session.ErrInvalidEvent},
		{name: "ready->agent.state(me,rest)->rest", from: "ready", e: session.AgentStateChanged{Base: base(9), Agent: "me", State: session.AgentRest}, want: wantAgent(session.AgentRest)},
		{name: "ready->agent.state(ana,rest)->ready+roster", from: "ready", e: session.AgentStateChanged{Base: base(9), Agent: "ana", State: session.AgentRest},
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentReady)(t, s)
				if s.Roster["ana"].State != session.AgentRest {
					t.Errorf("roster = %v", s.Roster)
				}
			}},
		{name: "wrap_up->agent.state(wrap_up,limit)->wrap_up with deadline", from: "wrap_up",
			e: session.AgentStateChanged{Base: base(41), State: session.AgentWrapUp, Limit: session.Secs(30 * time.Second)},
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentWrapUp)(t, s)
				if got := s.Agent.Deadline(); !got.Equal(at(71)) {
					t.Errorf("wrap-up deadline = %v, want %v", got, at(71))
				}
			}},
		{name: "ready->agent.state(rest,limit)->rest with deadline", from: "ready",
			e: session.AgentStateChanged{Base: base(60), State: session.AgentRest, Reason: "lunch", Limit: session.Secs(15 * time.Minute)},
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentRest)(t, s)
				if got := s.Agent.Deadline(); !got.Equal(at(60 + 15*60)) {
					t.Errorf("rest deadline = %v", got)
				}
				if s.Agent.RestOverdue {
					t.Errorf("overdue at the start of rest")
				}
			}},
		{name: "ready->agent.state(ready)->ready without deadline", from: "ready", e: session.AgentStateChanged{Base: base(60), State: session.AgentReady},
			want: func(t *testing.T, s session.State) {
				if d := s.Agent.Deadline(); !d.IsZero() {
					t.Errorf("deadline %v when ready", d)
				}
			}},
		{name: "rest->agent.rest_timeout->rest overdue", from: "rest", e: session.AgentRestTimeout{Base: base(1000)},
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentRest)(t, s)
				if !s.Agent.RestOverdue {
					t.Errorf("not overdue")
				}
				if s.Agent.Reason != "lunch" {
					t.Errorf("rest reason lost: %q", s.Agent.Reason)
				}
			}},
		{name: "ready->agent.rest_timeout->refused", from: "ready", e: session.AgentRestTimeout{Base: base(9)}, wantErr: session.ErrBadTransition},
		{name: "ready->agent.rest_timeout(ana)->ready", from: "ready", e: session.AgentRestTimeout{Base: base(9), Agent: "ana"}, want: wantAgent(session.AgentReady)},
	})
}

func TestRestOverdueClearsOnNewRest(t *testing.T) {
	s := build(t, join(fx(t, "rest"), evs(
		session.AgentRestTimeout{Base: base(1000)},
		session.AgentStateChanged{Base: base(1001), State: session.AgentReady},
		session.AgentStateChanged{Base: base(1002), State: session.AgentRest},
	))...)
	if s.Agent.RestOverdue {
		t.Errorf("a new rest starts overdue")
	}
}

func TestTransitionsCallPhases(t *testing.T) {
	runTransitions(t, []transitionCase{
		{name: "ready->call.ringing->busy", from: "ready", e: evRing1,
			want: all(wantAgent(session.AgentBusy), wantPhase("c1", session.PhaseRinging), func(t *testing.T, s session.State) {
				c, _ := s.Ringing()
				if c.ID != "c1" || c.Direction != session.DirInbound || c.From != "+15550001" || c.Remote() != "+15550001" || !c.Started.Equal(at(10)) {
					t.Errorf("ringing call %+v", c)
				}
				if c.Wait != session.Unknown {
					t.Errorf("wait %v before answer, want unknown", c.Wait)
				}
			})},
		{name: "ready->call.ringing(no direction)->inbound", from: "ready", e: session.CallRinging{CallBase: cb(10, "c1")},
			want: func(t *testing.T, s session.State) {
				if c, _ := s.Call("c1"); c.Direction != session.DirInbound {
					t.Errorf("direction %q", c.Direction)
				}
			}},
		{name: "not_ready->call.dialing->busy", from: "not_ready", e: evDial1,
			want: all(wantAgent(session.AgentBusy), wantPhase("c1", session.PhaseDialing), func(t *testing.T, s session.State) {
				c, _ := s.Call("c1")
				if c.Direction != session.DirOutbound || c.Remote() != "+15559999" {
					t.Errorf("dialled call %+v", c)
				}
			})},
		{name: "dialing->call.ringing(outbound, same id)->far end ringing", from: "dialing",
			e: session.CallRinging{CallBase: cb(12, "c1"), Direction: session.DirOutbound},
			want: all(wantAgent(session.AgentBusy), wantPhase("c1", session.PhaseRinging), func(t *testing.T, s session.State) {
				c, _ := s.Call("c1")
				if c.Direction != session.DirOutbound || c.Remote() != "+15559999" || !c.Started.Equal(at(10)) {
					t.Errorf("far end ringing: call %+v", c)
				}
				if _, ok := s.Ringing(); ok {
					t.Errorf("an outbound call ringing at the far end is a call to answer")
				}
				if p, ok := s.Placing(); !ok || p.ID != "c1" {
					t.Errorf("Placing() = %v %v", p.ID, ok)
				}
			})},
		{name: "ringing->call.ringing(outbound, same id)->refused", from: "ringing",
			e: session.CallRinging{CallBase: cb(12, "c1"), Direction: session.DirOutbound}, wantErr: session.ErrDuplicateCall},
		{name: "ringing->call.ringing(same id)->refused", from: "ringing", e: evRing1, wantErr: session.ErrDuplicateCall},
		{name: "ringing->call.dialing(same id)->refused", from: "ringing", e: evDial1, wantErr: session.ErrDuplicateCall},
		{name: "wrap_up->call.ringing(ended id)->refused", from: "wrap_up", e: session.CallRinging{CallBase: cb(50, "c1")}, wantErr: session.ErrCallEnded},
		{name: "ready->call.ringing(no id)->refused", from: "ready", e: session.CallRinging{CallBase: cb(10, "")}, wantErr: session.ErrInvalidEvent},
		{name: "ready->call.answered(unknown)->refused", from: "ready", e: evAnswer1, wantErr: session.ErrUnknownCall},
		{name: "ringing->call.answered->talking", from: "ringing", e: evAnswer1,
			want: all(wantPhase("c1", session.PhaseTalking), wantAgent(session.AgentBusy), func(t *testing.T, s session.State) {
				c, _ := s.Talking()
				if !c.Answered.Equal(at(12)) || c.Wait != session.Secs(20*time.Second) {
					t.Errorf("answered call %+v", c)
				}
			})},
		{name: "dialing->call.answered->talking", from: "dialing", e: session.CallAnswered{CallBase: cb(12, "c1")}, want: wantPhase("c1", session.PhaseTalking)},
		{name: "talking->call.answered->refused", from: "talking", e: evAnswer1, wantErr: session.ErrBadTransition},
		{name: "talking->call.held->held", from: "talking", e: evHold1,
			want: all(wantPhase("c1", session.PhaseHeld), func(t *testing.T, s session.State) {
				if _, ok := s.Active(); ok {
					t.Errorf("a held call is active")
				}
			})},
		{name: "ringing->call.held->refused", from: "ringing", e: evHold1, wantErr: session.ErrBadTransition},
		{name: "held->call.held->refused", from: "held", e: session.CallHeld{CallBase: cb(25, "c1")}, wantErr: session.ErrBadTransition},
		{name: "held->call.retrieved->talking", from: "held", e: session.CallRetrieved{CallBase: cb(25, "c1")},
			want: all(wantPhase("c1", session.PhaseTalking), func(t *testing.T, s session.State) {
				c, _ := s.Talking()
				if c.HeldTotal != 5*time.Second || !c.HeldSince.IsZero() {
					t.Errorf("held total %v since %v, want 5s", c.HeldTotal, c.HeldSince)
				}
				if got := c.TalkTime(at(30)); got != 13*time.Second {
					t.Errorf("talk time at +30 s = %v, want 13s (18 s answered less 5 s held)", got)
				}
			})},
		{name: "talking->call.held(remote)->talking, held by the far end", from: "talking", e: session.CallHeld{CallBase: cb(25, "c1"), Remote: true},
			want: all(wantPhase("c1", session.PhaseTalking), func(t *testing.T, s session.State) {
				c, _ := s.Talking()
				if !c.RemoteHeld || !c.HeldSince.IsZero() || c.TalkTime(at(30)) != 18*time.Second {
					t.Errorf("remote hold changed our hold: %+v", c)
				}
			})},
		{name: "held->call.held(remote)->both hold", from: "held", e: session.CallHeld{CallBase: cb(25, "c1"), Remote: true},
			want: wantPhase("c1", session.PhaseHeld)},
		{name: "ringing->call.held(remote)->refused", from: "ringing", e: session.CallHeld{CallBase: cb(25, "c1"), Remote: true}, wantErr: session.ErrBadTransition},
		{name: "talking->call.retrieved(remote)->talking", from: "talking", e: session.CallRetrieved{CallBase: cb(25, "c1"), Remote: true},
			want: all(wantPhase("c1", session.PhaseTalking), func(t *testing.T, s session.State) {
				if c, _ := s.Talking(); c.RemoteHeld {
					t.Errorf("still held by the far end")
				}
			})},
		{name: "talking->call.transferring->talking, progress kept", from: "talking", e: session.CallTransferring{CallBase: cb(25, "c1"), To: "203", Status: 180, Reason: "Ringing"},
			want: all(wantPhase("c1", session.PhaseTalking), func(t *testing.T, s session.State) {
				c, _ := s.Talking()
				if c.Transfer != (session.TransferProgress{To: "203", Status: 180, Reason: "Ringing"}) || c.Transfer.Failed() {
					t.Errorf("transfer progress %+v", c.Transfer)
				}
			})},
		{name: "ringing->call.transferring->refused", from: "ringing", e: session.CallTransferring{CallBase: cb(25, "c1"), To: "203", Status: 100}, wantErr: session.ErrBadTransition},
		{name: "talking->call.retrieved->refused", from: "talking", e: session.CallRetrieved{CallBase: cb(25, "c1")}, wantErr: session.ErrBadTransition},
		{name: "talking+ringing->call.answered->second talking, first held", from: "talking+ringing", e: evAnswer2,
			want: all(wantPhase("c1", session.PhaseHeld), wantPhase("c2", session.PhaseTalking))},
		{name: "talking+held->call.retrieved(c1)->c1 talking, c2 held", from: "talking+held", e: session.CallRetrieved{CallBase: cb(35, "c1")},
			want: all(wantPhase("c1", session.PhaseTalking), wantPhase("c2", session.PhaseHeld))},
		{name: "talking+held->call.ended(c2)->busy with c1 held", from: "talking+held", e: session.CallEnded{CallBase: cb(35, "c2"), By: session.ByCustomer},
			want: all(wantPhase("c2", session.PhaseEnded), wantPhase("c1", session.PhaseHeld), wantAgent(session.AgentBusy))},
		{name: "busy->call.ended->wrap_up", from: "talking", e: evEnd1,
			want: all(wantPhase("c1", session.PhaseEnded), wantAgent(session.AgentWrapUp), func(t *testing.T, s session.State) {
				c := s.Recent[len(s.Recent)-1]
				if c.EndedBy != session.ByCustomer || !c.Ended.Equal(at(40)) || c.Duration != session.Secs(28*time.Second) {
					t.Errorf("ended call %+v", c)
				}
				if s.OnCall() {
					t.Errorf("still on a call")
				}
			})},
		{name: "held->call.ended->wrap_up with hold time", from: "held", e: session.CallEnded{CallBase: cb(30, "c1"), By: session.ByAgent, Duration: session.Secs(99 * time.Second)},
			want: all(wantAgent(session.AgentWrapUp), func(t *testing.T, s session.State) {
				c := s.Recent[len(s.Recent)-1]
				if c.HeldTotal != 10*time.Second || !c.HeldSince.IsZero() {
					t.Errorf("held %v since %v", c.HeldTotal, c.HeldSince)
				}
				if c.Duration != session.Secs(99*time.Second) {
					t.Errorf("duration %v, want the event's", c.Duration)
				}
			})},
		{name: "wrap_up->call.ended(again)->refused", from: "wrap_up", e: evEnd1, wantErr: session.ErrCallEnded},
		{name: "wrap_up->call.held(ended)->refused", from: "wrap_up", e: evHold1, wantErr: session.ErrCallEnded},
		{name: "ringing->call.rejected->not busy", from: "ringing", e: session.CallRejected{CallBase: cb(15, "c1"), By: session.ByAgent},
			want: all(wantPhase("c1", session.PhaseEnded), func(t *testing.T, s session.State) {
				if s.Recent[0].Outcome != "rejected" || s.Recent[0].EndedBy != session.ByAgent {
					t.Errorf("rejected call %+v", s.Recent[0])
				}
			})},
		{name: "talking->call.rejected->refused", from: "talking", e: session.CallRejected{CallBase: cb(15, "c1")}, wantErr: session.ErrBadTransition},
		{name: "dialing->call.failed->ended", from: "dialing", e: session.CallFailed{CallBase: cb(15, "c1"), Reason: "busy"},
			want: all(wantPhase("c1", session.PhaseEnded), func(t *testing.T, s session.State) {
				if s.Recent[0].Outcome != "failed: busy" || s.Recent[0].EndedBy != session.BySystem {
					t.Errorf("failed call %+v", s.Recent[0])
				}
			})},
		{name: "talking->call.failed->refused", from: "talking", e: session.CallFailed{CallBase: cb(15, "c1")}, wantErr: session.ErrBadTransition},
		{name: "talking->call.transferred->ended", from: "talking", e: session.CallTransferred{CallBase: cb(20, "c1"), ToGroup: "support"},
			want: all(wantPhase("c1", session.PhaseEnded), wantAgent(session.AgentWrapUp), func(t *testing.T, s session.State) {
				if got := s.Recent[0].Outcome; got != "transferred to support" {
					t.Errorf("outcome %q", got)
				}
			})},
		{name: "talking->call.transferred(no target)->ended", from: "talking", e: session.CallTransferred{CallBase: cb(20, "c1")},
			want: func(t *testing.T, s session.State) {
				if got := s.Recent[0].Outcome; got != "transferred" {
					t.Errorf("outcome %q", got)
				}
			}},
		{name: "talking->call.media(lost)->talking", from: "talking", e: session.CallMedia{CallBase: cb(20, "c1"), State: session.MediaLost},
			want: func(t *testing.T, s session.State) {
				if c, _ := s.Call("c1"); c.Media != session.MediaLost || c.Phase != session.PhaseTalking {
					t.Errorf("call %+v", c)
				}
			}},
		{name: "talking->call.media(bogus)->refused", from: "talking", e: session.CallMedia{CallBase: cb(20, "c1"), State: "bogus"}, wantErr: session.ErrInvalidEvent},
		{name: "talking->call.conference->parties", from: "talking", e: session.CallConference{CallBase: cb(20, "c1"), Parties: []string{"me", "cust", "sup"}},
			want: func(t *testing.T, s session.State) {
				if c, _ := s.Call("c1"); len(c.Parties) != 3 {
					t.Errorf("parties %v", c.Parties)
				}
			}},
		{name: "talking->call.monitored(barge)->monitored", from: "talking", e: session.CallMonitored{CallBase: cb(20, "c1"), Mode: session.MonitorBarge, By: "sup"},
			want: func(t *testing.T, s session.State) {
				if c, _ := s.Call("c1"); c.Monitor != session.MonitorBarge || c.MonitoredBy != "sup" {
					t.Errorf("call %+v", c)
				}
			}},
		{name: "talking->call.monitored(none)->unmonitored", from: "talking", extra: evs(session.CallMonitored{CallBase: cb(20, "c1"), Mode: session.MonitorListen, By: "sup"}),
			e: session.CallMonitored{CallBase: cb(21, "c1"), By: "sup"},
			want: func(t *testing.T, s session.State) {
				if c, _ := s.Call("c1"); c.Monitor != session.MonitorNone || c.MonitoredBy != "" {
					t.Errorf("call %+v", c)
				}
			}},
		{name: "talking->call.monitored(spy)->refused", from: "talking", e: session.CallMonitored{CallBase: cb(20, "c1"), Mode: "spy"}, wantErr: session.ErrInvalidEvent},
		{name: "talking->call.muted->muted", from: "talking", e: session.CallMuted{CallBase: cb(20, "c1"), Muted: true},
			want: func(t *testing.T, s session.State) {
				if c, _ := s.Call("c1"); !c.Muted {
					t.Errorf("not muted")
				}
			}},
		{name: "talking->call.quality->quality", from: "talking", e: session.CallQuality{CallBase: cb(20, "c1"), Quality: session.Quality{MOS: 3.9}},
			want: func(t *testing.T, s session.State) {
				if c, _ := s.Call("c1"); !c.HasQuality || c.Quality.MOS != 3.9 {
					t.Errorf("quality %+v", c.Quality)
				}
			}},
		{name: "talking->call.dtmf->digits", from: "talking", extra: evs(session.CallDTMF{CallBase: cb(20, "c1"), Digits: "12"}),
			e: session.CallDTMF{CallBase: cb(21, "c1"), Digits: "3#"},
			want: func(t *testing.T, s session.State) {
				if c, _ := s.Call("c1"); c.DTMF != "123#" {
					t.Errorf("dtmf %q", c.DTMF)
				}
			}},
	})
}

func TestDTMFIsBounded(t *testing.T) {
	es := fx(t, "talking")
	for i := range 40 {
		es = append(es, session.CallDTMF{CallBase: cb(20+i, "c1"), Digits: "0123"})
	}
	s := build(t, es...)
	c, _ := s.Call("c1")
	if len(c.DTMF) != 64 || !strings.HasSuffix(c.DTMF, "0123") {
		t.Errorf("dtmf has %d digits", len(c.DTMF))
	}
}

func TestRecentIsBounded(t *testing.T) {
	es := fx(t, "ready")
	for i := range session.MaxRecent + 5 {
		id := "r" + string(rune('a'+i))
		es = append(es, session.CallRinging{CallBase: cb(10+2*i, id)}, session.CallEnded{CallBase: cb(11+2*i, id)})
	}
	s := build(t, es...)
	if len(s.Recent) != session.MaxRecent {
		t.Fatalf("%d recent calls", len(s.Recent))
	}
	if s.Recent[len(s.Recent)-1].ID != "r"+string(rune('a'+session.MaxRecent+4)) {
		t.Errorf("newest recent call is %s", s.Recent[len(s.Recent)-1].ID)
	}
}

// TestNeverAnsweredCallEnd: a call that never connected gives the agent back
// the state it had before the call; one that talked goes to wrap-up.
func TestNeverAnsweredCallEnd(t *testing.T) {
	runTransitions(t, []transitionCase{
		{name: "ready->call.ringing->call.ended(abandoned)->ready", from: "ringing",
			e: session.CallEnded{CallBase: cb(15, "c1"), By: session.ByCustomer}, want: wantAgent(session.AgentReady)},
		{name: "ready->call.ringing->call.rejected->ready", from: "ringing",
			e: session.CallRejected{CallBase: cb(15, "c1"), By: session.ByAgent}, want: wantAgent(session.AgentReady)},
		{name: "not_ready->call.dialing->call.failed->not_ready", from: "dialing",
			e: session.CallFailed{CallBase: cb(15, "c1"), Reason: "busy"}, want: wantAgent(session.AgentNotReady)},
		{name: "rest->call.dialing->call.failed->rest with its deadline", from: "rest",
			extra: evs(session.CallDialing{CallBase: cb(10, "c1"), To: "1"}),
			e:     session.CallFailed{CallBase: cb(15, "c1"), Reason: "busy"},
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentRest)(t, s)
				if s.Agent.Reason != "lunch" || !s.Agent.Deadline().Equal(at(3+15*60)) {
					t.Errorf("rest not restored: %+v", s.Agent)
				}
			}},
		{name: "talking+ringing->c1 ended->c2 rejected->wrap_up", from: "talking+ringing",
			extra: evs(session.CallEnded{CallBase: cb(33, "c1"), By: session.ByCustomer}),
			e:     session.CallRejected{CallBase: cb(34, "c2"), By: session.ByAgent}, want: wantAgent(session.AgentWrapUp)},
		{name: "offline->call.dialing->call.ended->offline", from: "offline",
			extra: evs(session.CallDialing{CallBase: cb(10, "c1"), To: "1"}, session.CallAnswered{CallBase: cb(11, "c1")}),
			e:     session.CallEnded{CallBase: cb(15, "c1")}, want: wantAgent(session.AgentOffline)},
		{name: "ready->agent.state(busy)->call.ringing->call.ended->ready", from: "ready",
			extra: evs(session.AgentStateChanged{Base: base(9), State: session.AgentBusy}, evRing1),
			e:     session.CallEnded{CallBase: cb(15, "c1")}, want: wantAgent(session.AgentReady)},
		{name: "talking->agent.state(ready)->call.ended->ready", from: "talking",
			extra: evs(session.AgentStateChanged{Base: base(30), State: session.AgentReady}),
			e:     evEnd1, want: wantAgent(session.AgentReady)},
	})
}

func TestTransitionsKiosk(t *testing.T) {
	kiosk := signIn(session.RoleKiosk)
	runTransitions(t, []transitionCase{
		{name: "kiosk->call.dialing->dialing, agent state untouched", from: "kiosk idle", e: evKioskDia,
			want: all(wantPhase("k1", session.PhaseDialing), wantAgent(session.AgentUnknown))},
		{name: "kiosk dialing->queue.joined->waiting", from: "kiosk idle", extra: evs(evKioskDia), e: evQueued,
			want: func(t *testing.T, s session.State) {
				q := s.Queue
				if !q.Waiting || q.Position != 3 || q.EstimatedWait != session.Secs(150*time.Second) || q.Group != "sales" || !q.Since.Equal(at(11)) {
					t.Errorf("queue %+v", q)
				}
				if got := session.Humanize(q.EstimatedWait, session.LangEnglish); got != "about 3 minutes" {
					t.Errorf("humanized wait %q", got)
				}
			}},
		{name: "kiosk waiting->queue.updated->moved up", from: "kiosk waiting", e: session.QueueUpdated{Base: base(15), Position: 1, EstimatedWait: session.Secs(20 * time.Second)},
			want: func(t *testing.T, s session.State) {
				if q := s.Queue; !q.Waiting || q.Position != 1 || q.EstimatedWait != session.Secs(20*time.Second) || !q.Since.Equal(at(11)) {
					t.Errorf("queue %+v", q)
				}
			}},
		{name: "kiosk idle->queue.updated->refused", from: "kiosk idle", e: session.QueueUpdated{Base: base(15), Position: 1}, wantErr: session.ErrNotQueued},
		{name: "kiosk waiting->queue.left(answered)->not waiting", from: "kiosk waiting", e: session.QueueLeft{Base: base(20), By: session.ByAnswered},
			want: func(t *testing.T, s session.State) {
				if s.Queue.Waiting || s.Queue.LeftBy != session.ByAnswered {
					t.Errorf("queue %+v", s.Queue)
				}
			}},
		{name: "kiosk waiting->call.answered->talking, out of the queue", from: "kiosk waiting", e: session.CallAnswered{CallBase: cb(20, "k1"), Wait: session.Secs(9 * time.Second)},
			want: all(wantPhase("k1", session.PhaseTalking), wantAgent(session.AgentUnknown), func(t *testing.T, s session.State) {
				if s.Queue.Waiting {
					t.Errorf("talking kiosk still waiting in the queue")
				}
			})},
		{name: "kiosk talking->call.transferred->waiting again", from: "kiosk talking", e: session.CallTransferred{CallBase: cb(30, "k1"), ToGroup: "support"},
			want: all(wantPhase("k1", session.PhaseDialing), func(t *testing.T, s session.State) {
				c, _ := s.Call("k1")
				if c.Team != "support" || c.Outcome != "transferred to support" {
					t.Errorf("call %+v", c)
				}
				if !s.Queue.Waiting || s.Queue.Group != "support" || s.Queue.EstimatedWait.Known() {
					t.Errorf("queue after transfer %+v", s.Queue)
				}
			})},
		{name: "kiosk held->call.transferred->waiting, hold time kept", from: "kiosk talking", extra: evs(session.CallHeld{CallBase: cb(25, "k1")}),
			e: session.CallTransferred{CallBase: cb(30, "k1"), ToAgent: "bo"},
			want: func(t *testing.T, s session.State) {
				c, _ := s.Call("k1")
				if !c.HeldSince.IsZero() || c.HeldTotal != 5*time.Second {
					t.Errorf("held since %v total %v", c.HeldSince, c.HeldTotal)
				}
			}},
		{name: "kiosk waiting->call.ended(customer)->idle", from: "kiosk waiting", e: session.CallEnded{CallBase: cb(30, "k1"), By: session.ByCustomer},
			want: all(wantPhase("k1", session.PhaseEnded), wantAgent(session.AgentUnknown), func(t *testing.T, s session.State) {
				if s.Queue.Waiting {
					t.Errorf("ended kiosk call still waiting")
				}
			})},
		{name: "kiosk talking->call.ended->ended, no wrap-up", from: "kiosk talking", e: session.CallEnded{CallBase: cb(30, "k1"), By: session.ByAgent},
			want: all(wantPhase("k1", session.PhaseEnded), wantAgent(session.AgentUnknown))},
		{name: "kiosk->queue.no_agents->not waiting", from: "kiosk waiting", e: session.QueueNoAgents{Base: base(12), Group: "sales"},
			want: func(t *testing.T, s session.State) {
				if s.Queue.Waiting || !s.Queue.NoAgents {
					t.Errorf("queue %+v", s.Queue)
				}
			}},
		{name: "kiosk no agents->queue.joined->waiting", from: "kiosk idle", extra: evs(session.QueueNoAgents{Base: base(5)}), e: evQueued,
			want: func(t *testing.T, s session.State) {
				if !s.Queue.Waiting || s.Queue.NoAgents {
					t.Errorf("queue %+v", s.Queue)
				}
			}},
	})
	// The whole flow, end to end.
	s := build(t, join(kiosk, evs(evKioskDia, evQueued,
		session.QueueUpdated{Base: base(12), Position: 1, EstimatedWait: session.Secs(10 * time.Second)},
		session.QueueLeft{Base: base(20), By: session.ByAnswered},
		session.CallAnswered{CallBase: cb(20, "k1")},
		session.CallTransferred{CallBase: cb(30, "k1"), ToGroup: "support"},
		session.QueueJoined{Base: base(31), Group: "support", Position: 1, EstimatedWait: session.Secs(40 * time.Second)},
		session.CallAnswered{CallBase: cb(40, "k1")},
		session.CallEnded{CallBase: cb(60, "k1"), By: session.ByCustomer},
	))...)
	if s.OnCall() || s.Queue.Waiting || len(s.Recent) != 1 || s.Recent[0].EndedBy != session.ByCustomer {
		t.Errorf("after the kiosk flow: calls %v queue %+v recent %+v", s.Calls, s.Queue, s.Recent)
	}
}

func TestTransitionsRoster(t *testing.T) {
	runTransitions(t, []transitionCase{
		{name: "supervisor->agent.roster->rows", from: "supervisor no rights", e: evRoster,
			want: func(t *testing.T, s session.State) {
				if len(s.Roster) != 2 || s.Roster["bo"].Call != "x1" || s.Roster["ana"].Name != "Ana" {
					t.Errorf("roster %v", s.Roster)
				}
			}},
		{name: "supervisor->agent.roster(empty id row)->skipped", from: "supervisor no rights",
			e: session.AgentRoster{Base: base(9), Agents: []session.RosterEntry{{ID: ""}, {ID: "cy", State: session.AgentReady}}},
			want: func(t *testing.T, s session.State) {
				if len(s.Roster) != 1 {
					t.Errorf("roster %v: a new roster replaces the old one and skips rows with no id", s.Roster)
				}
			}},
		{name: "roster->agent.state(ana,not_ready)->row updated", from: "supervisor with roster",
			e: session.AgentStateChanged{Base: base(9), Agent: "ana", State: session.AgentNotReady, Reason: "paused"},
			want: func(t *testing.T, s session.State) {
				r := s.Roster["ana"]
				if r.State != session.AgentNotReady || r.Reason != "paused" || !r.Since.Equal(at(9)) || r.Name != "Ana" {
					t.Errorf("row %+v", r)
				}
				if s.Agent.State == session.AgentNotReady {
					t.Errorf("another agent's state changed the supervisor's own")
				}
			}},
		{name: "roster->agent.state(bo,wrap_up)->call cleared", from: "supervisor with roster",
			e: session.AgentStateChanged{Base: base(9), Agent: "bo", State: session.AgentWrapUp},
			want: func(t *testing.T, s session.State) {
				if r := s.Roster["bo"]; r.State != session.AgentWrapUp || r.Call != "" {
					t.Errorf("row %+v", r)
				}
			}},
		{name: "roster->agent.state(bo,busy again)->since kept", from: "supervisor with roster",
			e: session.AgentStateChanged{Base: base(9), Agent: "bo", State: session.AgentBusy},
			want: func(t *testing.T, s session.State) {
				if r := s.Roster["bo"]; !r.Since.Equal(at(1)) || r.Call != "x1" {
					t.Errorf("row %+v: same state keeps its since and call", r)
				}
			}},
		{name: "roster->agent.state(new agent)->row added", from: "supervisor with roster",
			e: session.AgentStateChanged{Base: base(9), Agent: "cy", State: session.AgentReady},
			want: func(t *testing.T, s session.State) {
				if r, ok := s.Roster["cy"]; !ok || r.ID != "cy" || len(s.Roster) != 3 {
					t.Errorf("roster %v", s.Roster)
				}
			}},
		{name: "roster->agent.state(me,ready)->own state and own row", from: "supervisor with roster",
			extra: evs(session.AgentRoster{Base: base(4), Agents: []session.RosterEntry{{ID: "me", State: session.AgentNotReady}}}),
			e:     session.AgentStateChanged{Base: base(9), Agent: "me", State: session.AgentReady},
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentReady)(t, s)
				if s.Roster["me"].State != session.AgentReady {
					t.Errorf("own row %+v", s.Roster["me"])
				}
			}},
		{name: "roster without me->agent.state(me,ready)->no row for me", from: "supervisor with roster",
			e: session.AgentStateChanged{Base: base(9), State: session.AgentReady},
			want: func(t *testing.T, s session.State) {
				wantAgent(session.AgentReady)(t, s)
				if _, ok := s.Roster["me"]; ok || len(s.Roster) != 2 {
					t.Errorf("roster %v: the supervisor's own state added a row", s.Roster)
				}
			}},
		{name: "roster->agent.state(ana,bogus)->refused", from: "supervisor with roster",
			e: session.AgentStateChanged{Base: base(9), Agent: "ana", State: "bogus"}, wantErr: session.ErrInvalidEvent},
	})
}

func TestTransitionsConnection(t *testing.T) {
	runTransitions(t, []transitionCase{
		{name: "zero->connection.established->established", from: "zero",
			e: session.ConnectionEstablished{Base: base(0), Vendor: "v", Version: "3", Capabilities: []session.Verb{session.VerbAnswer}},
			want: func(t *testing.T, s session.State) {
				if s.Conn != session.ConnEstablished || s.Vendor != "v" || s.Version != "3" {
					t.Errorf("conn %+v", s)
				}
				if !s.Capabilities.Has(session.VerbAnswer) || s.Capabilities.Has(session.VerbBarge) || !s.Capabilities.Has(session.VerbQuit) {
					t.Errorf("capabilities %v", s.Capabilities.List())
				}
			}},
		{name: "zero->connection.failed->failed", from: "zero", e: session.ConnectionFailed{Base: base(1), Reason: "refused"},
			want: func(t *testing.T, s session.State) {
				if s.Conn != session.ConnFailed || s.ConnReason != "refused" {
					t.Errorf("conn %s %q", s.Conn, s.ConnReason)
				}
			}},
		{name: "talking->connection.lost->lost, call kept", from: "talking", e: session.ConnectionLost{Base: base(20), Reason: "eof"},
			want: all(wantPhase("c1", session.PhaseTalking), func(t *testing.T, s session.State) {
				if s.Conn != session.ConnLost || s.ConnReason != "eof" {
					t.Errorf("conn %s %q", s.Conn, s.ConnReason)
				}
			})},
		{name: "lost->connection.reconnecting->reconnecting", from: "disconnected on a call", e: session.ConnectionReconnecting{Base: base(51), Attempt: 1},
			want: func(t *testing.T, s session.State) {
				if s.Conn != session.ConnReconnecting {
					t.Errorf("conn %s", s.Conn)
				}
			}},
		{name: "reconnecting->connection.restored->established", from: "reconnecting",
			extra: evs(session.ConnectionDegraded{Base: base(52), Detail: "loss"}),
			e:     session.ConnectionRestored{Base: base(53), Attempt: 1},
			want: func(t *testing.T, s session.State) {
				if s.Conn != session.ConnEstablished || s.ConnReason != "" || s.Degraded != "" || !s.Authed {
					t.Errorf("conn %s %q %q authed %v", s.Conn, s.ConnReason, s.Degraded, s.Authed)
				}
				wantAgent(session.AgentReady)(t, s)
			}},
		{name: "degraded->connection.recovered->clear", from: "ready",
			extra: evs(session.ConnectionDegraded{Base: base(8), Detail: "call c1: loss 10%"}),
			e:     session.ConnectionRecovered{Base: base(9), Detail: "call c1"},
			want: func(t *testing.T, s session.State) {
				if s.Degraded != "" {
					t.Errorf("degraded %q stays after recovery", s.Degraded)
				}
			}},
		{name: "talking(degraded)->call.ended->clear", from: "talking",
			extra: evs(session.ConnectionDegraded{Base: base(31), Detail: "call c1: mos 2.9, loss 17.8%"}),
			e:     session.CallEnded{CallBase: cb(32, "c1"), By: session.ByCustomer},
			want: func(t *testing.T, s session.State) {
				if s.Degraded != "" {
					t.Errorf("degraded %q stays after its call ended", s.Degraded)
				}
			}},
		{name: "talking(degraded elsewhere)->call.ended->kept", from: "talking",
			extra: evs(session.ConnectionDegraded{Base: base(31), Detail: "call c7: loss 10%"}),
			e:     session.CallEnded{CallBase: cb(32, "c1"), By: session.ByCustomer},
			want: func(t *testing.T, s session.State) {
				if s.Degraded != "call c7: loss 10%" {
					t.Errorf("degraded %q, want the other call's warning kept", s.Degraded)
				}
			}},
		{name: "ready->connection.degraded->degraded", from: "ready", e: session.ConnectionDegraded{Base: base(9), Detail: "loss 10%"},
			want: func(t *testing.T, s session.State) {
				if s.Degraded != "loss 10%" || s.Conn != session.ConnEstablished {
					t.Errorf("degraded %q conn %s", s.Degraded, s.Conn)
				}
			}},
		{name: "signed_in->access.blocked->blocked", from: "signed in", e: session.AccessBlocked{Base: base(9), Reason: "ip"},
			want: func(t *testing.T, s session.State) {
				if s.Conn != session.ConnBlocked || s.ConnReason != "ip" {
					t.Errorf("conn %s %q", s.Conn, s.ConnReason)
				}
			}},
		{name: "ready->acd.conflict->reason", from: "ready", e: session.ACDConflict{Base: base(9), Reason: "elsewhere"},
			want: func(t *testing.T, s session.State) {
				if s.ConnReason != "elsewhere" {
					t.Errorf("reason %q", s.ConnReason)
				}
			}},
		{name: "connected->auth.result(ok)->signed in", from: "connected unauthed",
			e: session.AuthResult{Base: base(1), OK: true, User: "me", DisplayName: "Me", Role: session.RoleSupervisor},
			want: func(t *testing.T, s session.State) {
				if !s.Authed || s.User != "me" || s.DisplayName != "Me" || s.Role != session.RoleSupervisor || s.AuthCode != session.AuthOK {
					t.Errorf("auth %+v", s)
				}
			}},
		{name: "connected->auth.result(ok, no role)->agent", from: "connected unauthed",
			e: session.AuthResult{Base: base(1), OK: true, User: "me"},
			want: func(t *testing.T, s session.State) {
				if s.Role != session.RoleAgent {
					t.Errorf("role %q, want agent when the backend names none", s.Role)
				}
			}},
		{name: "connected->auth.result(fail)->code", from: "connected unauthed",
			e: session.AuthResult{Base: base(1), Code: session.AuthUnknownUser},
			want: func(t *testing.T, s session.State) {
				if s.Authed || s.AuthCode != session.AuthUnknownUser {
					t.Errorf("authed %v code %q", s.Authed, s.AuthCode)
				}
			}},
		{name: "connected->auth.result(fail, no code)->internal", from: "connected unauthed",
			e: session.AuthResult{Base: base(1)},
			want: func(t *testing.T, s session.State) {
				if s.Authed || s.AuthCode != session.AuthInternal {
					t.Errorf("authed %v code %q", s.Authed, s.AuthCode)
				}
			}},
		{name: "connected->auth.result(bad role)->refused", from: "connected unauthed",
			e: session.AuthResult{Base: base(1), OK: true, Role: "root"}, wantErr: session.ErrInvalidEvent},
	})
}

func TestTransitionsMisc(t *testing.T) {
	runTransitions(t, []transitionCase{
		{name: "ready->agent.groups->groups", from: "ready",
			e: session.AgentGroups{Base: base(9), CheckIn: []session.Group{{ID: "a"}}, Transfer: []session.Group{{ID: "b"}, {ID: "c"}}},
			want: func(t *testing.T, s session.State) {
				if len(s.CheckInGroups) != 1 || len(s.TransferGroups) != 2 {
					t.Errorf("groups %v %v", s.CheckInGroups, s.TransferGroups)
				}
			}},
		{name: "supervisor->agent.rights->rights", from: "supervisor no rights",
			e: session.AgentRights{Base: base(9), Rights: []session.Right{session.RightBarge}},
			want: func(t *testing.T, s session.State) {
				if !s.HasRight(session.RightBarge) || s.HasRight(session.RightListen) {
					t.Errorf("rights %v", s.Rights)
				}
			}},
		{name: "ready->command.failed->last failure", from: "ready", e: session.CommandFailed{Base: base(9), Command: "hold", Reason: "no call"},
			want: func(t *testing.T, s session.State) {
				if s.LastFailure == nil || s.LastFailure.Command != "hold" || s.LastFailure.Reason != "no call" {
					t.Errorf("last failure %+v", s.LastFailure)
				}
			}},
		{name: "ready->media.mic->granted", from: "ready", e: session.MediaMic{Base: base(9), Granted: false},
			want: func(t *testing.T, s session.State) {
				if s.MicGranted == nil || *s.MicGranted {
					t.Errorf("mic %v", s.MicGranted)
				}
			}},
		{name: "ready->contacts.pushed->count", from: "ready", e: session.ContactsPushed{Base: base(9), Count: 7},
			want: func(t *testing.T, s session.State) {
				if s.ContactsPushed != 7 {
					t.Errorf("count %d", s.ContactsPushed)
				}
			}},
		{name: "ready->file.offer->offered", from: "ready", e: session.FileOffer{Base: base(9), Name: "a.pdf", Size: 3},
			want: func(t *testing.T, s session.State) {
				if len(s.FileOffers) != 1 || s.FileOffers[0].Name != "a.pdf" {
					t.Errorf("offers %v", s.FileOffers)
				}
			}},
	})
}

func TestFileOffersBounded(t *testing.T) {
	es := fx(t, "ready")
	for i := range 12 {
		es = append(es, session.FileOffer{Base: base(10 + i), Name: string(rune('a' + i))})
	}
	s := build(t, es...)
	if len(s.FileOffers) != 8 || s.FileOffers[7].Name != "l" {
		t.Errorf("offers %v", s.FileOffers)
	}
}

// TestApplyDoesNotAlias: the State Apply was given is not changed through
// its slices.
func TestApplyDoesNotAlias(t *testing.T) {
	s := build(t, fx(t, "talking+held")...)
	before := build(t, fx(t, "talking+held")...)
	for _, e := range []session.Event{
		session.CallHeld{CallBase: cb(50, "c2")},
		session.CallEnded{CallBase: cb(50, "c1")},
		session.CallDTMF{CallBase: cb(50, "c2"), Digits: "1"},
		session.FileOffer{Base: base(50)},
	} {
		_ = session.Apply(s, e)
		if !sameExceptNow(s, before) {
			t.Fatalf("%s changed the input state", e.Type())
		}
	}
}

// TestTimeNeverGoesBack: a late event does not move Now back nor make
// negative durations; an event with no time takes the last known time.
func TestTimeNeverGoesBack(t *testing.T) {
	s := build(t, join(fx(t, "talking"),
		evs(session.CallHeld{CallBase: cb(20, "c1")},
			session.CallRetrieved{CallBase: cb(5, "c1")}, // late, stamped before the hold
			session.CallHeld{CallBase: session.CallBase{CallID: "c1"}},
		))...)
	if !s.Now.Equal(at(20)) {
		t.Errorf("Now = %v, want %v", s.Now, at(20))
	}
	c, _ := s.Call("c1")
	if c.HeldTotal < 0 || !c.HeldSince.Equal(at(20)) {
		t.Errorf("held total %v since %v", c.HeldTotal, c.HeldSince)
	}
}

func TestStateHelpers(t *testing.T) {
	s := build(t, join(fx(t, "talking+held"), evs(session.CallRinging{CallBase: cb(33, "c3")}, session.CallRinging{CallBase: cb(34, "c4"), Direction: session.DirOutbound, To: "+1"}))...)
	if a, ok := s.Active(); !ok || a.ID != "c2" {
		t.Errorf("active = %s, want the talking c2", a.ID)
	}
	if h, ok := s.Held(); !ok || h.ID != "c1" {
		t.Errorf("held = %s", h.ID)
	}
	if r, ok := s.Ringing(); !ok || r.ID != "c3" {
		t.Errorf("ringing = %s", r.ID)
	}
	if !s.OnCall() {
		t.Errorf("not on a call")
	}
	// An outbound call alerting the far end is not a call to answer.
	out := build(t, join(fx(t, "not_ready"), evs(session.CallRinging{CallBase: cb(33, "o1"), Direction: session.DirOutbound, To: "+1"}))...)
	if r, ok := out.Ringing(); ok {
		t.Errorf("Ringing() = outbound %s", r.ID)
	}
	if a, ok := out.Active(); !ok || a.ID != "o1" {
		t.Errorf("active = %s", a.ID)
	}
	var zero session.State
	if _, ok := zero.Active(); ok || zero.OnCall() {
		t.Errorf("zero state has a call")
	}
	if c := (session.Call{Direction: session.DirOutbound, From: "a", To: "b"}); c.Remote() != "b" {
		t.Errorf("remote of outbound = %s", c.Remote())
	}
	if got := (session.Call{}).TalkTime(at(9)); got != 0 {
		t.Errorf("unanswered talk time %v", got)
	}
	caps := session.NewCapabilities(session.VerbHold, session.VerbAnswer)
	if got := caps.List(); len(got) != 2 || got[0] != session.VerbAnswer {
		t.Errorf("caps list %v, want Verbs order", got)
	}
	// Capabilities fail closed (issue 18): not knowing a backend's verbs
	// allows none of them (it allowed every one before).
	var none session.Capabilities
	if none.Has(session.VerbBarge) || !none.Has(session.VerbQuit) {
		t.Errorf("nil capabilities must allow nothing but quit")
	}
	if !session.NewCapabilities().Has(session.VerbQuit) || session.NewCapabilities().Has(session.VerbHold) {
		t.Errorf("empty capabilities")
	}
	roster := build(t, fx(t, "supervisor with roster")...)
	cp := roster.CloneRoster()
	cp["ana"] = session.RosterEntry{ID: "ana", State: session.AgentOffline}
	if roster.Roster["ana"].State != session.AgentReady {
		t.Errorf("CloneRoster shares the map")
	}
}

func TestEnumStrings(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{session.AgentUnknown.String(), "unknown"}, {session.AgentWrapUp.String(), "wrap_up"},
		{session.RoleUnknown.String(), "unknown"}, {session.RoleKiosk.String(), "kiosk"},
		{session.ConnUnknown.String(), "unknown"}, {session.ConnLost.String(), "lost"},
		{session.PhaseUnknown.String(), "unknown"}, {session.PhaseHeld.String(), "held"},
		{session.VerbUnknown.String(), "unknown"}, {session.VerbDTMF.String(), "dtmf"},
	} {
		if c.got != c.want {
			t.Errorf("String() = %q, want %q", c.got, c.want)
		}
	}
	for _, a := range session.AgentStates {
		if !a.Valid() {
			t.Errorf("%s not valid", a)
		}
	}
	if session.AgentUnknown.Valid() || session.AgentState("x").Valid() || session.Role("x").Valid() || session.RoleUnknown.Valid() {
		t.Errorf("unknown values valid")
	}
	if session.PhaseEnded.Live() || session.PhaseUnknown.Live() || !session.PhaseHeld.Live() {
		t.Errorf("Phase.Live")
	}
}

func TestErrorText(t *testing.T) {
	_, err := session.Transition(build(t, fx(t, "ready")...), session.CallHeld{CallBase: cb(9, "c7")})
	if got, want := err.Error(), "session: call.held call c7: unknown call"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
	_, err = session.Transition(build(t, fx(t, "ringing")...), evHold1)
	if got, want := err.Error(), "session: call.held call c1: transition not allowed (held while ringing)"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
	err = session.Check(build(t, fx(t, "ready")...), session.Command{Verb: session.VerbHold})
	var ce *session.CheckError
	if !errors.As(err, &ce) || ce.Reason() != "hold: no call (there is no call to hold)" || err.Error() != "session: hold: no call (there is no call to hold)" {
		t.Errorf("check error %v", err)
	}
}
