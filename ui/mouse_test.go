package ui

import (
	"context"
	"log/slog"
	"os/exec"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
)

// Clicks select roster rows and contacts, and press keypad keys.
func TestClicks(t *testing.T) {
	s := newHarness(t, session.RoleSupervisor, nil)
	r := s.m.rects["roster"]
	s.click(r.x+3, r.y+3) // filter line, header, Ana, Bo
	if sel, _ := s.m.roster.Selected(); sel.ID != "bo" {
		t.Fatalf("click selected %q, want bo", sel.ID)
	}
	s.feed(tea.MouseWheelMsg{X: r.x, Y: r.y, Button: tea.MouseWheelUp})
	if sel, _ := s.m.roster.Selected(); sel.ID != "ana" {
		t.Fatalf("wheel up selected %q, want ana", sel.ID)
	}

	a := newHarness(t, session.RoleAgent, withBook)
	a.press("/")
	a.typeText("ana")
	c := a.m.rects["contacts"]
	a.click(c.x+4, c.y+3) // border, field, Ana García, Ana Lima
	a.press("enter")
	a.want("+5511999990000")

	a.press("k")
	k := a.m.rects["keypad"]
	a.click(k.x+6, k.y+6) // the 0 key
	a.want("sent: 0")
}

// The console imports only session and app (the application layer, which
// imports only session) of agentty's packages.
func TestImportsOnlySession(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "github.com/agentty/agentty/") && p != "github.com/agentty/agentty/session" && p != "github.com/agentty/agentty/app" &&
			!strings.HasPrefix(p, "github.com/agentty/agentty/ui") {
			t.Errorf("ui depends on %s", p)
		}
	}
}

// Refusals reach the Logger with their chain, written by a Cmd.
func TestRefusalLogged(t *testing.T) {
	var buf strings.Builder
	h := newHarness(t, session.RoleAgent, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&buf, nil))
	})
	h.press("h")
	if !strings.Contains(buf.String(), `msg="ui: command refused" command=hold err="session: hold: no call (there is no call to hold)"`) {
		t.Errorf("log = %q", buf.String())
	}
}

// Information fades from the status bar; a refusal stays.
func TestInfoFades(t *testing.T) {
	h := newHarness(t, session.RoleAgent, func(o *Options) {
		o.Import = func(context.Context, string, func(int, int)) error { return nil }
	})
	h.feed(tea.PasteMsg{Content: "/tmp/a.vcf"})
	h.want("Imported contacts from a.vcf.")
	h.tick(InfoFor)
	h.wantNot("Imported contacts")
	h.press("h")
	h.tick(InfoFor)
	h.want("Can't hold")
}
