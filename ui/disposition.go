package ui

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/picker"
)

// openCodes opens the wrap-up's disposition picker: the group's codes,
// or free text when the group lists none.
func (m *Model) openCodes() tea.Cmd {
	probe := "x"
	if len(m.app.State.Agent.Codes) > 0 {
		probe = m.app.State.Agent.Codes[0]
	}
	if !m.allowed(session.Command{Verb: session.VerbDisposition, Code: probe}) {
		return nil
	}
	var items []picker.Item
	for _, c := range m.app.State.Agent.Codes {
		items = append(items, picker.Item{Label: c, Value: c})
	}
	title := "Disposition: how did the call go?"
	p := picker.New(m.com, "disposition", title, items)
	if len(items) == 0 {
		p.FreeText = func(s string) bool { return s != "" }
	}
	m.picker, m.overlay = p, pickerOverlay
	return nil
}

// doneOrCodes ends wrap-up, or opens the disposition picker when the
// group requires a code and none is chosen yet (done would be refused).
func (m *Model) doneOrCodes() tea.Cmd {
	a := m.app.State.Agent
	if a.State == session.AgentWrapUp && a.CodeRequired && a.Code == "" && len(a.Codes) > 0 {
		m.say("Choose a disposition code first.", false)
		return m.openCodes()
	}
	return m.issue(session.Command{Verb: session.VerbDone})
}

// readyFirst orders colleagues for the transfer picker: ready ones first,
// each part in the order given.
func readyFirst(r []session.RosterEntry) []session.RosterEntry {
	slices.SortStableFunc(r, func(a, b session.RosterEntry) int {
		ra, rb := a.State == session.AgentReady, b.State == session.AgentReady
		switch {
		case ra == rb:
			return 0
		case ra:
			return -1
		}
		return 1
	})
	return r
}
