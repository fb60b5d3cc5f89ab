package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/picker"
)

// Consultation in the console: T opens the consult picker (groups, then
// colleagues, ready ones first, or a typed number); while consulting, Y
// completes the transfer, J makes a conference and X cancels back to the
// caller. The palette takes the same words (consult agent:bo, complete,
// conference, cancel).

// targetItems lists where a transfer or a consultation may go: every
// group, then the colleagues, ready ones first.
func (m *Model) targetItems() []picker.Item {
	var items []picker.Item
	for _, g := range m.app.State.TransferGroups {
		items = append(items, picker.Item{Label: "group  " + first(g.Name, g.ID), Value: "group:" + g.ID})
	}
	for _, a := range readyFirst(sortedRoster(m.app.State.Roster)) {
		if a.ID != m.app.State.User {
			items = append(items, picker.Item{Label: "agent  " + first(a.Name, a.ID) + "  (" + strings.ReplaceAll(a.State.String(), "_", " ") + ")", Value: "agent:" + a.ID})
		}
	}
	return items
}

// openConsult opens the consult picker when Check allows a consultation.
func (m *Model) openConsult() tea.Cmd {
	if !m.allowed(session.Command{Verb: session.VerbConsult, Target: session.Target{Kind: session.TargetNumber, ID: "0"}}) {
		return nil
	}
	p := picker.New(m.com, "consult", "Consult… (the caller waits on hold; or type a number)", m.targetItems())
	p.FreeText = func(s string) bool { _, err := session.ParseTarget(s); return err == nil }
	m.picker, m.overlay = p, pickerOverlay
	return nil
}

// consultChosen issues consult to the picked target.
func (m *Model) consultChosen(value string) tea.Cmd {
	t, err := session.ParseTarget(value)
	if err != nil {
		m.fail(session.Command{Verb: session.VerbConsult}, err)
		return nil
	}
	return m.issue(session.Command{Verb: session.VerbConsult, Target: t})
}

// consultActions are the consultation keys of agents and supervisors.
func (m *Model) consultActions() []action {
	km := m.com.Keys
	return []action{
		{km.Consult, (*Model).openConsult},
		{km.Complete, verb(session.VerbComplete)},
		{km.Conference, verb(session.VerbConference)},
		{km.Cancel, verb(session.VerbCancel)},
	}
}

// withConsultKeys adds the consultation keys to the call keys bs: first
// while consulting (the way out matters most), last otherwise.
func (m *Model) withConsultKeys(bs []key.Binding) []key.Binding {
	ck := m.consultKeys()
	if _, _, ok := m.app.State.Consultation(); ok {
		return append(ck, bs...)
	}
	return append(bs, ck...)
}

// consultKeys are the footer's consultation keys that fit the calls: the
// way out of a consultation while there is one, consult from a lone
// talking call.
func (m *Model) consultKeys() []key.Binding {
	km, s := m.com.Keys, m.app.State
	if !s.Capabilities.Has(session.VerbConsult) {
		return nil
	}
	if _, k, ok := s.Consultation(); ok {
		if k.Phase == session.PhaseTalking {
			return []key.Binding{km.Complete, km.Conference, km.Cancel}
		}
		return []key.Binding{km.Cancel}
	}
	if _, held := s.Held(); held {
		return nil
	}
	if c, talking := s.Talking(); talking && len(c.Parties) < 3 {
		return []key.Binding{km.Consult}
	}
	return nil
}
