package session_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// t0 is the time of the first event of every fixture.
var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

// at returns t0 plus n seconds.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }

func base(n int) session.Base { return session.Base{At: at(n)} }

func cb(n int, id string) session.CallBase { return session.CallBase{At: at(n), CallID: id} }

// transitionErrs are the documented errors of Transition.
var transitionErrs = []error{
	session.ErrInvalidEvent, session.ErrUnknownCall, session.ErrCallEnded,
	session.ErrDuplicateCall, session.ErrBadTransition, session.ErrNoCallToWrapUp,
	session.ErrNotQueued,
}

// checkErrs are the documented errors of Check.
var checkErrs = []error{
	session.ErrNotConnected, session.ErrWrongRole, session.ErrNoRight,
	session.ErrUnsupported, session.ErrNotCheckedIn, session.ErrAlreadyCheckedIn,
	session.ErrOnCall, session.ErrNoCall, session.ErrCallRinging,
	session.ErrNotWrappingUp, session.ErrInQueue, session.ErrBadArgument,
}

func isOneOf(err error, errs []error) bool {
	for _, e := range errs {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// build applies es to the zero State with Transition, failing the test on
// the first refusal: fixtures are reachable states, never hand-made ones.
func build(t testing.TB, es ...session.Event) session.State {
	t.Helper()
	var s session.State
	for i, e := range es {
		next, err := session.Transition(s, e)
		if err != nil {
			t.Fatalf("fixture event %d (%s): %v", i, e.Type(), err)
		}
		if errs := invariants(s, next); len(errs) > 0 {
			t.Fatalf("fixture event %d (%s) broke invariants: %v", i, e.Type(), errs)
		}
		s = next
	}
	return s
}

// Event sequences the fixtures are made of. The user is "me".

func signIn(role session.Role) []session.Event {
	return []session.Event{
		session.ConnectionEstablished{Base: base(0), Vendor: "scripted", Version: "1", Capabilities: session.Verbs()},
		session.AuthResult{Base: base(0), OK: true, User: "me", DisplayName: "Me", Role: role},
	}
}

func join(parts ...[]session.Event) []session.Event {
	var out []session.Event
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func evs(es ...session.Event) []session.Event { return es }

var (
	evCheckIn  = session.AgentCheckedIn{Base: base(1), OK: true, Groups: []string{"sales"}}
	evReady    = session.AgentStateChanged{Base: base(2), State: session.AgentReady}
	evRing1    = session.CallRinging{CallBase: cb(10, "c1"), Direction: session.DirInbound, From: "+15550001", To: "me", Team: "sales"}
	evAnswer1  = session.CallAnswered{CallBase: cb(12, "c1"), Wait: session.Secs(20 * time.Second)}
	evHold1    = session.CallHeld{CallBase: cb(20, "c1")}
	evRing2    = session.CallRinging{CallBase: cb(30, "c2"), From: "+15550002"}
	evAnswer2  = session.CallAnswered{CallBase: cb(32, "c2")}
	evEnd1     = session.CallEnded{CallBase: cb(40, "c1"), By: session.ByCustomer}
	evDial1    = session.CallDialing{CallBase: cb(10, "c1"), To: "+15559999"}
	evRoster   = session.AgentRoster{Base: base(3), Agents: []session.RosterEntry{{ID: "ana", Name: "Ana", State: session.AgentReady, Since: at(0)}, {ID: "bo", Name: "Bo", State: session.AgentBusy, Call: "x1", Since: at(1)}}}
	evRights   = session.AgentRights{Base: base(3), Rights: []session.Right{session.RightListen, session.RightWhisper, session.RightBarge, session.RightIntercept, session.RightPause, session.RightRestore, session.RightLogout}}
	evKioskDia = session.CallDialing{CallBase: cb(10, "k1"), To: "sales"}
	evQueued   = session.QueueJoined{Base: base(11), Group: "sales", Position: 3, EstimatedWait: session.Secs(150 * time.Second)}
)

// fixture is a named, reachable starting state.
type fixture struct {
	name string
	es   []session.Event
}

func (f fixture) state(t testing.TB) session.State { t.Helper(); return build(t, f.es...) }

// fixtures are the representative starting states of the matrix tests.
func fixtures() []fixture {
	agent := signIn(session.RoleAgent)
	in := join(agent, evs(evCheckIn))
	ready := join(in, evs(evReady))
	ringing := join(ready, evs(evRing1))
	talking := join(ringing, evs(evAnswer1))
	return []fixture{
		{"zero", nil},
		{"connected unauthed", evs(session.ConnectionEstablished{Base: base(0), Vendor: "v"})},
		{"auth failed", evs(session.ConnectionEstablished{Base: base(0), Vendor: "v"}, session.AuthResult{Base: base(0), Code: session.AuthInvalidToken})},
		{"signed in", agent},
		{"offline", join(in, evs(session.AgentCheckedOut{Base: base(5), OK: true}))},
		{"not_ready", in},
		{"ready", ready},
		{"rest", join(in, evs(session.AgentStateChanged{Base: base(3), State: session.AgentRest, Reason: "lunch", Limit: session.Secs(15 * time.Minute)}))},
		{"ringing", ringing},
		{"dialing", join(in, evs(evDial1))},
		{"talking", talking},
		{"held", join(talking, evs(evHold1))},
		{"talking+held", join(talking, evs(evRing2, evAnswer2))},
		{"talking+ringing", join(talking, evs(evRing2))},
		{"wrap_up", join(talking, evs(evEnd1))},
		{"wrap_up with limit", join(talking, evs(evEnd1, session.AgentStateChanged{Base: base(41), State: session.AgentWrapUp, Limit: session.Secs(30 * time.Second)}))},
		{"kiosk idle", signIn(session.RoleKiosk)},
		{"kiosk waiting", join(signIn(session.RoleKiosk), evs(evKioskDia, evQueued))},
		{"kiosk talking", join(signIn(session.RoleKiosk), evs(evKioskDia, evQueued, session.QueueLeft{Base: base(20), By: session.ByAnswered}, session.CallAnswered{CallBase: cb(20, "k1")}))},
		{"supervisor with roster", join(signIn(session.RoleSupervisor), evs(evRights, evRoster))},
		{"supervisor no rights", join(signIn(session.RoleSupervisor), evs(evRoster))},
		{"disconnected on a call", join(talking, evs(session.ConnectionLost{Base: base(50), Reason: "eof"}))},
		{"reconnecting", join(ready, evs(session.ConnectionLost{Base: base(50)}, session.ConnectionReconnecting{Base: base(51), Attempt: 1}))},
		{"blocked", join(agent, evs(session.AccessBlocked{Base: base(1), Reason: "ip"}))},
	}
}

// invariants returns what is wrong with next, reached from prev by one
// successful transition.
func invariants(prev, next session.State) []string {
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }

	talking := 0
	live := map[string]bool{}
	for _, c := range next.Calls {
		if c.ID == "" {
			bad("live call with no id")
		}
		if live[c.ID] {
			bad("call id %s live twice", c.ID)
		}
		live[c.ID] = true
		if !c.Phase.Live() {
			bad("call %s in Calls has phase %s", c.ID, c.Phase)
		}
		if c.Phase == session.PhaseTalking {
			talking++
		}
		if c.Phase != session.PhaseHeld && !c.HeldSince.IsZero() {
			bad("call %s is %s with HeldSince set", c.ID, c.Phase)
		}
		if c.HeldTotal < 0 || c.TalkTime(next.Now) < 0 {
			bad("call %s has negative hold or talk time", c.ID)
		}
		if c.Started.After(next.Now) || c.Answered.After(next.Now) || c.HeldSince.After(next.Now) {
			bad("call %s has a time after Now", c.ID)
		}
	}
	if talking > 1 {
		bad("%d calls talking", talking)
	}
	if len(next.Recent) > session.MaxRecent {
		bad("%d recent calls, max %d", len(next.Recent), session.MaxRecent)
	}
	for _, c := range next.Recent {
		if c.Phase != session.PhaseEnded {
			bad("recent call %s in phase %s", c.ID, c.Phase)
		}
		if live[c.ID] {
			bad("call %s both live and ended", c.ID)
		}
		if c.HeldTotal < 0 || (c.Duration < 0 && c.Duration != session.Unknown) {
			bad("recent call %s has negative hold or duration", c.ID)
		}
	}
	for _, c := range prev.Recent {
		if live[c.ID] {
			bad("ended call %s came back to life", c.ID)
		}
	}
	if next.Agent.State != session.AgentUnknown && !next.Agent.State.Valid() {
		bad("agent state %q", next.Agent.State)
	}
	if next.Agent.State == session.AgentWrapUp && len(next.Recent) == 0 && len(next.Calls) == 0 {
		bad("wrap_up with no call")
	}
	if next.Now.Before(prev.Now) {
		bad("Now went back from %v to %v", prev.Now, next.Now)
	}
	for id, r := range next.Roster {
		if id == "" || r.ID != id {
			bad("roster row %q holds id %q", id, r.ID)
		}
	}
	if next.Role != session.RoleUnknown && !next.Role.Valid() {
		bad("role %q", next.Role)
	}
	return errs
}

// sameExceptNow reports whether a and b differ at most in Now.
func sameExceptNow(a, b session.State) bool {
	a.Now, b.Now = time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}
