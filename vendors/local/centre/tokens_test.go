package centre

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/local/store"
	"github.com/agentty/agentty/vendors/vendortest"
)

func signedOut(code session.AuthCode) func(session.State) bool {
	return func(st session.State) bool {
		return !st.Authed && st.AuthCode == code && st.Conn == session.ConnLost
	}
}

// Revoking a token ends its live session at once: auth.result with
// invalid_token, close 4001, the call ended and the agent checked out.
func TestRevokeEndsLiveSession(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	a := c.signIn(session.RoleAgent, "ana")
	k := c.signIn(session.RoleKiosk, "lobby")
	a.MustDo("checkin")
	a.MustDo("ready")
	k.MustDo("call")
	a.WaitFor("ringing", ringing)
	a.MustDo("answer")
	toks, err := c.srv.Store().Tokens(context.Background())
	if err != nil || len(toks) != 2 {
		t.Fatalf("tokens %+v, %v", toks, err)
	}
	id := toks[0].ID
	if toks[0].User != "ana" {
		id = toks[1].ID
	}
	if n, err := c.srv.Store().RevokeTokens(context.Background(), id); n != 1 || err != nil {
		t.Fatalf("revoke %s: %d, %v", id, n, err)
	}
	c.srv.CheckTokens()
	a.WaitFor("signed out", signedOut(session.AuthInvalidToken))
	k.WaitFor("the call ended", idle)
	if after, _ := c.srv.Store().Tokens(context.Background()); len(after) != 1 || after[0].User != "lobby" {
		t.Fatalf("tokens after the revoke: %+v", after)
	}
}

// Disabling a user and a token's expiry end the live session too.
func TestDisableAndExpiryEndLiveSessions(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	a := c.signIn(session.RoleAgent, "ana")
	tok, err := c.srv.Store().CreateToken(context.Background(), store.User{ID: "bo", Role: session.RoleAgent}, time.Minute, c.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	cl := c.client(tok)
	if err := cl.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := followClient(t, cl)
	if err := c.srv.Store().DisableUser(context.Background(), "ana"); err != nil {
		t.Fatal(err)
	}
	c.srv.CheckTokens()
	a.WaitFor("ana signed out", signedOut(session.AuthUnknownUser))
	b.Drain()
	if !b.State.Authed {
		t.Fatal("bo signed out before his token expired")
	}
	c.clock.Add(time.Minute)
	c.srv.CheckTokens()
	b.WaitFor("bo signed out at expiry", signedOut(session.AuthTokenExpired))
}

// A token for an existing name never changes that user's role.
func TestTokenNeverChangesRole(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	c.token(session.RoleKiosk, "lobby")
	_, err := c.srv.Store().CreateToken(context.Background(), store.User{ID: "lobby", Role: session.RoleSupervisor}, 0, c.clock.Now())
	if !errors.Is(err, store.ErrRoleChange) {
		t.Fatalf("supervisor token for a kiosk: %v", err)
	}
	if _, err := c.srv.Store().CreateToken(context.Background(), store.User{ID: "lobby", Role: session.RoleKiosk}, 0, c.clock.Now()); err != nil {
		t.Fatalf("second kiosk token: %v", err)
	}
}

func followClient(t *testing.T, cl *local.Client) *vendortest.Session {
	t.Helper()
	s := vendortest.Follow(t, cl, 10*time.Second)
	s.WaitFor("signed in", func(st session.State) bool { return st.Authed })
	return s
}
