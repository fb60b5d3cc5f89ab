package ui

import (
	"bytes"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentty/agentty/session"
)

// Every seat fills the window exactly, from tiny to wide, in every overlay.
func TestLayoutFillsWindow(t *testing.T) {
	for _, role := range []session.Role{session.RoleAgent, session.RoleSupervisor, session.RoleKiosk} {
		h := newHarness(t, role, withBook)
		if role != session.RoleKiosk {
			h.press("i", "g")
			h.v.Ring("+34917370192")
			h.drain()
			h.press("a")
		}
		for _, keys := range [][]string{nil, {"t"}, {"k"}, {"?"}, {":"}} {
			h.press(keys...)
			for _, sz := range [][2]int{{20, 8}, {60, 20}, {80, 24}, {100, 30}, {200, 60}} {
				h.feed(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
				lines := strings.Split(h.m.View().Content, "\n")
				if len(lines) != sz[1] {
					t.Errorf("%s %v at %v: %d lines", role, keys, sz, len(lines))
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w != sz[0] {
						t.Errorf("%s %v at %v: line %d is %d wide: %q", role, keys, sz, i, w, ansi.Strip(l))
						break
					}
				}
			}
			h.press("esc")
		}
	}
}

// The renderer downsamples to the terminal's profile; under 16 colours no
// 256-colour or true-colour code remains, under NO_COLOR none at all.
func TestColorProfilesDegrade(t *testing.T) {
	km, st, err := FromSettings(map[string]string{"colors.accent": "#5fafff", "colors.good": "120"})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, session.RoleAgent, func(o *Options) { o.KeyMap, o.Styles = &km, &st })
	h.press("i", "g")
	frame := h.m.View().Content
	for _, c := range []struct {
		p      colorprofile.Profile
		banned []string
	}{
		{colorprofile.ANSI, []string{"38;5;", "38;2;"}},
		{colorprofile.Ascii, []string{"[3", "[9"}},
	} {
		var b bytes.Buffer
		w := &colorprofile.Writer{Forward: &b, Profile: c.p}
		if _, err := w.WriteString(frame); err != nil {
			t.Fatal(err)
		}
		for _, s := range c.banned {
			if strings.Contains(b.String(), "\x1b"+s) || strings.Contains(b.String(), ";"+s) {
				t.Errorf("profile %v left %q codes", c.p, s)
			}
		}
		if ansi.Strip(b.String()) != ansi.Strip(frame) {
			t.Errorf("profile %v changed the text", c.p)
		}
	}
}
