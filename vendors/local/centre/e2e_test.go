package centre

import (
	"context"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/vendortest"
)

func ringing(st session.State) bool { _, ok := st.Ringing(); return ok }
func talking(st session.State) bool { _, ok := st.Talking(); return ok }
func held(st session.State) bool    { _, ok := st.Held(); return ok }
func idle(st session.State) bool    { return !st.OnCall() }

func TestKioskAgentTransferWrapUp(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	c.group(acd.GroupConfig{ID: "sales", WrapUp: 20 * time.Second})
	ana := c.signIn(session.RoleAgent, "ana", "sales")
	bo := c.signIn(session.RoleAgent, "bo", "sales")
	kiosk := c.signIn(session.RoleKiosk, "lobby", "sales")

	ana.MustDo("checkin")
	ana.MustDo("ready")
	kiosk.MustDo("call")
	kiosk.WaitFor("queued", func(st session.State) bool { return st.Queue.Waiting && st.Queue.Position == 1 })
	ana.WaitFor("ringing", ringing)
	c.advance(4 * time.Second)
	ana.MustDo("answer")
	kiosk.WaitFor("talking", talking)
	if kiosk.State.Queue.Waiting {
		t.Errorf("kiosk still waiting after answer")
	}
	ana.MustDo("hold")
	kiosk.WaitFor("held", held)
	ana.MustDo("retrieve")
	ana.MustDo("dtmf 42")
	kiosk.WaitFor("dtmf", func(st session.State) bool { return len(st.Calls) == 1 && st.Calls[0].DTMF == "42" })

	bo.MustDo("checkin")
	bo.MustDo("ready")
	c.advance(30 * time.Second)
	ana.MustDo("transfer agent:bo")
	ana.WaitFor("ana wraps up", func(st session.State) bool { return idle(st) && st.Agent.State == session.AgentWrapUp })
	bo.WaitFor("bo ringing", ringing)
	bo.MustDo("answer")
	kiosk.WaitFor("talking to bo", talking)
	c.advance(20 * time.Second) // ana's wrap-up timer
	ana.WaitFor("ana ready after wrap-up", func(st session.State) bool { return st.Agent.State == session.AgentReady })
	c.advance(10 * time.Second)
	bo.MustDo("hangup")
	kiosk.WaitFor("call ended", idle)
	if got := kiosk.State.Recent[0].EndedBy; got != session.ByAgent {
		t.Errorf("kiosk call ended by %q", got)
	}
	bo.WaitFor("bo wraps up", func(st session.State) bool { return st.Agent.State == session.AgentWrapUp })
	bo.MustDo("done")

	recs, err := c.srv.Store().Calls(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("records = %+v, want 2 segments", recs)
	}
	if r := recs[0]; r.Agent != "ana" || r.Disposition != "transferred" || r.Wait != 4*time.Second || r.Talk != 30*time.Second {
		t.Errorf("first segment %+v", r)
	}
	if r := recs[1]; r.Agent != "bo" || r.Disposition != "answered" || r.EndedBy != "agent" || r.Talk != 30*time.Second {
		t.Errorf("second segment %+v", r)
	}
}

func TestRingTimeoutReoffers(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	c.group(acd.GroupConfig{ID: "g", RingTimeout: 15 * time.Second})
	a := c.signIn(session.RoleAgent, "a", "g")
	b := c.signIn(session.RoleAgent, "b", "g")
	a.MustDo("checkin")
	a.MustDo("ready")
	c.advance(time.Second)
	b.MustDo("checkin")
	b.MustDo("ready")
	if _, err := c.srv.SimCall(context.Background(), "+1 555 0100", "g", nil); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("a (longest idle) rings", ringing)
	c.advance(15 * time.Second)
	a.WaitFor("a missed", func(st session.State) bool {
		return idle(st) && st.Agent.State == session.AgentNotReady && st.Agent.Reason == "missed"
	})
	b.WaitFor("b rings", ringing)
	b.MustDo("answer")
}

func TestNoAgents(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	k := c.signIn(session.RoleKiosk, "k")
	k.MustDo("call")
	k.WaitFor("no agents", func(st session.State) bool { return st.Queue.NoAgents })
	a := c.signIn(session.RoleAgent, "a")
	a.MustDo("checkin")
	k.WaitFor("queued once an agent checks in", func(st session.State) bool { return st.Queue.Waiting })
	k.MustDo("leave")
	k.WaitFor("left", idle)
}

