package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/app"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/fake"
)

// run drives v through a Runner with the lines and returns what it emitted.
func run(t *testing.T, a *app.Session, v app.Backend, lines ...string) []session.Event {
	t.Helper()
	in := make(chan string, len(lines))
	for _, l := range lines {
		in <- l
	}
	close(in)
	var out []session.Event
	r := &app.Runner{Session: a, Vendor: v, Emit: func(e session.Event) { out = append(out, e) }}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.Run(ctx, in); err != nil {
		t.Fatal(err)
	}
	return out
}

// The Runner sends one command at a time, each after the events of the one
// before: "checkin" then "ready" works; a refusal is a command.failed with
// the sentence; a name is dialled as the contact's number; a ringing
// caller is named.
func TestRunnerPipeline(t *testing.T) {
	v := fake.New(nil, session.RoleAgent, "")
	a := &app.Session{
		Search: func(name string) ([]string, error) {
			if name == "jen" {
				return []string{"+34 666 777 888"}, nil
			}
			return nil, nil
		},
		Lookup: func(n string) (string, bool) { return "Jennifer", n == "+34666777888" },
	}
	evs := run(t, a, v, "checkin", "ready", "hold", "dial jen", "hangup", "dial zed", "fly")
	var dialled, failed []string
	for _, e := range evs {
		switch e := e.(type) {
		case session.CallDialing:
			dialled = append(dialled, e.To)
		case session.CommandFailed:
			failed = append(failed, e.Command+": "+e.Reason)
		}
	}
	if !slices.Equal(dialled, []string{"+34 666 777 888"}) { // the contact's number as the book has it
		t.Errorf("dialled %v", dialled)
	}
	if len(failed) != 3 || !strings.HasPrefix(failed[0], "hold: ") || !strings.HasPrefix(failed[1], "dial zed: ") || !strings.HasPrefix(failed[2], "fly: ") {
		t.Errorf("refusals %q", failed)
	}
	if a.State.Agent.State != session.AgentWrapUp {
		t.Errorf("agent %s after the call, want wrap-up", a.State.Agent.State)
	}

	// Caller ID: Apply names the caller of a ringing call.
	e, err := a.Apply(session.CallRinging{CallBase: session.CallBase{CallID: "x"}, Direction: session.DirInbound, From: "+34666777888"})
	if err != nil || e.(session.CallRinging).Contact != "Jennifer" {
		t.Errorf("caller ID: %+v %v", e, err)
	}
}

// Possible offers what the backend has and the state allows; a phone with
// no ACD can dial at once.
func TestPossible(t *testing.T) {
	agent := &app.Session{}
	run(t, agent, fake.New(nil, session.RoleAgent, ""))
	got := agent.Possible()
	for _, v := range []session.Verb{session.VerbCheckIn, session.VerbReady, session.VerbDial} {
		if !slices.Contains(got, v) {
			t.Errorf("an agent signed in cannot %s: %v", v, got)
		}
	}
	for _, v := range []session.Verb{session.VerbHangup, session.VerbCheckOut, session.VerbDone, session.VerbCall, session.VerbListen} {
		if slices.Contains(got, v) {
			t.Errorf("an idle agent may %s: %v", v, got)
		}
	}

	phone := &app.Session{}
	run(t, phone, fake.NewPhone(nil, ""))
	if got := phone.Possible(); !slices.Equal(got, []session.Verb{session.VerbDial}) {
		t.Errorf("an idle phone may %v, want dial only", got)
	}

	sup := &app.Session{}
	run(t, sup, fake.New(nil, session.RoleSupervisor, ""))
	got = sup.Possible()
	if !slices.Contains(got, session.VerbPause) || slices.Contains(got, session.VerbListen) {
		t.Errorf("supervisor with nobody on a call may %v", got)
	}

	var none app.Session
	if got := none.Possible(); len(got) != 0 {
		t.Errorf("before sign-in %v is possible", got)
	}
}
