package session

import (
	"fmt"
)

// Check reports whether the state allows c, before anything reaches a vendor.
// A refusal is a *CheckError wrapping one of the documented Err* values; its
// Reason is the sentence for the person.
func Check(s State, c Command) error {
	refuse := func(err error, detail string) error {
		return &CheckError{Command: c, Err: err, Detail: detail}
	}
	if c.Verb == VerbQuit {
		return nil
	}
	if c.Verb == VerbUnknown {
		return refuse(ErrBadArgument, "no verb")
	}
	if !c.Verb.Known() {
		return refuse(ErrBadArgument, fmt.Sprintf("unknown command %q", string(c.Verb)))
	}
	if s.Conn != ConnEstablished && s.Conn != ConnReconnecting || !s.Authed {
		return refuse(ErrNotConnected, connDetail(s))
	}
	// The role comes before the backend: a kiosk asking to barge is told it
	// is a kiosk, whatever the backend could do.
	if err := checkRole(s, c); err != nil {
		return refuse(err, "you are signed in as "+s.Role.String())
	}
	if !s.Capabilities.Has(c.Verb) {
		return refuse(ErrUnsupported, s.Vendor+" has no "+string(c.Verb))
	}
	if uri := c.sipTarget(); uri != "" && !s.DialsURIs {
		return refuse(ErrUnsupported, s.Vendor+" dials numbers only, not SIP addresses ("+uri+")")
	}
	if c.Verb.Supervisory() {
		return checkSupervisory(s, c, refuse)
	}

	talking, isTalking := s.Talking()
	_, isRinging := s.Ringing()
	_, isHeld := s.Held()
	switch c.Verb {
	case VerbCheckIn:
		if s.CheckedIn {
			return refuse(ErrAlreadyCheckedIn, "check out first to change groups")
		}
	case VerbCheckOut:
		if !s.CheckedIn {
			return refuse(ErrNotCheckedIn, "")
		}
		if s.OnCall() {
			return refuse(ErrOnCall, "hang up first")
		}
	case VerbReady, VerbNotReady, VerbRest:
		// ready when not checked in checks in to the agent's groups first
		// (the backend does both).
		if !s.CheckedIn && c.Verb != VerbReady {
			return refuse(ErrNotCheckedIn, "check in first")
		}
		if s.OnCall() {
			return refuse(ErrOnCall, "finish the call first")
		}
	case VerbDone:
		if s.Agent.State != AgentWrapUp {
			return refuse(ErrNotWrappingUp, "you are "+s.Agent.State.String())
		}
		if s.Agent.CodeRequired && s.Agent.Code == "" {
			return refuse(ErrNoDisposition, "choose a disposition first: "+codeList(s.Agent.Codes))
		}
	case VerbDisposition:
		if err := checkDisposition(s, c); err != nil {
			return err
		}
	case VerbDial:
		if c.Number == "" {
			return refuse(ErrBadArgument, "dial what number?")
		}
		if isTalking {
			return refuse(ErrOnCall, "hold or hang up "+talking.Remote()+" first")
		}
		if isRinging {
			return refuse(ErrCallRinging, "answer or reject the ringing call first")
		}
		if _, placing := s.Placing(); placing {
			return refuse(ErrOnCall, "already dialling")
		}
	case VerbAnswer:
		if !isRinging {
			return refuse(ErrNoCall, "nothing is ringing")
		}
		if isTalking {
			return refuse(ErrOnCall, "hold or hang up "+talking.Remote()+" first")
		}
	case VerbReject:
		if !isRinging {
			return refuse(ErrNoCall, "nothing is ringing")
		}
	case VerbHangup:
		if !s.OnCall() {
			return refuse(ErrNoCall, "there is no call to hang up")
		}
	case VerbHold:
		if !isTalking {
			if isRinging {
				return refuse(ErrCallRinging, "answer it first")
			}
			return refuse(ErrNoCall, "there is no call to hold")
		}
	case VerbRetrieve:
		if !isHeld {
			return refuse(ErrNoCall, "no call is on hold")
		}
		if isTalking {
			return refuse(ErrOnCall, "hold or hang up "+talking.Remote()+" first")
		}
	case VerbTransfer:
		if t, err := ParseTarget(c.Target.String()); err != nil || t != c.Target {
			return refuse(ErrBadArgument, "transfer to agent:ID, group:ID or a number")
		}
		if !isTalking && !isHeld {
			if isRinging {
				return refuse(ErrCallRinging, "answer it first")
			}
			return refuse(ErrNoCall, "there is no call to transfer")
		}
	case VerbConsult, VerbComplete, VerbConference, VerbCancel:
		if err := checkConsult(s, c, refuse); err != nil {
			return err
		}
	case VerbDTMF:
		if !ValidDigits(c.Digits) {
			return refuse(ErrBadArgument, "digits are 0-9 * # A-D")
		}
		if !isTalking {
			return refuse(ErrNoCall, "no call is talking")
		}
	case VerbMute, VerbUnmute:
		if !s.OnCall() {
			return refuse(ErrNoCall, "there is no call")
		}
	case VerbCall:
		if s.Queue.Waiting || s.OnCall() {
			return refuse(ErrInQueue, "you are already calling")
		}
		if s.Callback.Booked {
			return refuse(ErrInQueue, "a callback is booked; we will call you back (leave cancels it)")
		}
	case VerbCallback:
		if err := checkCallback(s, c); err != nil {
			return err
		}
	case VerbRecord:
		if err := checkRecord(s, c); err != nil {
			return err
		}
	case VerbLeave:
		if !s.Queue.Waiting && !s.OnCall() && !s.Callback.Booked {
			return refuse(ErrNoCall, "you are not calling")
		}
	default:
		return refuse(ErrBadArgument, fmt.Sprintf("unknown command %q", string(c.Verb)))
	}
	return checkCallID(s, c, refuse)
}

