package session_test

import (
	"time"

	"errors"
	"strings"
	"testing"

	"github.com/agentty/agentty/session"
)

// TestCheckRoles is the verb x role table: a kiosk calls, leaves and mutes;
// agents cannot supervise nor use the kiosk verbs; supervisors do all but
// the kiosk verbs.
func TestCheckRoles(t *testing.T) {
	kiosk := map[session.Verb]bool{session.VerbCall: true, session.VerbLeave: true, session.VerbMute: true, session.VerbUnmute: true, session.VerbQuit: true,
		session.VerbCallback: true, session.VerbAnswer: true, session.VerbReject: true}
	for _, role := range []session.Role{session.RoleAgent, session.RoleSupervisor, session.RoleKiosk} {
		s := build(t, join(signIn(role), evs(evRights))...)
		for _, v := range session.Verbs() {
			var allowed bool
			switch role {
			case session.RoleKiosk:
				allowed = kiosk[v]
			case session.RoleAgent:
				allowed = !v.Supervisory() && v != session.VerbCall && v != session.VerbLeave && v != session.VerbCallback
			case session.RoleSupervisor:
				allowed = v != session.VerbCall && v != session.VerbLeave && v != session.VerbCallback
			}
			for _, c := range commandsFor(v) {
				err := session.Check(s, c)
				if wrong := errors.Is(err, session.ErrWrongRole); wrong == allowed {
					t.Errorf("%s: %q: %v; role allowed = %v", role, c, err, allowed)
				}
				if errors.Is(err, session.ErrWrongRole) && !strings.Contains(err.Error(), "signed in as "+string(role)) {
					t.Errorf("%s: %q: reason %q does not name the role", role, c, err)
				}
			}
		}
	}
	// A session with no known role can only quit.
	s := build(t, session.ConnectionEstablished{Base: base(0)}, session.AuthResult{Base: base(0), OK: true, Role: session.RoleAgent})
	s.Role = session.RoleUnknown
	if err := session.Check(s, session.Command{Verb: session.VerbReady}); !errors.Is(err, session.ErrWrongRole) {
		t.Errorf("unknown role: ready: %v", err)
	}
}

