package session

import (
	"errors"
	"fmt"
)

// Errors of Transition: an event that does not fit the state. The event is a
// fact from the wire, so Apply ignores it and keeps the state; the caller logs
// the error.
var (
	// ErrInvalidEvent: the event lacks a field it needs or holds an unknown value.
	ErrInvalidEvent = errors.New("invalid event")
	// ErrUnknownCall: the event names a call the session does not know.
	ErrUnknownCall = errors.New("unknown call")
	// ErrCallEnded: the event names a call that has ended; ended stays ended.
	ErrCallEnded = errors.New("call has ended")
	// ErrDuplicateCall: a new call reuses the id of a live call.
	ErrDuplicateCall = errors.New("duplicate call id")
	// ErrBadTransition: the call or agent cannot move that way from its phase.
	ErrBadTransition = errors.New("transition not allowed")
	// ErrNoCallToWrapUp: wrap-up was reported before any call ended.
	ErrNoCallToWrapUp = errors.New("wrap-up without a call")
	// ErrNotQueued: a queue update arrived while the caller was not waiting.
	ErrNotQueued = errors.New("not in a queue")
)

// Errors of Check: the command is refused before it reaches a vendor. Their
// text is written for the person at the keyboard.
var (
	// ErrNotConnected: there is no signed-in link to a backend.
	ErrNotConnected = errors.New("not connected")
	// ErrWrongRole: the user's role cannot issue the command.
	ErrWrongRole = errors.New("not allowed for this role")
	// ErrNoRight: the user lacks the right a supervisory command needs.
	ErrNoRight = errors.New("no right to do that")
	// ErrUnsupported: the backend cannot carry out the command.
	ErrUnsupported = errors.New("the backend cannot do that")
	// ErrNotCheckedIn: the command needs the agent checked in.
	ErrNotCheckedIn = errors.New("not checked in")
	// ErrAlreadyCheckedIn: checkin while checked in.
	ErrAlreadyCheckedIn = errors.New("already checked in")
	// ErrOnCall: the command is not allowed while a call is live or talking.
	ErrOnCall = errors.New("on a call")
	// ErrNoCall: the command needs a call and there is none in the right phase.
	ErrNoCall = errors.New("no call")
	// ErrCallRinging: the call has not been answered yet.
	ErrCallRinging = errors.New("call is ringing")
	// ErrNotWrappingUp: done outside wrap-up.
	ErrNotWrappingUp = errors.New("not in wrap-up")
	// ErrInQueue: the kiosk is already waiting or talking.
	ErrInQueue = errors.New("already calling")
	// ErrBadArgument: a required argument is missing or malformed.
	ErrBadArgument = errors.New("bad argument")
)

// TransitionError tells which event did not fit and why.
type TransitionError struct {
	Event  EventType
	CallID string
	Err    error
	Detail string
}

func (e *TransitionError) Error() string {
	s := "session: " + string(e.Event)
	if e.CallID != "" {
		s += " call " + e.CallID
	}
	s += ": " + e.Err.Error()
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

func (e *TransitionError) Unwrap() error { return e.Err }

// CheckError tells which command was refused and why. Reason is the
// one-line sentence for the person.
type CheckError struct {
	Command Command
	Err     error
	Detail  string
}

func (e *CheckError) Error() string { return "session: " + e.Reason() }

// Reason is the sentence shown to the person, e.g.
// "hold: no call (there is no call to hold)".
func (e *CheckError) Reason() string {
	s := fmt.Sprintf("%s: %s", e.Command.Verb, e.Err)
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

func (e *CheckError) Unwrap() error { return e.Err }
