package session

import "time"

// Callback instead of waiting: a queued caller asks to be called back
// (callback [NUMBER]) and hangs up, keeping its place in line; when the
// call reaches the head, an agent is offered it as a ringing call marked
// callback, with the caller's number and how long it waited, and answering
// dials the caller back.

// VerbCallback books a callback for the caller's queued call (kiosk).
const VerbCallback Verb = "callback"

// TypeQueueCallback is the wire name of QueueCallback.
const TypeQueueCallback EventType = "queue.callback"

// QueueCallback: the caller's callback is booked (or its place in line
// moved): the centre will call Number back when the call reaches the head
// of Group's queue. Cancelled says the booking was dropped.
type QueueCallback struct {
	Base
	Group     string `json:"group,omitempty"`
	Number    string `json:"number"`
	Position  int    `json:"position,omitempty"`
	Cancelled bool   `json:"cancelled,omitempty"`
}

func (QueueCallback) Type() EventType { return TypeQueueCallback }

// CallbackStatus is the caller's booked callback, while one waits.
type CallbackStatus struct {
	Booked   bool
	Number   string
	Group    string
	Position int
	Since    time.Time
}

// applyQueueCallback keeps the caller's booking.
func applyQueueCallback(s State, e QueueCallback, at time.Time) State {
	if e.Cancelled {
		s.Callback = CallbackStatus{}
		return s
	}
	since := s.Callback.Since
	if !s.Callback.Booked {
		since = at
	}
	s.Callback = CallbackStatus{Booked: true, Number: e.Number, Group: e.Group, Position: e.Position, Since: since}
	return s
}

// checkCallback allows callback while the caller waits in a queue.
func checkCallback(s State, c Command) error {
	if !s.Queue.Waiting {
		return &CheckError{Command: c, Err: ErrNoCall, Detail: "you are not waiting in a queue; a callback keeps your place in line"}
	}
	if c.Number != "" && !validNumber(c.Number) {
		return &CheckError{Command: c, Err: ErrBadArgument, Detail: "call back which number? " + c.Number + " is not one"}
	}
	return nil
}
