package centre

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/vendortest"
)

// send bypasses the client's Check: what the centre itself answers.
func send(s *vendortest.Session, c session.Command) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.V.Send(ctx, c)
}

// TestConsultOverTheProtocol: over a real WebSocket the centre refuses the
// consultation verbs when the state forbids them (whatever the client
// checks), carries out consult, complete, conference and cancel, and
// records every segment as `agentty calls` lists them.
func TestConsultOverTheProtocol(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	c.group(acd.GroupConfig{ID: "sales", WrapUp: time.Hour})
	ana := c.signIn(session.RoleAgent, "ana", "sales")
	bo := c.signIn(session.RoleAgent, "bo", "sales")
	kiosk := c.signIn(session.RoleKiosk, "lobby", "sales")
	ana.MustDo("ready")
	kiosk.MustDo("call")
	ana.WaitFor("ringing", ringing)
	ana.MustDo("answer")
	bo.MustDo("ready")

	refused := []struct {
		who  *vendortest.Session
		cmd  session.Command
		want string
	}{
		{ana, session.Command{Verb: session.VerbComplete}, "complete: no call is on hold (consult first)"},
		{ana, session.Command{Verb: session.VerbConference}, "conference: no call is on hold"},
		{ana, session.Command{Verb: session.VerbCancel}, "cancel: no call is on hold"},
		{ana, session.Command{Verb: session.VerbConsult, Target: session.Target{Kind: session.TargetAgent, ID: "ana"}}, "consult: agent ana is on a call, not ready"},
		{ana, session.Command{Verb: session.VerbConsult, Target: session.Target{Kind: session.TargetGroup, ID: "nope"}}, `consult: no group "nope"`},
		{kiosk, session.Command{Verb: session.VerbConsult, Target: session.Target{Kind: session.TargetNumber, ID: "555"}}, "consult: not allowed for role kiosk"},
		{bo, session.Command{Verb: session.VerbConsult, Target: session.Target{Kind: session.TargetNumber, ID: "555"}}, "consult: there is no talking call to consult from"},
	}
	for _, r := range refused {
		if err := send(r.who, r.cmd); err == nil || !strings.Contains(err.Error(), r.want) {
			t.Errorf("%s: %v, want %q", r.cmd, err, r.want)
		}
	}

	c.advance(10 * time.Second)
	ana.MustDo("consult group:sales") // bo is the ready one
	bo.WaitFor("bo rings", ringing)
	kiosk.WaitFor("kiosk held", func(st session.State) bool { _, ok := st.Held(); return ok })
	if err := send(ana, session.Command{Verb: session.VerbComplete}); err == nil || !strings.Contains(err.Error(), "has not answered yet") {
		t.Errorf("complete while bo rings: %v", err)
	}
	if err := send(ana, session.Command{Verb: session.VerbConsult, Target: session.Target{Kind: session.TargetNumber, ID: "555"}}); err == nil || !strings.Contains(err.Error(), "already on hold") {
		t.Errorf("a second consultation: %v", err)
	}
	bo.MustDo("answer")
	ana.WaitFor("ana hears bo answer", func(st session.State) bool { return held(st) && talking(st) })
	c.advance(5 * time.Second)
	ana.MustDo("conference")
	kiosk.WaitFor("kiosk in the conference", func(st session.State) bool { return talking(st) && len(st.Calls[0].Parties) == 3 })
	if err := send(ana, session.Command{Verb: session.VerbHold}); err == nil || !strings.Contains(err.Error(), "not during a conference") {
		t.Errorf("hold in a conference: %v", err)
	}
	c.advance(3 * time.Second)
	ana.MustDo("hangup")
	ana.WaitFor("ana wraps up", func(st session.State) bool { return st.Agent.State == session.AgentWrapUp })
	c.advance(2 * time.Second)
	kiosk.MustDo("leave")
	bo.WaitFor("bo wraps up", func(st session.State) bool { return st.Agent.State == session.AgentWrapUp })

	recs, err := c.srv.Store().Calls(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		got = append(got, r.CallID+"/"+r.Agent+"/"+r.Disposition+"/"+r.Talk.Round(time.Second).String())
	}
	want := "c2/bo/conference/5s c1/ana/conference/10s c1/ana/conference/3s c1/bo/answered/2s" // talk leaves the hold out
	if strings.Join(got, " ") != want {
		t.Errorf("records\n %s\nwant\n %s", strings.Join(got, " "), want)
	}
	var out bytes.Buffer
	if err := WriteCalls(&out, recs, false); err != nil {
		t.Fatal(err)
	}
	t.Logf("agentty calls:\n%s", out.String())
}
