package common

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Zone is where one key hint sits in a rendered line, so a mouse click on
// it can act as the key.
type Zone struct {
	X0, X1 int    // cells [X0, X1)
	Key    string // the binding's first key
}

// Hints renders "a answer  r reject" for the enabled bindings in w cells,
// and where each hint sits. When they do not all fit, hints are dropped
// from before the last keep ones, so "? help  q quit" always shows.
func Hints(st *Styles, w, keep int, bs ...key.Binding) (string, []Zone) {
	var on []key.Binding
	total := 0
	for _, bd := range bs {
		if bd.Enabled() && len(bd.Keys()) > 0 {
			on = append(on, bd)
			total += hintWidth(bd) + 2
		}
	}
	for total-2 > w && len(on) > keep {
		i := max(len(on)-keep-1, 0)
		total -= hintWidth(on[i]) + 2
		on = append(on[:i:i], on[i+1:]...)
	}
	bs = on
	var sb strings.Builder
	var zones []Zone
	x := 0
	for _, bd := range bs {
		if !bd.Enabled() || len(bd.Keys()) == 0 {
			continue
		}
		h := bd.Help()
		n := ansi.StringWidth(h.Key) + 1 + ansi.StringWidth(h.Desc)
		sep := 0
		if x > 0 {
			sep = 2
		}
		if x+sep+n > w {
			break
		}
		if sep > 0 {
			sb.WriteString("  ")
		}
		x += sep
		sb.WriteString(st.Key.Render(h.Key) + " " + st.Desc.Render(h.Desc))
		zones = append(zones, Zone{X0: x, X1: x + n, Key: bd.Keys()[0]})
		x += n
	}
	return sb.String(), zones
}

func hintWidth(bd key.Binding) int {
	h := bd.Help()
	return ansi.StringWidth(h.Key) + 1 + ansi.StringWidth(h.Desc)
}

// ZoneAt returns the key of the hint at column x, or "".
func ZoneAt(zones []Zone, x int) string {
	for _, z := range zones {
		if x >= z.X0 && x < z.X1 {
			return z.Key
		}
	}
	return ""
}

var named = map[string]rune{
	"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "up": tea.KeyUp,
	"down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight, "pgup": tea.KeyPgUp,
	"pgdown": tea.KeyPgDown, "backspace": tea.KeyBackspace, "space": tea.KeySpace,
	"home": tea.KeyHome, "end": tea.KeyEnd,
}

// Press returns the key press message for a key as bindings name it ("a",
// "O", "enter", "ctrl+c"). Mouse clicks on hints and tests use it.
func Press(k string) tea.KeyPressMsg {
	if c, ok := named[k]; ok {
		if c == tea.KeySpace {
			return tea.KeyPressMsg{Code: c, Text: " "}
		}
		return tea.KeyPressMsg{Code: c}
	}
	if rest, ok := strings.CutPrefix(k, "ctrl+"); ok && len(rest) == 1 {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	r := []rune(k)
	if len(r) == 1 {
		return tea.KeyPressMsg{Code: r[0], Text: k}
	}
	return tea.KeyPressMsg{Code: tea.KeyExtended, Text: k}
}

// Input is a one-line text field: no blinking, no clock, so it renders the
// same in a golden file as on screen.
type Input struct {
	Prompt, Placeholder string
	Value               string
	Focused             bool
}

// Update edits the value with printable keys, backspace and ctrl+u, and
// reports whether it used the key.
func (in *Input) Update(msg tea.KeyPressMsg) bool {
	switch msg.Code {
	case tea.KeyBackspace:
		if r := []rune(in.Value); len(r) > 0 {
			in.Value = string(r[:len(r)-1])
		}
		return true
	}
	if msg.Mod == tea.ModCtrl && msg.Code == 'u' {
		in.Value = ""
		return true
	}
	if msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
		in.Value += msg.Text
		return true
	}
	return false
}

// View renders the prompt, the value and a block cursor when focused.
func (in Input) View(st *Styles, w int) string {
	v := in.Value
	if v == "" && !in.Focused {
		return Fit(st.Muted.Render(in.Prompt+in.Placeholder), w)
	}
	cur := ""
	if in.Focused {
		cur = "█"
	}
	s := in.Prompt + v + cur
	if ansi.StringWidth(s) > w {
		s = ansi.TruncateLeft(s, ansi.StringWidth(s)-w+1, "…")
	}
	return Fit(s, w)
}
