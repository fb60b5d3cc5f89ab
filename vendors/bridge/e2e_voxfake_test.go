package bridge

import (
	"log/slog"
	"testing"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/bridge/voximplant/voxfake"
)

// voxUser is the fake cloud's one user.
const voxUser = "alice@app.acc.voximplant.com"

// voxFake starts the fake signalling server (wss on loopback with a fresh
// self-signed certificate) and returns it with a vendor pointed at it.
func voxFake(t *testing.T, password string) (*voxfake.Server, *Vendor) {
	t.Helper()
	f, err := voxfake.Start(map[string]string{voxUser: "secret"}, slog.New(slog.NewTextHandler(testWriter{t}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	b := chromium(t).(Chromium)
	b.Flags = map[string]any{"ignore-certificate-errors": true}
	v := New(Voximplant(voxSDK(t)), map[string]string{"server_ip": f.Addr(), "user": "alice", "application": "app",
		"account": "acc", "password": password}, b, vendors.Config{})
	v.OpenDevice = nullDevice
	t.Cleanup(func() { v.Close() })
	return f, v
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) { w.t.Log(string(b)); return len(b), nil }

// TestVoximplantLoginAndIncomingCall: the real SDK connects to the fake
// cloud over wss and logs in (AuthResult through client.on); the operator
// checks in and is ready (setOperatorACDStatus, ACDStatusUpdated); an
// incoming call the server offers reaches the shim's IncomingCall listener
// with its number and name, is answered (acceptCall, Connected) and hung up
// (disconnectCall, Disconnected by the agent), and the ACD puts the
// operator in after service (wrap-up).
func TestVoximplantLoginAndIncomingCall(t *testing.T) {
	f, v := voxFake(t, "secret")
	open(t, v)
	var s session.State
	follow(t, v, &s, "signed in", func(st session.State, _ session.Event) bool { return st.Authed })
	if s.Conn != session.ConnEstablished {
		t.Errorf("conn %s", s.Conn)
	}
	ctx := ctx10(t)
	do := func(c session.Command) {
		t.Helper()
		must(t, session.Check(s, c))
		must(t, v.Send(ctx, c))
	}
	do(session.Command{Verb: session.VerbCheckIn})
	do(session.Command{Verb: session.VerbReady})
	follow(t, v, &s, "ready", func(st session.State, _ session.Event) bool { return st.Agent.State == session.AgentReady })
	must(t, f.Ring("call-1", "+34911000111", "Bob"))
	follow(t, v, &s, "ringing", func(st session.State, _ session.Event) bool { _, ok := st.Ringing(); return ok })
	ring, _ := s.Ringing()
	if ring.ID != "call-1" || ring.From != "+34911000111" || ring.Contact != "Bob" || s.Agent.State != session.AgentBusy {
		t.Errorf("ringing %+v, agent %s", ring, s.Agent.State)
	}
	do(session.Command{Verb: session.VerbAnswer, CallID: "call-1"})
	follow(t, v, &s, "talking", func(st session.State, _ session.Event) bool { _, ok := st.Talking(); return ok })
	// Hold is not tried: the SDK's setActive renegotiates only over a
	// connected PeerConnection, and the fake carries no media.
	do(session.Command{Verb: session.VerbHangup, CallID: "call-1"})
	follow(t, v, &s, "wrap-up", func(st session.State, _ session.Event) bool {
		return len(st.Recent) == 1 && st.Agent.State == session.AgentWrapUp
	})
	if s.Recent[0].EndedBy != session.ByAgent {
		t.Errorf("ended by %q", s.Recent[0].EndedBy)
	}
	t.Logf("the SDK sent %v", f.Received())
}

// TestVoximplantWrongPassword: the fake refuses the SDK's credential with
// 401; AuthResult carries it and Connect fails with invalid_token.
func TestVoximplantWrongPassword(t *testing.T) {
	_, v := voxFake(t, "wrong")
	ctx := ctx10(t)
	err := v.Connect(ctx)
	if err == nil {
		t.Fatal("Connect succeeded with a wrong password")
	}
	var s session.State
	follow(t, v, &s, "refused", func(st session.State, _ session.Event) bool { return st.AuthCode != session.AuthOK })
	if s.AuthCode != session.AuthInvalidToken || s.Authed {
		t.Errorf("auth %q authed %v (connect: %v)", s.AuthCode, s.Authed, err)
	}
}