func TestRolesEnforcedByServer(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	a := c.signIn(session.RoleAgent, "a")
	k := c.signIn(session.RoleKiosk, "k")
	c.signIn(session.RoleAgent, "b")
	ctx := context.Background()
	// Bypass session.Check: the server must refuse on its own.
	err := a.V.Send(ctx, session.Command{Verb: session.VerbBarge, Agent: "b"})
	if err == nil {
		t.Fatalf("agent token barged")
	}
	a.Drain()
	if a.State.LastFailure == nil {
		t.Errorf("no command.failed for the refused barge")
	}
	for _, cmd := range []session.Command{{Verb: session.VerbCheckIn}, {Verb: session.VerbDial, Number: "123"}, {Verb: session.VerbPause, Agent: "a"}} {
		if err := k.V.Send(ctx, cmd); err == nil {
			t.Errorf("kiosk token ran %s", cmd)
		}
	}
}

func TestReconnectMidCallKeepsCall(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	a := c.signIn(session.RoleAgent, "a")
	k := c.signIn(session.RoleKiosk, "k")
	a.MustDo("checkin")
	a.MustDo("ready")
	k.MustDo("call")
	a.WaitFor("ringing", ringing)
	a.MustDo("answer")
	k.WaitFor("talking", talking)

	drop(t, a)
	a.WaitFor("lost", func(st session.State) bool { return st.Conn != session.ConnEstablished })
	a.WaitFor("restored", func(st session.State) bool { return st.Conn == session.ConnEstablished })
	c.advance(20 * time.Second)
	if !talking(k.State) || !talking(a.State) {
		t.Fatalf("call did not survive the drop")
	}
	if err := a.Do("hold"); err != nil {
		for _, e := range a.Seen {
			t.Logf("%T %+v", e, e)
		}
		t.Fatal(err)
	}
	k.WaitFor("held after resume", held)

	// The caller leaves while the agent is away: the agent learns it on resume.
	drop(t, a)
	k.MustDo("leave")
	a.WaitFor("ended while away, replayed", idle)
	a.WaitFor("restored again", func(st session.State) bool { return st.Conn == session.ConnEstablished })
	if n := len(a.State.Recent); n != 1 {
		t.Errorf("agent has %d ended calls, want 1", n)
	}
}

func TestSignOutEndsCall(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	a := c.signIn(session.RoleAgent, "a")
	k := c.signIn(session.RoleKiosk, "k")
	a.MustDo("checkin")
	a.MustDo("ready")
	k.MustDo("call")
	a.WaitFor("ringing", ringing)
	a.MustDo("answer")
	k.WaitFor("talking", talking)
	a.V.Close()
	k.WaitFor("ended when the agent signed out", idle)
	if got := k.State.Recent[0].EndedBy; got != session.BySystem {
		t.Errorf("ended by %q, want system", got)
	}
}

// drop cuts the client's connection under it, as a network failure would.
func drop(t *testing.T, s *vendortest.Session) {
	t.Helper()
	if !s.V.(*local.Client).DropConnection() {
		t.Fatal("no connection to drop")
	}
}