func TestCheck(t *testing.T) {
	with := func(name string, extra ...session.Event) []session.Event {
		return join(fx(t, name), extra)
	}
	noCaps := evs(session.ConnectionEstablished{Base: base(0), Vendor: "kioskonly", Capabilities: []session.Verb{session.VerbCall, session.VerbLeave}})
	cases := []struct {
		name string
		es   []session.Event
		cmd  string
		want error // nil: allowed
		why  string
	}{
		{"zero: quit", nil, "quit", nil, ""},
		{"zero: ready", nil, "ready", session.ErrNotConnected, "link is unknown"},
		{"connecting: ready", fx(t, "connected unauthed"), "ready", session.ErrNotConnected, "signing in"},
		{"auth failed: ready", fx(t, "auth failed"), "ready", session.ErrNotConnected, "sign-in failed (invalid_token)"},
		{"lost: hangup", fx(t, "disconnected on a call"), "hangup", session.ErrNotConnected, "lost: eof"},
		{"blocked: ready", fx(t, "blocked"), "ready", session.ErrNotConnected, "blocked: ip"},
		{"unsupported: checkin", with("signed in", noCaps...), "checkin", session.ErrUnsupported, "kioskonly has no checkin"},
		{"unsupported before role: barge by agent", with("signed in", noCaps...), "barge ana", session.ErrWrongRole, ""},
		{"unknown verb", fx(t, "ready"), "", session.ErrBadArgument, "no verb"},
		{"signed in: checkin", fx(t, "signed in"), "checkin sales", nil, ""},
		{"not_ready: checkin", fx(t, "not_ready"), "checkin", session.ErrAlreadyCheckedIn, "check out first"},
		{"signed in: checkout", fx(t, "signed in"), "checkout", session.ErrNotCheckedIn, ""},
		{"ready: checkout", fx(t, "ready"), "checkout", nil, ""},
		{"talking: checkout", fx(t, "talking"), "checkout", session.ErrOnCall, "hang up first"},
		{"signed in: ready checks in", fx(t, "signed in"), "ready", nil, ""},
		{"signed in: notready", fx(t, "signed in"), "notready", session.ErrNotCheckedIn, "check in first"},
		{"not_ready: ready", fx(t, "not_ready"), "ready", nil, ""},
		{"ready: rest", fx(t, "ready"), "rest lunch", nil, ""},
		{"ringing: notready", fx(t, "ringing"), "notready", session.ErrOnCall, "finish the call first"},
		{"wrap_up: ready", fx(t, "wrap_up"), "ready", nil, ""},
		{"wrap_up: done", fx(t, "wrap_up"), "done", nil, ""},
		{"wrap_up(code required): done", join(fx(t, "wrap_up"), evs(wrapCodes(true))), "done", session.ErrNoDisposition, "choose a disposition first: codes: sale, no_sale"},
		{"wrap_up(code required): disposition sale", join(fx(t, "wrap_up"), evs(wrapCodes(true))), "disposition sale", nil, ""},
		{"wrap_up(code required): disposition bogus", join(fx(t, "wrap_up"), evs(wrapCodes(true))), "disposition bogus", session.ErrUnknownCode, "codes: sale, no_sale"},
		{"wrap_up(code chosen): done", join(fx(t, "wrap_up"), evs(wrapCodes(true), session.AgentDisposition{Base: base(43), Code: "sale"})), "done", nil, ""},
		{"wrap_up(code optional): done", join(fx(t, "wrap_up"), evs(wrapCodes(false))), "done", nil, ""},
		{"ready: disposition sale", fx(t, "ready"), "disposition sale", session.ErrNotWrappingUp, "you are ready"},
		{"ready: done", fx(t, "ready"), "done", session.ErrNotWrappingUp, "you are ready"},
		{"ready: dial", fx(t, "ready"), "dial +15551234", nil, ""},
		{"ready: dial nothing", fx(t, "ready"), "", session.ErrBadArgument, "dial what number?"},
		{"talking: dial", fx(t, "talking"), "dial 1", session.ErrOnCall, "hold or hang up +15550001 first"},
		{"held: dial (consult)", fx(t, "held"), "dial 1", nil, ""},
		{"ringing: dial", fx(t, "ringing"), "dial 1", session.ErrCallRinging, "answer or reject"},
		{"dialing: dial", fx(t, "dialing"), "dial 1", session.ErrOnCall, "already dialling"},
		{"far end ringing: dial", with("not_ready", session.CallRinging{CallBase: cb(10, "o1"), Direction: session.DirOutbound}), "dial 1", session.ErrOnCall, "already dialling"},
		{"ringing: answer", fx(t, "ringing"), "answer", nil, ""},
		{"ready: answer", fx(t, "ready"), "answer", session.ErrNoCall, "nothing is ringing"},
		{"far end ringing: answer", with("not_ready", session.CallRinging{CallBase: cb(10, "o1"), Direction: session.DirOutbound}), "answer", session.ErrNoCall, "nothing is ringing"},
		{"talking+ringing: answer", fx(t, "talking+ringing"), "answer", session.ErrOnCall, "hold or hang up"},
		{"ringing: reject", fx(t, "ringing"), "reject", nil, ""},
		{"talking: reject", fx(t, "talking"), "reject", session.ErrNoCall, "nothing is ringing"},
		{"ringing: hangup", fx(t, "ringing"), "hangup", nil, ""},
		{"ready: hangup", fx(t, "ready"), "hangup", session.ErrNoCall, "no call to hang up"},
		{"talking: hold", fx(t, "talking"), "hold", nil, ""},
		{"ringing: hold", fx(t, "ringing"), "hold", session.ErrCallRinging, "answer it first"},
		{"held: hold", fx(t, "held"), "hold", session.ErrNoCall, "no call to hold"},
		{"held: retrieve", fx(t, "held"), "retrieve", nil, ""},
		{"talking: retrieve", fx(t, "talking"), "retrieve", session.ErrNoCall, "no call is on hold"},
		{"talking+held: retrieve", fx(t, "talking+held"), "retrieve", session.ErrOnCall, "hold or hang up +15550002 first"},
		{"talking: transfer", fx(t, "talking"), "transfer group:support", nil, ""},
		{"held: transfer", fx(t, "held"), "transfer agent:bo", nil, ""},
		{"ringing: transfer", fx(t, "ringing"), "transfer 555", session.ErrCallRinging, "answer it first"},
		{"ready: transfer", fx(t, "ready"), "transfer 555", session.ErrNoCall, "no call to transfer"},
		{"talking: dtmf", fx(t, "talking"), "dtmf 12#", nil, ""},
		{"held: dtmf", fx(t, "held"), "dtmf 1", session.ErrNoCall, "no call is talking"},
		{"talking: mute", fx(t, "talking"), "mute", nil, ""},
		{"ready: unmute", fx(t, "ready"), "unmute", session.ErrNoCall, "there is no call"},
		{"kiosk: call", fx(t, "kiosk idle"), "call", nil, ""},
		{"kiosk waiting: call", fx(t, "kiosk waiting"), "call sales", session.ErrInQueue, "already calling"},
		{"kiosk talking: call", fx(t, "kiosk talking"), "call", session.ErrInQueue, ""},
		{"kiosk waiting: leave", fx(t, "kiosk waiting"), "leave", nil, ""},
		{"kiosk talking: leave", fx(t, "kiosk talking"), "leave", nil, ""},
		{"kiosk idle: leave", fx(t, "kiosk idle"), "leave", session.ErrNoCall, "you are not calling"},
		{"kiosk talking: mute", fx(t, "kiosk talking"), "mute", nil, ""},
		{"kiosk: hangup", fx(t, "kiosk talking"), "hangup", session.ErrWrongRole, "signed in as kiosk"},
		{"kiosk: checkin", fx(t, "kiosk idle"), "checkin", session.ErrWrongRole, ""},
		{"agent: listen", fx(t, "talking"), "listen ana", session.ErrWrongRole, "signed in as agent"},
		{"agent: call", fx(t, "ready"), "call", session.ErrWrongRole, ""},
		{"supervisor: listen busy bo", fx(t, "supervisor with roster"), "listen bo", nil, ""},
		{"supervisor: barge busy bo", fx(t, "supervisor with roster"), "barge bo", nil, ""},
		{"supervisor: listen idle ana", fx(t, "supervisor with roster"), "listen ana", session.ErrNoCall, "ana is not on a call"},
		{"supervisor: pause ana", fx(t, "supervisor with roster"), "pause ana", nil, ""},
		{"supervisor: logout unknown", fx(t, "supervisor with roster"), "logout zed", session.ErrBadArgument, "no agent zed"},
		{"supervisor: restore self", fx(t, "supervisor with roster"), "restore me", session.ErrBadArgument, "that is you"},
		{"supervisor without rights: listen", fx(t, "supervisor no rights"), "listen bo", session.ErrNoRight, "needs the listen right"},
		{"supervisor with one right: whisper", with("supervisor no rights", session.AgentRights{Base: base(9), Rights: []session.Right{session.RightListen}}), "whisper bo", session.ErrNoRight, "needs the whisper right"},
		{"supervisor without roster: intercept", join(signIn(session.RoleSupervisor), evs(evRights)), "intercept anyone", nil, ""},
		{"supervisor: ready", with("supervisor with roster", evCheckIn), "ready", nil, ""},
		{"supervisor: call", fx(t, "supervisor with roster"), "call", session.ErrWrongRole, ""},
		{"reconnecting: ready", with("reconnecting", session.AgentStateChanged{Base: base(60), State: session.AgentNotReady}), "ready", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := build(t, tc.es...)
			var c session.Command
			if tc.cmd != "" {
				var err error
				if c, err = session.ParseCommand(tc.cmd); err != nil {
					t.Fatalf("parse %q: %v", tc.cmd, err)
				}
			} else if strings.HasPrefix(tc.name, "ready: dial") {
				c = session.Command{Verb: session.VerbDial}
			}
			err := session.Check(s, c)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var ce *session.CheckError
			if !errors.As(err, &ce) {
				t.Fatalf("%T is not a *CheckError", err)
			}
			if !strings.Contains(ce.Reason(), tc.why) {
				t.Errorf("reason %q lacks %q", ce.Reason(), tc.why)
			}
			if !strings.HasPrefix(ce.Reason(), string(c.Verb)+": ") && c.Verb != "" {
				t.Errorf("reason %q does not start with the verb", ce.Reason())
			}
		})
	}
}

