package ui

import (
	"strings"
	"testing"

	"github.com/agentty/agentty/session"
)

// TestConsultKeysAndPicker: from a talking call T opens the consult
// picker listing colleagues ready ones first; while consulting the footer
// offers Y, J and X; X returns to the caller, J makes a conference, Y
// completes the transfer (issue 14, item 1).
func TestConsultKeysAndPicker(t *testing.T) {
	h := newHarness(t, session.RoleAgent, nil)
	h.press("g")
	if _, err := h.v.Ring("+15550100"); err != nil {
		t.Fatal(err)
	}
	h.drain()
	h.press("a")
	h.feedEvents([]session.Event{session.AgentRoster{Base: session.Base{At: h.clk.Now()}, Agents: []session.RosterEntry{
		{ID: "bo", Name: "Bo", State: session.AgentNotReady}, {ID: "cy", Name: "Cy", State: session.AgentReady},
	}}}, false)
	h.want("T consult")

	h.press("T")
	h.want("Consult…", "agent  Cy  (ready)", "agent  Bo  (not ready)")
	if s := h.screen(); strings.Index(s, "agent  Cy") > strings.Index(s, "agent  Bo") {
		t.Fatalf("ready colleague not first:\n%s", s)
	}
	h.typeText("Cy")
	h.press("enter")
	h.drain()
	h.want("Y complete transfer", "J conference", "X cancel consult")
	if _, k, ok := h.m.State().Consultation(); !ok || k.To != "cy" {
		t.Fatalf("no consultation with cy: %+v", h.m.State().Calls)
	}

	h.press("X")
	h.drain()
	h.wantNot("Y complete transfer")
	if c, ok := h.m.State().Talking(); !ok || c.Direction != session.DirInbound {
		t.Fatalf("cancel did not return to the caller: %+v", h.m.State().Calls)
	}

	h.press("T")
	h.typeText("Cy")
	h.press("enter", "J")
	h.drain()
	if s := h.m.State(); len(s.Calls) != 1 || len(s.Calls[0].Parties) != 3 || s.Calls[0].Phase != session.PhaseTalking {
		t.Fatalf("conference: %+v", s.Calls)
	}
	h.wantNot("T consult") // no consultation from a three-way call
	h.press("e")
	h.drain()
	h.want("WRAP-UP")
	h.press("d")
	h.drain()

	if _, err := h.v.Ring("+15550101"); err != nil {
		t.Fatal(err)
	}
	h.drain()
	h.press("a", "T")
	h.typeText("Cy")
	h.press("enter", "Y")
	h.drain()
	h.want("WRAP-UP", "transferred to cy")
}