// checkCallID checks a command aimed at one call by CallID: the call must be
// live and in a phase the verb acts on. Verbs that act on no particular
// call ignore CallID.
func checkCallID(s State, c Command, refuse func(error, string) error) error {
	switch c.Verb {
	case VerbAnswer, VerbReject, VerbHangup, VerbHold, VerbRetrieve, VerbTransfer, VerbDTMF, VerbMute, VerbUnmute:
	default:
		return nil
	}
	if c.CallID == "" {
		return nil
	}
	call, ok := s.Call(c.CallID)
	if !ok {
		return refuse(ErrNoCall, "no call "+c.CallID)
	}
	is := "call " + c.CallID + " is " + call.Phase.String()
	ringing := call.Phase == PhaseRinging && call.Direction != DirOutbound
	switch c.Verb {
	case VerbAnswer, VerbReject:
		if !ringing {
			return refuse(ErrNoCall, is)
		}
	case VerbHold, VerbDTMF:
		if ringing {
			return refuse(ErrCallRinging, is)
		}
		if call.Phase != PhaseTalking {
			return refuse(ErrNoCall, is)
		}
	case VerbRetrieve:
		if call.Phase != PhaseHeld {
			return refuse(ErrNoCall, is)
		}
	case VerbTransfer:
		if ringing {
			return refuse(ErrCallRinging, is)
		}
		if call.Phase != PhaseTalking && call.Phase != PhaseHeld {
			return refuse(ErrNoCall, is)
		}
	}
	return nil
}

// checkSupervisory checks a verb that acts on another agent: the right, the
// agent, and, when the roster is known, that the agent is on it and, for
// the verbs that join a call, on a call.
func checkSupervisory(s State, c Command, refuse func(error, string) error) error {
	if !s.HasRight(c.Verb.Right()) {
		return refuse(ErrNoRight, "needs the "+string(c.Verb.Right())+" right")
	}
	if c.Agent == "" {
		return refuse(ErrBadArgument, "which agent?")
	}
	if c.Agent == s.User {
		return refuse(ErrBadArgument, "that is you")
	}
	if s.Roster == nil {
		return nil
	}
	r, ok := s.Roster[c.Agent]
	if !ok {
		return refuse(ErrBadArgument, "no agent "+c.Agent+" on the roster")
	}
	switch c.Verb {
	case VerbListen, VerbWhisper, VerbBarge, VerbIntercept:
		if r.State != AgentBusy && r.Call == "" {
			return refuse(ErrNoCall, c.Agent+" is not on a call")
		}
	}
	return nil
}

// checkRole refuses verbs the role cannot use: a kiosk calls, leaves and
// mutes; agents and supervisors do the rest; only supervisors supervise.
func checkRole(s State, c Command) error {
	switch s.Role {
	case RoleKiosk:
		switch c.Verb {
		case VerbCall, VerbLeave, VerbMute, VerbUnmute, VerbCallback, VerbAnswer, VerbReject:
			return nil
		}
		return ErrWrongRole
	case RoleAgent:
		if c.Verb.Supervisory() || c.Verb == VerbCall || c.Verb == VerbLeave || c.Verb == VerbCallback {
			return ErrWrongRole
		}
	case RoleSupervisor:
		if c.Verb == VerbCall || c.Verb == VerbLeave || c.Verb == VerbCallback {
			return ErrWrongRole
		}
	default:
		return ErrWrongRole
	}
	return nil
}

func connDetail(s State) string {
	switch {
	case s.Conn == ConnEstablished && !s.Authed && s.AuthCode != AuthOK:
		return "sign-in failed (" + string(s.AuthCode) + ")"
	case s.Conn == ConnEstablished && !s.Authed:
		return "signing in"
	case s.ConnReason != "":
		return s.Conn.String() + ": " + s.ConnReason
	}
	return "link is " + s.Conn.String()
}
