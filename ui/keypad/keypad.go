// Package keypad is the DTMF keypad: each digit key sends that tone at once.
package keypad

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
)

// DigitMsg asks the root to send one DTMF digit.
type DigitMsg struct{ Digit string }

// Model is the keypad.
type Model struct {
	common.Common
	sent string
}

// New returns a keypad.
func New(c common.Common) Model { return Model{Common: c} }

var rows = []string{"1 2 3 A", "4 5 6 B", "7 8 9 C", "* 0 # D"}

// Update turns a digit key into a DigitMsg; esc is left to the caller.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	d := strings.ToUpper(k.Text)
	if !session.ValidDigits(d) || len(d) != 1 {
		return m, nil
	}
	m.sent += d
	if len(m.sent) > 24 {
		m.sent = m.sent[len(m.sent)-24:]
	}
	return m, func() tea.Msg { return DigitMsg{Digit: d} }
}

// Click presses the key at (x, y) of the box.
func (m Model) Click(x, y int) (Model, tea.Cmd) {
	r := y - 3
	if r < 0 || r >= len(rows) {
		return m, nil
	}
	c := (x - 4) / 2
	keys := strings.Fields(rows[r])
	if c < 0 || c >= len(keys) || (x-4)%2 != 0 {
		return m, nil
	}
	return m.Update(common.Press(keys[c]))
}

// ShortHelp returns the keypad's keys.
func (m Model) ShortHelp() []key.Binding {
	d := key.NewBinding(key.WithKeys("0"), key.WithHelp("0-9 * #", "send tone"))
	b := m.Keys.Back
	b.SetHelp(b.Help().Key, "close keypad")
	return []key.Binding{d, b}
}

// Width and Height are the keypad box's size.
const Width, Height = 22, 9

// View draws the box.
func (m Model) View() string {
	var b strings.Builder
	b.WriteString(m.Styles.Muted.Render("sent: ") + m.sent + "\n")
	for _, r := range rows {
		b.WriteString("\n  " + m.Styles.Key.Render(r))
	}
	return common.Box(m.Styles, "Keypad (DTMF)", b.String(), Width, Height, true)
}
