// Package app is the application layer between package session and the
// front ends (the console in package ui, headless mode, the contract
// suite): the rules every front end must apply the same way. Session owns
// the State and the pipeline's steps (parse, the number rule and
// dial-by-name, Check), caller ID and the verbs possible now; Runner sends
// one command at a time with its events before the answer. It imports
// only session.
package app

import (
	"errors"
	"fmt"

	"github.com/agentty/agentty/session"
)

// ErrNoContact is returned by ResolveDial when no contact with a number
// matches the name.
var ErrNoContact = errors.New("no contact with a number matches")

// Search finds contacts; it is the part of a contact book ResolveDial
// needs. It returns the first matching contact's numbers, nil when none
// matches.
type Search func(name string) (phones []string, err error)

// ResolveDial applies the number rule (session.DialNumber) to a dial: a
// number is dialled in its compact form, anything else is a contact's name
// and is replaced by that contact's first number (search may be nil: then
// a name is refused).
// Other commands pass through.
func ResolveDial(c session.Command, search Search) (session.Command, error) {
	if c.Verb != session.VerbDial {
		return c, nil
	}
	if n, ok := session.DialNumber(c.Number); ok {
		c.Number = n
		return c, nil
	}
	if search == nil {
		return c, fmt.Errorf("dial: %w %q (no contact book)", ErrNoContact, c.Number)
	}
	phones, err := search(c.Number)
	if err != nil {
		return c, fmt.Errorf("dial %s: contacts: %w", c.Number, err)
	}
	if len(phones) == 0 {
		return c, fmt.Errorf("dial: %w %q", ErrNoContact, c.Number)
	}
	c.Number = phones[0]
	return c, nil
}

// CallerNumber is the other party's number of a call event that names
// one (ringing: the caller, or the callee of an outbound call; dialling:
// the callee), "" for any other event.
func CallerNumber(e session.Event) string {
	switch e := e.(type) {
	case session.CallRinging:
		if e.Direction == session.DirOutbound {
			return e.To
		}
		return e.From
	case session.CallDialing:
		return e.To
	}
	return ""
}

// CallerID names the caller of a ringing call that has no contact name
// yet, from lookup (a contact book's exact-number lookup).
func CallerID(e session.Event, lookup func(number string) (name string, ok bool)) session.Event {
	r, ok := e.(session.CallRinging)
	if !ok || r.Contact != "" || lookup == nil {
		return e
	}
	if name, ok := lookup(CallerNumber(r)); ok {
		r.Contact = name
	}
	return r
}
