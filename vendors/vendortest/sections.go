package vendortest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

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

// need connects as role and skips the section unless the backend is of
// kind for that role.
func need(t *testing.T, h Harness, role session.Role, kind Kind) *Session {
	t.Helper()
	s := connect(t, h, role)
	if !kind.Has(s.V.Capabilities()) {
		s.V.Close()
		t.Skipf("%s backend %s is no %s backend for a %s (capabilities %v)", s.State.Vendor, s.V.Name(), kind, role, s.V.Capabilities().List())
	}
	if role != session.RoleAgent && s.State.Role != role {
		s.V.Close()
		t.Skipf("the backend signs in a %s as %s: it has no %s role", role, s.State.Role, role)
	}
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
	caps := s.V.Capabilities()
	if caps == nil {
		t.Fatalf("no capabilities after Connect")
	}
	// Capabilities fail closed: a console knows only what
	// connection.established says.
	if got, want := s.State.Capabilities.List(), caps.List(); !slices.Equal(got, want) {
		t.Errorf("connection.established lists %v, Capabilities() %v", got, want)
	}
	var kinds []Kind
	for _, k := range []Kind{KindACD, KindPhone, KindKiosk, KindSupervisor} {
		if k.Has(caps) {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		t.Errorf("an agent's backend is of no kind the suite knows (capabilities %v)", caps.List())
	}
	t.Logf("%s: an agent's backend is %v", s.V.Name(), kinds)
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

// testCheckIn: an ACD's agent checks in, goes ready and not ready, and
// checks out.
func testCheckIn(t *testing.T, h Harness) {
	s := need(t, h, session.RoleAgent, KindACD)
	s.MustDo("checkin")
	if !s.State.CheckedIn {
		t.Fatalf("after checkin returned, no agent.checked_in had been delivered")
	}
	s.MustDo("ready")
	s.WaitFor("ready", func(st session.State) bool { return st.Agent.State == session.AgentReady })
	if s.V.Capabilities().Has(session.VerbNotReady) {
		s.MustDo("notready")
		s.WaitFor("not ready", func(st session.State) bool { return st.Agent.State == session.AgentNotReady })
	}
	s.MustDo("checkout")
	s.WaitFor("offline", func(st session.State) bool { return st.Agent.State == session.AgentOffline })
}

// testAgentCall: a call rings, is answered, held and resumed where the
// backend holds, and hung up. An ACD's agent checks in and readies first
// and wraps up after; a phone's rings at once.
func testAgentCall(t *testing.T, h Harness) {
	s := need(t, h, session.RoleAgent, KindPhone)
	caps := s.V.Capabilities()
	acd := KindACD.Has(caps)
	if acd {
		s.MustDo("checkin")
		if !s.State.CheckedIn {
			t.Fatalf("after checkin returned, no agent.checked_in had been delivered")
		}
		s.MustDo("ready")
		s.WaitFor("ready", func(st session.State) bool { return st.Agent.State == session.AgentReady })
	}
	h.Ring(t, s.V)
	s.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	if acd && s.State.Agent.State != session.AgentBusy {
		t.Errorf("agent with a ringing call is %s, want busy", s.State.Agent.State)
	}
	s.MustDo("answer")
	s.WaitFor("talking", func(st session.State) bool { _, ok := st.Talking(); return ok })
	if caps.Has(session.VerbHold) && caps.Has(session.VerbRetrieve) {
		s.MustDo("hold")
		s.WaitFor("held", func(st session.State) bool { _, ok := st.Held(); return ok })
		s.MustDo("retrieve")
		s.WaitFor("talking again", func(st session.State) bool { _, ok := st.Talking(); return ok })
	}
	s.MustDo("hangup")
	s.WaitFor("call ended", func(st session.State) bool { return !st.OnCall() && len(st.Recent) == 1 })
	if got := s.State.Recent[0].EndedBy; got != session.ByAgent {
		t.Errorf("ended by %q, want agent", got)
	}
	if !acd {
		return
	}
	s.WaitFor("wrap-up", func(st session.State) bool { return st.Agent.State == session.AgentWrapUp })
	s.MustDo("done")
	s.WaitFor("ready after wrap-up", func(st session.State) bool { return st.Agent.State == session.AgentReady })
	s.MustDo("checkout")
	s.WaitFor("offline", func(st session.State) bool { return st.Agent.State == session.AgentOffline })
}

// forbidden returns a command the backend has and the state forbids
// (session.Check refuses it), for the refusal test; false when it has
// none the suite knows.
func forbidden(st session.State, caps session.Capabilities) (session.Command, bool) {
	for _, c := range []session.Command{
		{Verb: session.VerbHold},
		{Verb: session.VerbRetrieve},
		{Verb: session.VerbAnswer},
		{Verb: session.VerbHangup},
		{Verb: session.VerbDone},
		{Verb: session.VerbLeave},
	} {
		if !caps.Has(c.Verb) {
			continue
		}
		if err := session.Check(st, c); errors.Is(err, session.ErrNoCall) || errors.Is(err, session.ErrNotWrappingUp) {
			return c, true
		}
	}
	return session.Command{}, false
}

// Refusal sends c bypassing Check and reports how the backend failed to
// refuse it on its own: accepting it, refusing with no reason, or with no
// command.failed delivered before Send returned. nil: refused as the
// contract says.
func Refusal(ctx context.Context, s *Session, c session.Command) error {
	s.Drain()
	before := s.State.LastFailure
	err := s.V.Send(ctx, c)
	if err == nil {
		return fmt.Errorf("backend accepted %q, which its state forbids", c.String())
	}
	if err.Error() == "" {
		return fmt.Errorf("refusal of %q has no reason", c.String())
	}
	s.Drain()
	if s.State.LastFailure == nil || s.State.LastFailure == before {
		return fmt.Errorf("refusal of %q emitted no command.failed before Send returned", c.String())
	}
	if s.State.LastFailure.Reason == "" {
		return fmt.Errorf("command.failed for %q has no reason", c.String())
	}
	return nil
}

func testRefuse(t *testing.T, h Harness) {
	s := connect(t, h, session.RoleAgent)
	if KindACD.Has(s.V.Capabilities()) {
		s.MustDo("checkin")
	}
	c, ok := forbidden(s.State, s.V.Capabilities())
	if !ok {
		t.Fatalf("no verb among hold, retrieve, answer, hangup, done, leave to test a refusal with (capabilities %v)", s.V.Capabilities().List())
	}
	ctx, cancel := context.WithTimeout(context.Background(), h.Timeout)
	defer cancel()
	// Bypass Check: the backend must refuse on its own.
	if err := Refusal(ctx, s, c); err != nil {
		t.Fatal(err)
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
	s := need(t, h, session.RoleKiosk, KindKiosk)
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

// testSupervisor: a supervisor signs in as one; an agent's supervisory
// command is refused by the backend itself, not only by Check.
func testSupervisor(t *testing.T, h Harness) {
	s := need(t, h, session.RoleSupervisor, KindSupervisor)
	if s.State.Role != session.RoleSupervisor {
		t.Errorf("role = %s, want supervisor", s.State.Role)
	}
	var verb session.Verb
	for _, v := range s.V.Capabilities().List() {
		if v.Supervisory() {
			verb = v
			break
		}
	}
	a := connect(t, h, session.RoleAgent)
	ctx, cancel := context.WithTimeout(context.Background(), h.Timeout)
	defer cancel()
	c := session.Command{Verb: verb, Agent: s.State.User}
	if err := Refusal(ctx, a, c); err != nil {
		t.Errorf("an agent's %s: %v", verb, err)
	}
}
