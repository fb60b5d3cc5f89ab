// Package vendortest is the contract suite every backend must pass: it drives
// a Vendor the way the console does (Check, then Send, then Apply the events)
// and holds it to the contract written on vendors.Vendor.
package vendortest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// Harness tells the suite how to make vendors of one backend.
type Harness struct {
	// New returns a fresh, unconnected vendor for a user of role holding a
	// valid token. Cleanup is the harness's business (t.Cleanup).
	New func(t *testing.T, role session.Role) vendors.Vendor
	// NewBadToken returns a fresh vendor whose token the backend refuses.
	NewBadToken func(t *testing.T) vendors.Vendor
	// Ring makes a caller ring v, whose agent is checked in and ready.
	Ring func(t *testing.T, v vendors.Vendor)
	// Timeout bounds every wait; zero means 10 s.
	Timeout time.Duration
}

// Run runs the suite as subtests of t.
func Run(t *testing.T, h Harness) {
	if h.Timeout == 0 {
		h.Timeout = 10 * time.Second
	}
	t.Run("connect signs in", func(t *testing.T) { testConnect(t, h) })
	t.Run("bad token is refused", func(t *testing.T) { testBadToken(t, h) })
	t.Run("agent handles a call", func(t *testing.T) { testAgentCall(t, h) })
	t.Run("backend refuses what its state forbids", func(t *testing.T) { testRefuse(t, h) })
	t.Run("close is final", func(t *testing.T) { testClose(t, h) })
	t.Run("kiosk calls and leaves", func(t *testing.T) { testKiosk(t, h) })
}

// Session follows a vendor's events into a session.State.
type Session struct {
	t       *testing.T
	V       vendors.Vendor
	State   session.State
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
	s.Seen = append(s.Seen, e)
	s.State = session.Apply(s.State, e)
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

// Do checks c against the state, sends it, and applies what came back.
func (s *Session) Do(line string) error {
	s.t.Helper()
	c, err := session.ParseCommand(line)
	if err != nil {
		s.t.Fatalf("parse %q: %v", line, err)
	}
	s.Drain()
	if err := session.Check(s.State, c); err != nil {
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

func connect(t *testing.T, h Harness, role session.Role) *Session {
	t.Helper()
	v := h.New(t, role)
	ctx, cancel := context.WithTimeout(context.Background(), h.Timeout)
	defer cancel()
	if err := v.Connect(ctx); err != nil {
		t.Fatalf("connect as %s: %v", role, err)
	}
	s := Follow(t, v, h.Timeout)
	s.WaitFor("signed in", func(st session.State) bool { return st.Authed && st.Conn == session.ConnEstablished })
	return s
}

func testConnect(t *testing.T, h Harness) {
	s := connect(t, h, session.RoleAgent)
	if s.State.Role != session.RoleAgent {
		t.Errorf("role = %s, want agent", s.State.Role)
	}
	if s.State.Vendor == "" {
		t.Errorf("connection.established named no vendor")
	}
	for _, v := range []session.Verb{session.VerbCheckIn, session.VerbAnswer, session.VerbHangup} {
		if !s.V.Capabilities().Has(v) {
			t.Errorf("agent backend lacks %s", v)
		}
	}
}

func testBadToken(t *testing.T, h Harness) {
	v := h.NewBadToken(t)
	ctx, cancel := context.WithTimeout(context.Background(), h.Timeout)
	defer cancel()
	if err := v.Connect(ctx); err == nil {
		t.Fatalf("connect with a bad token succeeded")
	}
	s := Follow(t, v, h.Timeout)
	s.WaitFor("auth refused", func(st session.State) bool { return !st.Authed && st.AuthCode != session.AuthOK })
	if s.State.AuthCode != session.AuthInvalidToken {
		t.Errorf("auth code = %q, want %q", s.State.AuthCode, session.AuthInvalidToken)
	}
}

func testAgentCall(t *testing.T, h Harness) {
	s := connect(t, h, session.RoleAgent)
	s.MustDo("checkin")
	if !s.State.CheckedIn {
		t.Fatalf("after checkin returned, no agent.checked_in had been delivered")
	}
	s.MustDo("ready")
	s.WaitFor("ready", func(st session.State) bool { return st.Agent.State == session.AgentReady })
	h.Ring(t, s.V)
	s.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	if s.State.Agent.State != session.AgentBusy {
		t.Errorf("agent with a ringing call is %s, want busy", s.State.Agent.State)
	}
	s.MustDo("answer")
	s.WaitFor("talking", func(st session.State) bool { _, ok := st.Talking(); return ok })
	s.MustDo("hold")
	s.WaitFor("held", func(st session.State) bool { _, ok := st.Held(); return ok })
	s.MustDo("retrieve")
	s.WaitFor("talking again", func(st session.State) bool { _, ok := st.Talking(); return ok })
	s.MustDo("hangup")
	s.WaitFor("call ended", func(st session.State) bool { return !st.OnCall() && len(st.Recent) == 1 })
	if got := s.State.Recent[0].EndedBy; got != session.ByAgent {
		t.Errorf("ended by %q, want agent", got)
	}
	s.WaitFor("wrap-up", func(st session.State) bool { return st.Agent.State == session.AgentWrapUp })
	s.MustDo("done")
	s.WaitFor("ready after wrap-up", func(st session.State) bool { return st.Agent.State == session.AgentReady })
	s.MustDo("checkout")
	s.WaitFor("offline", func(st session.State) bool { return st.Agent.State == session.AgentOffline })
}

func testRefuse(t *testing.T, h Harness) {
	s := connect(t, h, session.RoleAgent)
	s.MustDo("checkin")
	// Bypass Check: the backend must refuse on its own.
	ctx, cancel := context.WithTimeout(context.Background(), h.Timeout)
	defer cancel()
	err := s.V.Send(ctx, session.Command{Verb: session.VerbHold})
	if err == nil {
		t.Fatalf("backend accepted hold with no call")
	}
	if err.Error() == "" {
		t.Errorf("refusal has no reason")
	}
	s.Drain()
	if s.State.LastFailure == nil {
		t.Fatalf("refusal emitted no command.failed before Send returned")
	}
	if s.State.LastFailure.Reason == "" {
		t.Errorf("command.failed has no reason")
	}
}

func testClose(t *testing.T, h Harness) {
	s := connect(t, h, session.RoleAgent)
	if err := s.V.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := s.V.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	deadline := time.After(h.Timeout)
	for open := true; open; {
		select {
		case _, open = <-s.V.Events():
		case <-deadline:
			t.Fatalf("events channel still open after Close")
		}
	}
	err := s.V.Send(context.Background(), session.Command{Verb: session.VerbReady})
	if !errors.Is(err, vendors.ErrClosed) {
		t.Fatalf("send after close = %v, want ErrClosed", err)
	}
}

func testKiosk(t *testing.T, h Harness) {
	s := connect(t, h, session.RoleKiosk)
	if s.V.Capabilities().Has(session.VerbBarge) {
		t.Errorf("a kiosk backend offers barge")
	}
	if err := s.Do("checkin"); !errors.Is(err, session.ErrWrongRole) && !errors.Is(err, session.ErrUnsupported) {
		t.Errorf("kiosk checkin: %v, want refused", err)
	}
	s.MustDo("call")
	s.WaitFor("queued or talking", func(st session.State) bool {
		return st.Queue.Waiting || st.Queue.NoAgents || st.OnCall()
	})
	s.MustDo("leave")
	s.WaitFor("left", func(st session.State) bool { return !st.Queue.Waiting && !st.OnCall() })
}
