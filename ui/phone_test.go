package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/fake"
)

// footer is the screen's last line: the keys offered.
func (h *harness) footer() string {
	s := strings.TrimRight(h.screen(), "\n")
	return s[strings.LastIndex(s, "\n")+1:]
}

func (h *harness) wantFooter(has []string, hasNot []string) {
	h.t.Helper()
	f := h.footer()
	for _, k := range has {
		if !strings.Contains(f, k) {
			h.t.Errorf("footer lacks %q: %s", k, f)
		}
	}
	for _, k := range hasNot {
		if strings.Contains(f, k) {
			h.t.Errorf("footer offers %q: %s", k, f)
		}
	}
}

// A phone with no ACD and no kiosk (the scripted phone) is shown only its
// own keys: no check-in, ready, rest or wrap-up in the footer, the help or
// the command line; it dials at once, without checking in.
func TestConsoleShowsAPhoneOnlyItsKeys(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
	h := newHarnessOn(t, fake.NewPhone(clk, fake.ValidToken), clk, session.RoleAgent, nil)
	acd := []string{"check in", "go ready", "not ready", "rest", "check out", "done", "disposition"}
	h.want("Calls ring here")
	h.wantNot("Not checked in")
	h.wantFooter([]string{"find & dial", "help", "quit"}, acd)

	h.press("?")
	h.want("answer", "hold", "transfer", "keypad")
	h.wantNot("check in", "go ready", "not ready", "check out", "done (end wrap-up)", "disposition code", "listen")
	h.press("esc")

	h.press(":")
	h.want("commands: dial NUMBER|CONTACT · quit")
	h.typeText("dial 600 100 200")
	h.press("enter")
	h.want("out  600100200") // dialled at once, compacted by the number rule
	h.wantNot("Queues")
	h.wantFooter([]string{"end call", "hold", "transfer", "keypad", "mute"}, acd)
	h.press("e")
	if _, err := h.v.Ring("+34917370192"); err != nil {
		t.Fatal(err)
	}
	h.drain()
	h.wantFooter([]string{"answer", "reject"}, append(acd, "hold"))
	h.press("a")
	h.wantFooter([]string{"end call", "hold"}, acd)
	h.press("e")
	if h.m.app.State.Agent.State == session.AgentWrapUp {
		t.Errorf("a phone wraps up")
	}
	h.wantFooter([]string{"find & dial"}, acd)
}

// The embedded centre's agent keeps every key: check-in first.
func TestConsoleShowsAnACDAgentCheckIn(t *testing.T) {
	h := newHarness(t, session.RoleAgent, nil)
	h.wantFooter([]string{"check in"}, []string{"find & dial", "answer"})
	h.press("i")
	h.wantFooter([]string{"go ready", "rest", "find & dial", "check out"}, []string{"check in"})
}
