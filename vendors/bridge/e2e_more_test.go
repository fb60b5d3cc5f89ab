package bridge

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/bridge/sfphone"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ctx10(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestSFPhoneInChromium: contacts pushed, click2call, ringing with caller
// ID from the pushed contacts, accepted, terminated with the seed's duration.
func TestSFPhoneInChromium(t *testing.T) {
	v := New(SFPhone(http.Dir("testdata/sfphone"), "sfphone.html"), nil, chromium(t), vendors.Config{})
	t.Cleanup(func() { v.Close() })
	open(t, v)
	var s session.State
	follow(t, v, &s, "signed in", func(st session.State, _ session.Event) bool { return st.Authed })
	ctx := ctx10(t)
	must(t, v.Post(ctx, sfphone.PushContacts([]sfphone.Contact{{ID: "id1", Name: "John Doe", Phones: []string{"+34917370192"}}})))
	follow(t, v, &s, "contacts", func(_ session.State, e session.Event) bool { return e.Type() == session.TypeContactsPushed })
	must(t, v.Send(ctx, session.Command{Verb: session.VerbDial, Number: "+34911085460"}))
	follow(t, v, &s, "click2call ended", func(st session.State, _ session.Event) bool { return len(st.Recent) == 1 })
	if s.Recent[0].To != "+34911085460" {
		t.Errorf("dialled %+v", s.Recent[0])
	}
	must(t, v.Post(ctx, wire.Call{Method: "test:ring"}))
	var ring session.CallRinging
	follow(t, v, &s, "terminated", func(st session.State, e session.Event) bool {
		if r, ok := e.(session.CallRinging); ok {
			ring = r
		}
		return len(st.Recent) == 2
	})
	if ring.Contact != "John Doe" || s.Recent[1].Duration.D() != 22*time.Second {
		t.Errorf("ringing %+v, ended %+v", ring, s.Recent[1])
	}
}

// TestAICCInChromium: ready -> alerting -> talking -> release.
func TestAICCInChromium(t *testing.T) {
	v := New(AICC(http.Dir("testdata/aicc"), "ccbar.html"), nil, chromium(t), vendors.Config{})
	t.Cleanup(func() { v.Close() })
	open(t, v)
	var s session.State
	follow(t, v, &s, "ready", func(st session.State, _ session.Event) bool { return st.Agent.State == session.AgentReady })
	ctx := ctx10(t)
	must(t, v.Post(ctx, wire.Call{Method: "test:ring"}))
	follow(t, v, &s, "alerting", func(st session.State, _ session.Event) bool { _, ok := st.Ringing(); return ok })
	must(t, v.Post(ctx, wire.Call{Method: "test:answer"}))
	follow(t, v, &s, "talking", func(st session.State, _ session.Event) bool { _, ok := st.Talking(); return ok })
	must(t, v.Post(ctx, wire.Call{Method: "test:release"}))
	follow(t, v, &s, "ready again", func(st session.State, _ session.Event) bool {
		return len(st.Recent) == 1 && st.Agent.State == session.AgentReady
	})
	if s.Recent[0].EndedBy != session.ByCustomer || s.Recent[0].From != "88001" {
		t.Errorf("call %+v", s.Recent[0])
	}
	if err := session.Check(s, session.Command{Verb: session.VerbHold}); err == nil {
		t.Error("aicc allowed hold")
	}
}

// TestPhoneSDKInChromium: check in, ring, answer, hold, transfer, and a
// supervisor's listen.
func TestPhoneSDKInChromium(t *testing.T) {
	sdk, err := os.ReadFile("testdata/phonesdk/sdk.js")
	must(t, err)
	v := New(PhoneSDK(sdk, session.RoleSupervisor), map[string]string{"user": "8001"}, chromium(t), vendors.Config{})
	t.Cleanup(func() { v.Close() })
	open(t, v)
	var s session.State
	follow(t, v, &s, "rights", func(st session.State, e session.Event) bool { return e.Type() == session.TypeAgentRights })
	ctx := ctx10(t)
	do := func(c session.Command) {
		t.Helper()
		must(t, session.Check(s, c))
		must(t, v.Send(ctx, c))
	}
	do(session.Command{Verb: session.VerbCheckIn, Groups: []string{"g1"}})
	follow(t, v, &s, "checked in", func(st session.State, _ session.Event) bool { return st.CheckedIn })
	do(session.Command{Verb: session.VerbReady})
	follow(t, v, &s, "ready", func(st session.State, _ session.Event) bool { return st.Agent.State == session.AgentReady })
	must(t, v.Post(ctx, wire.Call{Method: "ring"}))
	follow(t, v, &s, "ringing", func(st session.State, _ session.Event) bool { _, ok := st.Ringing(); return ok })
	must(t, v.Post(ctx, wire.Call{Method: "pickUp"})) // answered on the phone
	follow(t, v, &s, "talking", func(st session.State, _ session.Event) bool { _, ok := st.Talking(); return ok })
	c, _ := s.Talking()
	do(session.Command{Verb: session.VerbHold, CallID: c.ID})
	follow(t, v, &s, "held", func(st session.State, _ session.Event) bool { _, ok := st.Held(); return ok })
	do(session.Command{Verb: session.VerbRetrieve, CallID: c.ID})
	follow(t, v, &s, "retrieved", func(st session.State, _ session.Event) bool { _, ok := st.Talking(); return ok })
	do(session.Command{Verb: session.VerbTransfer, CallID: c.ID, Target: session.Target{Kind: session.TargetGroup, ID: "g2"}})
	follow(t, v, &s, "transferred away", func(st session.State, _ session.Event) bool { return len(st.Recent) == 1 })
	do(session.Command{Verb: session.VerbListen, Agent: "8002"})
}
