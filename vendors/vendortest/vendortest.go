// Package vendortest is the contract suite every backend must pass: it drives
// a Vendor the way the console does (Check, then Send, then Apply the events)
// and holds it to the contract written on vendors.Vendor.
//
// The suite runs its sections by capability, so every kind of backend can
// pass it honestly: a section whose verbs the backend does not have is
// skipped, saying so. The kinds are
//   - ACD: check-in (checkin, ready, checkout): the agent checks in and is
//     ready before a call is offered, and wraps up after it;
//   - phone: answer and hangup; without an ACD a call rings at once and
//     the agent needs no check-in;
//   - kiosk: call and leave, for a kiosk-role user;
//   - supervisor: any supervisory verb, for a supervisor-role user.
//
// Connect, a bad token and Close are every backend's.
package vendortest

import (
	"context"
	"testing"
	"time"

	"github.com/agentty/agentty/app"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// Harness tells the suite how to make vendors of one backend.
type Harness struct {
	// New returns a fresh, unconnected vendor for a user of role holding a
	// valid token. A backend with no roles (a SIP account) ignores role
	// and signs in an agent. Cleanup is the harness's business (t.Cleanup).
	New func(t *testing.T, role session.Role) vendors.Vendor
	// NewBadToken returns a fresh vendor whose token the backend refuses.
	NewBadToken func(t *testing.T) vendors.Vendor
	// Ring makes a caller ring v: an agent of an ACD backend is checked in
	// and ready by then; a phone-only backend's phone is signed in.
	Ring func(t *testing.T, v vendors.Vendor)
	// Timeout bounds every wait; zero means 10 s.
	Timeout time.Duration
}

// Kind is a part of the contract a backend has by its capabilities.
type Kind string

// The kinds the suite's sections are chosen by.
const (
	KindACD        Kind = "acd"
	KindPhone      Kind = "phone"
	KindKiosk      Kind = "kiosk"
	KindSupervisor Kind = "supervisor"
)

// Has reports whether caps make a backend of kind k (see the package doc).
func (k Kind) Has(caps session.Capabilities) bool {
	switch k {
	case KindACD:
		return caps.Has(session.VerbCheckIn) && caps.Has(session.VerbReady) && caps.Has(session.VerbCheckOut)
	case KindPhone:
		return caps.Has(session.VerbAnswer) && caps.Has(session.VerbHangup)
	case KindKiosk:
		return caps.Has(session.VerbCall) && caps.Has(session.VerbLeave)
	case KindSupervisor:
		for _, v := range session.Verbs() {
			if v.Supervisory() && caps.Has(v) {
				return true
			}
		}
	}
	return false
}

// Run runs the suite as subtests of t.
func Run(t *testing.T, h Harness) {
	if h.Timeout == 0 {
		h.Timeout = 10 * time.Second
	}
	t.Run("connect signs in", func(t *testing.T) { testConnect(t, h) })
	t.Run("bad token is refused", func(t *testing.T) { testBadToken(t, h) })
	t.Run("agent checks in and out", func(t *testing.T) { testCheckIn(t, h) })
	t.Run("agent handles a call", func(t *testing.T) { testAgentCall(t, h) })
	t.Run("backend refuses what its state forbids", func(t *testing.T) { testRefuse(t, h) })
	t.Run("close is final", func(t *testing.T) { testClose(t, h) })
	t.Run("kiosk calls and leaves", func(t *testing.T) { testKiosk(t, h) })
	t.Run("supervisor signs in", func(t *testing.T) { testSupervisor(t, h) })
}

// Session follows a vendor's events into an app.Session (its State is
// the State the console would hold) and drives the vendor the way the
// console does.
type Session struct {
	app.Session
	t       *testing.T
	V       vendors.Vendor
	Seen    []session.Event
	timeout time.Duration
}

// Follow returns a Session reading v's events.
func Follow(t *testing.T, v vendors.Vendor, timeout time.Duration) *Session {
	return &Session{t: t, V: v, timeout: timeout}
}

// Drain applies every event already delivered, without waiting.
func (s *Session) Drain() {
	for {
		select {
		case e, ok := <-s.V.Events():
			if !ok {
				return
			}
			s.apply(e)
		default:
			return
		}
	}
}

func (s *Session) apply(e session.Event) {
	e, _ = s.Apply(e)
	s.Seen = append(s.Seen, e)
}

// WaitFor applies events until ok(State) holds, failing the test at the
// deadline.
func (s *Session) WaitFor(what string, ok func(session.State) bool) {
	s.t.Helper()
	s.Drain()
	deadline := time.NewTimer(s.timeout)
	defer deadline.Stop()
	for !ok(s.State) {
		select {
		case e, open := <-s.V.Events():
			if !open {
				s.t.Fatalf("waiting for %s: events closed; state %+v", what, s.State.Agent)
			}
			s.apply(e)
		case <-deadline.C:
			s.t.Fatalf("waiting for %s: no such state after %v; last events %v", what, s.timeout, lastTypes(s.Seen, 8))
		}
	}
}

// Do checks the line against the state (app.Session.Check), sends it, and
// applies what came back. The line reaches the backend as typed: the
// number rule and dial-by-name (Session.Resolve) are the front ends', and
// the suite holds the backend to what it is given.
func (s *Session) Do(line string) error {
	s.t.Helper()
	c, err := s.Parse(line)
	if err != nil {
		s.t.Fatalf("parse %q: %v", line, err)
	}
	s.Drain()
	if err := s.Check(c); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	err = s.V.Send(ctx, c)
	s.Drain()
	return err
}

// MustDo is Do that fails the test on an error.
func (s *Session) MustDo(line string) {
	s.t.Helper()
	if err := s.Do(line); err != nil {
		s.t.Fatalf("%s: %v", line, err)
	}
}

func lastTypes(es []session.Event, n int) []session.EventType {
	if len(es) > n {
		es = es[len(es)-n:]
	}
	out := make([]session.EventType, len(es))
	for i, e := range es {
		out[i] = e.Type()
	}
	return out
}
