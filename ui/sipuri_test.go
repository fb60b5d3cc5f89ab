package ui

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/fake"
)

// "dial sip:..." in the palette dials the address on a backend that dials
// URIs (never a contact search), transfers go to one too, and a
// numbers-only backend says why not in one line.
func TestPaletteDialsSIPAddresses(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
	h := newHarnessOn(t, fake.New(clk, session.RoleAgent, fake.ValidToken).DialURIs(), clk, session.RoleAgent, withBook)
	h.press(":")
	h.typeText("checkin sales")
	h.press("enter", ":")
	h.typeText("dial sip:2001@pbx.example")
	h.press("enter")
	h.want("→ out  sip:2001@pbx.example", "TALKING")
	h.wantNot("no contact")
	h.press(":")
	h.typeText("transfer sip:carol@pbx.example")
	h.press("enter")
	h.wantNot("TALKING", "bad command")

	n := newHarness(t, session.RoleAgent, withBook)
	n.press(":")
	n.typeText("checkin sales")
	n.press("enter", ":")
	n.typeText("dial sip:2001@pbx.example")
	n.press("enter")
	n.want("dials numbers only, not SIP addresses")
	n.wantNot("→ out", "no contact")
}
