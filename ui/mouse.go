package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
)

// onClick: a click on a key in the bottom line presses it; a click on a
// roster row, a contact, a picker row or a keypad key selects or presses
// it.
func (m *Model) onClick(ms tea.Mouse) tea.Cmd {
	if ms.Button != tea.MouseLeft {
		return nil
	}
	if ms.Y == m.footerY {
		if k := common.ZoneAt(m.zones, ms.X); k != "" {
			return m.onKey(common.Press(k))
		}
		return nil
	}
	if r, ok := m.rects["keypad"]; ok && m.overlay == keypadOverlay && r.has(ms.X, ms.Y) {
		var cmd tea.Cmd
		m.keypad, cmd = m.keypad.Click(ms.X-r.x, ms.Y-r.y)
		return cmd
	}
	if r, ok := m.rects["picker"]; ok && m.overlay == pickerOverlay && r.has(ms.X, ms.Y) {
		m.picker.Click(ms.Y - r.y - 1)
		return nil
	}
	if r, ok := m.rects["roster"]; ok && m.Role() == session.RoleSupervisor && r.has(ms.X, ms.Y) {
		m.roster.Click(ms.Y - r.y)
		return nil
	}
	if r, ok := m.rects["contacts"]; ok && m.Role() != session.RoleKiosk && r.has(ms.X, ms.Y) && m.overlay == noOverlay {
		m.contacts.Focus(true)
		m.contacts.Click(ms.Y - r.y - 1)
	}
	return nil
}

// sortedRoster lists the roster by name, for pickers.
func sortedRoster(r map[string]session.RosterEntry) []session.RosterEntry {
	out := make([]session.RosterEntry, 0, len(r))
	for _, e := range r {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b session.RosterEntry) int {
		return strings.Compare(first(a.Name, a.ID), first(b.Name, b.ID))
	})
	return out
}
