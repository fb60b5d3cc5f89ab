package session_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/agentty/agentty/session"
)

func init() {
	checkErrs = append(checkErrs, session.ErrConsulting, session.ErrNoConsultation, session.ErrConsultRinging)
}

// TestCheckConsult: the consultation verbs against the calls they need.
func TestCheckConsult(t *testing.T) {
	held := join(fx(t, "held"), evs(session.CallDialing{CallBase: cb(21, "c2"), To: "bo"}))
	answered := join(held, evs(session.CallAnswered{CallBase: cb(25, "c2")}))
	cases := []struct {
		name string
		es   []session.Event
		cmd  string
		want error
		why  string
	}{
		{"talking: consult", fx(t, "talking"), "consult agent:bo", nil, ""},
		{"talking: consult group", fx(t, "talking"), "consult group:support", nil, ""},
		{"ringing: consult", fx(t, "ringing"), "consult 555", session.ErrCallRinging, "answer it first"},
		{"ready: consult", fx(t, "ready"), "consult 555", session.ErrNoCall, "consult from a talking call"},
		{"held: consult", fx(t, "held"), "consult 555", session.ErrConsulting, "complete, conference or cancel first"},
		{"consult dialling: complete", held, "complete", session.ErrConsultRinging, "wait for bo to answer, or cancel"},
		{"consult dialling: conference", held, "conference", session.ErrConsultRinging, ""},
		{"consult dialling: cancel", held, "cancel", nil, ""},
		{"consult dialling: consult again", held, "consult 555", session.ErrConsulting, ""},
		{"consult answered: complete", answered, "complete", nil, ""},
		{"consult answered: conference", answered, "conference", nil, ""},
		{"consult answered: cancel", answered, "cancel", nil, ""},
		{"talking: complete", fx(t, "talking"), "complete", session.ErrNoConsultation, "consult someone first"},
		{"held: complete", fx(t, "held"), "complete", session.ErrNoConsultation, "or retrieve +15550001"},
		{"held: cancel (the consultation failed)", fx(t, "held"), "cancel", nil, ""},
		{"talking: cancel", fx(t, "talking"), "cancel", session.ErrNoConsultation, "no call is on hold"},
		{"kiosk: consult", fx(t, "kiosk talking"), "consult 555", session.ErrWrongRole, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := session.ParseCommand(tc.cmd)
			if err != nil {
				t.Fatal(err)
			}
			err = session.Check(build(t, tc.es...), c)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("Check(%s) = %v, want %v", tc.cmd, err, tc.want)
			}
			var ce *session.CheckError
			if err != nil && (!errors.As(err, &ce) || !strings.Contains(ce.Reason(), tc.why)) {
				t.Errorf("reason %q does not say %q", ce.Reason(), tc.why)
			}
		})
	}
}

func TestParseConsult(t *testing.T) {
	for line, want := range map[string]string{
		"consult agent:bo": "consult agent:bo", "consult group:sales": "consult group:sales",
		"consult +34917370192": "consult +34917370192", "complete": "complete",
		"conference": "conference", "cancel": "cancel",
	} {
		c, err := session.ParseCommand(line)
		if err != nil || c.String() != want {
			t.Errorf("%q: %v %q", line, err, c.String())
		}
	}
	for _, bad := range []string{"consult", "consult bo:x", "complete now", "cancel it"} {
		if _, err := session.ParseCommand(bad); !errors.Is(err, session.ErrSyntax) {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

// TestConferenceMerges: call.conference naming a merged call ends that
// call as joined, without wrap-up, and leaves one talking call.
func TestConferenceMerges(t *testing.T) {
	es := join(fx(t, "held"), evs(session.CallDialing{CallBase: cb(21, "c2"), To: "bo"}, session.CallAnswered{CallBase: cb(25, "c2")},
		session.CallConference{CallBase: cb(30, "c1"), Parties: []string{"+15550001", "me", "bo"}, Merged: "c2"},
		session.CallRetrieved{CallBase: cb(30, "c1")}))
	s := build(t, es...)
	if len(s.Calls) != 1 || s.Calls[0].ID != "c1" || s.Calls[0].Phase != session.PhaseTalking || len(s.Calls[0].Parties) != 3 {
		t.Fatalf("calls %+v", s.Calls)
	}
	if s.Agent.State != session.AgentBusy {
		t.Errorf("agent %s, want busy", s.Agent.State)
	}
	if n := len(s.Recent); n != 1 || s.Recent[0].ID != "c2" || s.Recent[0].Outcome != "joined c1" {
		t.Errorf("recent %+v", s.Recent)
	}
	data, err := session.MarshalEvent(es[len(es)-2])
	if err != nil || !strings.Contains(string(data), `"merged":"c2"`) {
		t.Errorf("wire form %s %v", data, err)
	}
}
