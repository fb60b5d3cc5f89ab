// Package picker is a small modal list with type-to-filter: the transfer
// target picker (agents and groups, or a number typed) and the reason
// picker of not ready and rest.
package picker

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/ui/common"
)

// Item is one choice.
type Item struct {
	Label string // what the person reads
	Value string // what the command gets
}

// ChosenMsg reports a choice. Value is the typed text when nothing matched
// and FreeText accepts it.
type ChosenMsg struct {
	Purpose string
	Value   string
}

// Model is the picker.
type Model struct {
	common.Common
	Purpose  string
	Title    string
	FreeText func(string) bool // accepts typed text as a value; may be nil
	items    []Item
	shown    []Item
	cursor   int
	input    common.Input
}

// New returns a picker of items.
func New(c common.Common, purpose, title string, items []Item) Model {
	m := Model{Common: c, Purpose: purpose, Title: title, items: items,
		input: common.Input{Prompt: "type to filter › ", Focused: true}}
	m.filter()
	return m
}

func (m *Model) filter() {
	f := strings.ToLower(m.input.Value)
	m.shown = m.shown[:0]
	for _, it := range m.items {
		if f == "" || strings.Contains(strings.ToLower(it.Label+" "+it.Value), f) {
			m.shown = append(m.shown, it)
		}
	}
	m.cursor = min(m.cursor, max(len(m.shown)-1, 0))
}

// Update moves, filters and chooses. Esc is left to the caller (it closes
// the picker).
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	switch {
	case key.Matches(k, m.Keys.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(k, m.Keys.Down):
		m.cursor = min(m.cursor+1, max(len(m.shown)-1, 0))
	case key.Matches(k, m.Keys.Enter):
		v, ok := m.value()
		if !ok {
			return m, nil
		}
		p := m.Purpose
		return m, func() tea.Msg { return ChosenMsg{Purpose: p, Value: v} }
	default:
		if m.input.Update(k) {
			m.filter()
		}
	}
	return m, nil
}

func (m Model) value() (string, bool) {
	t := strings.TrimSpace(m.input.Value)
	if m.FreeText != nil && t != "" && len(m.shown) == 0 && m.FreeText(t) {
		return t, true
	}
	if m.cursor < len(m.shown) {
		return m.shown[m.cursor].Value, true
	}
	return "", false
}

// Click chooses the row at line y of the box content.
func (m *Model) Click(y int) {
	if i := y - 1; i >= 0 && i < len(m.shown) {
		m.cursor = i
	}
}

// ShortHelp returns the picker's keys.
func (m Model) ShortHelp() []key.Binding {
	return []key.Binding{m.Keys.Enter, m.Keys.Up, m.Keys.Down, withDesc(m.Keys.Back, "cancel")}
}

func withDesc(b key.Binding, d string) key.Binding { b.SetHelp(b.Help().Key, d); return b }

// View draws the picker as a framed box of the model's size.
func (m Model) View() string {
	st := m.Styles
	w := m.Width - 4
	lines := []string{m.input.View(st, w)}
	for i, it := range m.shown {
		if i >= m.Height-3 {
			break
		}
		l := common.Fit("  "+it.Label, w)
		if i == m.cursor {
			l = st.Selected.Render(l)
		}
		lines = append(lines, l)
	}
	if len(m.shown) == 0 {
		if m.FreeText != nil && m.FreeText(strings.TrimSpace(m.input.Value)) {
			lines = append(lines, st.Muted.Render("  enter uses "+strings.TrimSpace(m.input.Value)))
		} else {
			lines = append(lines, st.Muted.Render("  nothing matches"))
		}
	}
	return common.Box(st, m.Title, strings.Join(lines, "\n"), m.Width, m.Height, true)
}
