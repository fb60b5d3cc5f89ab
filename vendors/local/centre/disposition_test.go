package centre

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

// TestDispositionCodes: over a real WebSocket, a group that requires a
// disposition code offers its codes in wrap-up, done is refused until one
// is chosen (by the client's Check and by the centre), a code not of the
// group is refused, and the chosen code and note land in the call's
// record as `agentty calls` lists it.
func TestDispositionCodes(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	c.group(acd.GroupConfig{ID: "sales", WrapUp: time.Minute, Codes: []string{"sale", "no_sale", "callback"}, CodeRequired: true})
	ana := c.signIn(session.RoleAgent, "ana", "sales")
	kiosk := c.signIn(session.RoleKiosk, "lobby", "sales")
	ana.MustDo("ready")
	kiosk.MustDo("call")
	ana.WaitFor("ringing", ringing)
	ana.MustDo("answer")
	c.advance(20 * time.Second)
	ana.MustDo("hangup")
	ana.WaitFor("wrap-up with codes", func(st session.State) bool {
		return st.Agent.State == session.AgentWrapUp && st.Agent.CodeRequired && slices.Equal(st.Agent.Codes, []string{"sale", "no_sale", "callback"})
	})
	if err := ana.Do("done"); !errors.Is(err, session.ErrNoDisposition) {
		t.Errorf("done before a code: %v, want ErrNoDisposition", err)
	}
	// The centre refuses too, whatever the client checks.
	if err := ana.V.Send(context.Background(), session.Command{Verb: session.VerbDone}); err == nil || !strings.Contains(err.Error(), "choose a disposition") {
		t.Errorf("centre took done before a code: %v", err)
	}
	if err := ana.Do("disposition refund"); !errors.Is(err, session.ErrUnknownCode) {
		t.Errorf("disposition refund: %v, want ErrUnknownCode", err)
	}
	ana.MustDo("disposition sale two boxes")
	ana.WaitFor("code chosen", func(st session.State) bool { return st.Agent.Code == "sale" })
	ana.MustDo("done")
	ana.WaitFor("ready", func(st session.State) bool { return st.Agent.State == session.AgentReady })

	recs, err := c.srv.Store().Calls(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, r := range recs {
		if r.Agent == "ana" && r.Disposition == "answered" {
			found = true
			if r.Code != "sale" || r.CodeNote != "two boxes" {
				t.Errorf("record code %q note %q, want sale / two boxes", r.Code, r.CodeNote)
			}
		}
	}
	if !found {
		t.Fatalf("no answered record for ana: %+v", recs)
	}
	var out bytes.Buffer
	if err := WriteCalls(&out, recs, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "CODE") || !strings.Contains(out.String(), "sale") || !strings.Contains(out.String(), "two boxes") {
		t.Errorf("agentty calls does not show the code:\n%s", out.String())
	}
}