func TestAuthCodes(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	ctx := context.Background()
	expired, err := c.srv.Store().CreateToken(ctx, storeUser("old", session.RoleAgent), time.Hour, c.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	gone := c.token(session.RoleAgent, "gone")
	if err := c.srv.Store().DisableUser(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	c.clock.Add(2 * time.Hour)
	for tok, want := range map[string]session.AuthCode{
		expired: session.AuthTokenExpired, gone: session.AuthUnknownUser, "agt_x": session.AuthInvalidToken, "junk": session.AuthInvalidToken,
	} {
		cl := c.client(tok)
		err := cl.Connect(ctx)
		if code, ok := local.AuthRefused(err); !ok || code != want {
			t.Errorf("token %.8s: %v, want %s", tok, err, want)
		}
	}
}

func TestSecondSignInTakesOver(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	tok := c.token(session.RoleAgent, "a")
	first, second := c.client(tok), c.client(tok)
	ctx := context.Background()
	if err := first.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	s1 := vendortest.Follow(t, first, 10*time.Second)
	s1.WaitFor("signed in", func(st session.State) bool { return st.Authed })
	s1.MustDo("checkin")
	if err := second.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	s1.WaitFor("conflict", func(st session.State) bool {
		return st.Conn == session.ConnLost && st.ConnReason == "signed in elsewhere"
	})
	s2 := vendortest.Follow(t, second, 10*time.Second)
	s2.WaitFor("second holds the session, still checked in", func(st session.State) bool { return st.Authed && st.CheckedIn })
	s2.MustDo("ready")
}

func TestSupervisorOverWebSocket(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	a := c.signIn(session.RoleAgent, "ana")
	sup := c.signIn(session.RoleSupervisor, "boss")
	k := c.signIn(session.RoleKiosk, "k")
	sup.WaitFor("roster and rights", func(st session.State) bool {
		_, ok := st.Roster["ana"]
		return ok && st.HasRight(session.RightBarge)
	})
	a.MustDo("checkin")
	a.MustDo("ready")
	sup.WaitFor("ana ready on the roster", func(st session.State) bool { return st.Roster["ana"].State == session.AgentReady })
	k.MustDo("call")
	a.WaitFor("ringing", ringing)
	a.MustDo("answer")
	c.advance(2 * time.Second) // the roster snapshot timer
	sup.WaitFor("ana's call on the roster", func(st session.State) bool { return st.Roster["ana"].Call != "" })
	sup.MustDo("listen ana")
	sup.WaitFor("listening", func(st session.State) bool { cl, ok := st.Talking(); return ok && cl.Monitor == session.MonitorListen })
	sup.MustDo("whisper ana")
	a.WaitFor("agent hears the whisper", func(st session.State) bool { cl, _ := st.Talking(); return cl.Monitor == session.MonitorWhisper })
	sup.MustDo("barge ana")
	k.WaitFor("caller sees three parties", func(st session.State) bool { return len(st.Calls) == 1 && len(st.Calls[0].Parties) == 3 })
	if err := sup.Do("pause ana"); err == nil {
		t.Errorf("pause of an agent on a call accepted")
	}
	sup.MustDo("intercept ana")
	a.WaitFor("ana's part ended", func(st session.State) bool { return idle(st) && st.Agent.State == session.AgentWrapUp })
	sup.MustDo("hangup")
	k.WaitFor("caller's call ended", idle)
	a.MustDo("done")
	sup.MustDo("pause ana")
	a.WaitFor("paused", func(st session.State) bool {
		return st.Agent.State == session.AgentNotReady && st.Agent.Reason == "paused by boss"
	})
	sup.MustDo("restore ana")
	a.WaitFor("restored", func(st session.State) bool { return st.Agent.State == session.AgentReady })
	sup.MustDo("logout ana")
	a.WaitFor("logged out", func(st session.State) bool { return st.Agent.State == session.AgentOffline && !st.CheckedIn })
	recs, _ := c.srv.Store().Calls(context.Background())
	if len(recs) != 2 || recs[0].Disposition != "intercepted" || recs[1].Agent != "boss" {
		t.Errorf("records %+v", recs)
	}
}

func TestRejectAndOutbound(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	a := c.signIn(session.RoleAgent, "a")
	b := c.signIn(session.RoleAgent, "b")
	a.MustDo("checkin")
	a.MustDo("ready")
	c.advance(time.Second)
	b.MustDo("checkin")
	b.MustDo("ready")
	k := c.signIn(session.RoleKiosk, "k")
	k.MustDo("call")
	a.WaitFor("a rings", ringing)
	a.MustDo("reject")
	a.WaitFor("a not ready after rejecting", func(st session.State) bool {
		return idle(st) && st.Agent.State == session.AgentNotReady && st.Agent.Reason == "rejected"
	})
	b.WaitFor("b rings next", ringing)
	b.MustDo("answer")
	k.WaitFor("talking", talking)
	k.MustDo("leave")
	b.WaitFor("b wraps up", func(st session.State) bool { return st.Agent.State == session.AgentWrapUp })

	a.MustDo("dial +44 20 7946 0000")
	a.WaitFor("dialling", func(st session.State) bool { return st.OnCall() && !talking(st) })
	c.advance(2 * time.Second) // the external number answers
	a.WaitFor("talking to the number", talking)
	a.MustDo("dtmf 1")
	a.MustDo("hangup")
	a.WaitFor("wrap-up after the outbound call", func(st session.State) bool { return st.Agent.State == session.AgentWrapUp })
	recs, _ := c.srv.Store().Calls(context.Background())
	if len(recs) != 2 || recs[1].To != "+44 20 7946 0000" || recs[1].Agent != "a" {
		t.Errorf("records %+v", recs)
	}
}