// TestCheckTransferTarget: a command built in code, not parsed, may carry a
// target kind ParseTarget would never make.
func TestCheckTransferTarget(t *testing.T) {
	s := build(t, fx(t, "talking")...)
	for _, tc := range []struct {
		target session.Target
		ok     bool
	}{
		{session.Target{Kind: session.TargetAgent, ID: "bo"}, true},
		{session.Target{Kind: session.TargetGroup, ID: "support"}, true},
		{session.Target{Kind: session.TargetNumber, ID: "+15551234"}, true},
		{session.Target{Kind: session.TargetNumber, ID: "not a number"}, false},
		{session.Target{Kind: "queue", ID: "5"}, false},
		{session.Target{Kind: session.TargetAgent}, false},
		{session.Target{}, false},
	} {
		err := session.Check(s, session.Command{Verb: session.VerbTransfer, Target: tc.target})
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, session.ErrBadArgument)) {
			t.Errorf("transfer to %+v: %v, want ok = %v", tc.target, err, tc.ok)
		}
	}
}

// TestCheckCallID: a command aimed at one call is checked against that
// call, not just against whichever call is talking.
func TestCheckCallID(t *testing.T) {
	// c1 held, c2 talking, c3 ringing.
	s := build(t, join(fx(t, "talking+held"), evs(session.CallRinging{CallBase: cb(33, "c3")}))...)
	for _, tc := range []struct {
		verb session.Verb
		id   string
		want error
	}{
		{session.VerbHold, "c2", nil},
		{session.VerbHold, "c1", session.ErrNoCall},
		{session.VerbHold, "c3", session.ErrCallRinging},
		{session.VerbHold, "c9", session.ErrNoCall},
		{session.VerbDTMF, "c1", session.ErrNoCall},
		{session.VerbTransfer, "c1", nil},
		{session.VerbTransfer, "c3", session.ErrCallRinging},
		{session.VerbReject, "c3", nil},
		{session.VerbReject, "c2", session.ErrNoCall},
		{session.VerbHangup, "c3", nil},
		{session.VerbHangup, "c1", nil},
		{session.VerbHangup, "gone", session.ErrNoCall},
		{session.VerbMute, "c1", nil},
		{session.VerbReady, "whatever", session.ErrOnCall},
	} {
		c := session.Command{Verb: tc.verb, CallID: tc.id, Digits: "1", Target: session.Target{Kind: session.TargetAgent, ID: "bo"}}
		err := session.Check(s, c)
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s %s: %v, want %v", tc.verb, tc.id, err, tc.want)
		}
		if err != nil && tc.want == session.ErrNoCall && tc.id != "c9" && tc.id != "gone" && !strings.Contains(err.Error(), "call "+tc.id+" is ") {
			t.Errorf("%s %s: reason %q does not say the call's phase", tc.verb, tc.id, err)
		}
	}
	// Retrieve of the held call while another talks is refused by the
	// general rule; with nothing talking, the id must name a held call.
	held := build(t, fx(t, "held")...)
	if err := session.Check(held, session.Command{Verb: session.VerbRetrieve, CallID: "c1"}); err != nil {
		t.Errorf("retrieve c1: %v", err)
	}
	both := build(t, join(fx(t, "held"), evs(session.CallRinging{CallBase: cb(30, "c2")}))...)
	if err := session.Check(both, session.Command{Verb: session.VerbRetrieve, CallID: "c2"}); !errors.Is(err, session.ErrNoCall) {
		t.Errorf("retrieve ringing c2: %v", err)
	}
}

// TestCheckRefusesUnknownVerb: a verb that is not in Verbs is a bad
// argument whatever the role or the backend.
func TestCheckRefusesUnknownVerb(t *testing.T) {
	for _, name := range []string{"ready", "kiosk idle", "supervisor with roster"} {
		s := build(t, join(fx(t, name), evs(session.ConnectionEstablished{Base: base(90), Vendor: "v", Capabilities: []session.Verb{session.VerbHold}}))...)
		err := session.Check(s, session.Command{Verb: "fly"})
		if !errors.Is(err, session.ErrBadArgument) || !strings.Contains(err.Error(), `unknown command "fly"`) {
			t.Errorf("%s: fly: %v", name, err)
		}
	}
}

// wrapCodes is the centre's wrap-up with the group's disposition codes.
func wrapCodes(required bool) session.AgentStateChanged {
	return session.AgentStateChanged{Base: base(42), State: session.AgentWrapUp, Limit: session.Secs(30 * time.Second),
		Codes: []string{"sale", "no_sale"}, CodeRequired: required}
}
