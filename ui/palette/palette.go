// Package palette is the command line opened with ':'. It takes the same
// words as headless mode (session.ParseCommand); tab completes a verb.
package palette

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
)

// RunMsg carries the line typed when enter is pressed.
type RunMsg struct{ Line string }

// Model is the palette.
type Model struct {
	common.Common
	input common.Input
	verbs []session.Verb
	words []Word
}

// Word is a console word the palette offers beside the verbs: it runs in
// the console (devices), never reaching a backend.
type Word struct {
	Name  string // what is typed
	Usage string // what the hint line shows
}

// New returns an open palette offering every verb.
func New(c common.Common) Model {
	return Model{Common: c, input: common.Input{Prompt: ":", Focused: true}, verbs: session.Verbs()}
}

// Offering returns the palette completing and showing only verbs (the
// console passes the verbs possible now, and quit).
func (m Model) Offering(verbs []session.Verb) Model {
	m.verbs = slices.Clone(verbs)
	return m
}

// With returns the palette also completing and showing the console's
// words.
func (m Model) With(words ...Word) Model {
	m.words = slices.Clone(words)
	return m
}

// names are the verbs and words the palette completes.
func (m Model) names() []string {
	out := make([]string, 0, len(m.verbs)+len(m.words))
	for _, v := range m.verbs {
		out = append(out, string(v))
	}
	for _, w := range m.words {
		out = append(out, w.Name)
	}
	return out
}

// Update edits the line, completes on tab and runs on enter; esc is left to
// the caller.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	switch {
	case key.Matches(k, m.Keys.Enter):
		line := m.input.Value
		return m, func() tea.Msg { return RunMsg{Line: line} }
	case k.Code == tea.KeyTab:
		if c := m.complete(m.input.Value); c != "" {
			m.input.Value = c
		}
	default:
		m.input.Update(k)
	}
	return m, nil
}

// Complete returns the only verb that starts with the text typed, followed
// by a space, or "".
func Complete(s string) string { return New(common.Common{}).complete(s) }

func (m Model) complete(s string) string { return complete(s, m.names()) }

func complete(s string, names []string) string {
	if strings.Contains(s, " ") {
		return ""
	}
	var found string
	for _, v := range names {
		if v == strings.ToLower(s) {
			return v + " " // call, though callback starts with it too
		}
	}
	for _, v := range names {
		if strings.HasPrefix(v, strings.ToLower(s)) {
			if found != "" {
				return ""
			}
			found = v
		}
	}
	if found == "" {
		return ""
	}
	return found + " "
}

// ShortHelp returns the palette's keys.
func (m Model) ShortHelp() []key.Binding {
	r := m.Keys.Enter
	r.SetHelp(r.Help().Key, "run")
	t := key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete"))
	b := m.Keys.Back
	b.SetHelp(b.Help().Key, "cancel")
	return []key.Binding{r, t, b}
}

// View draws the line and, under it, the usage of the verb being typed.
func (m Model) View() string {
	hint := "commands: " + usageFor(m.input.Value, m.verbs, m.words)
	return common.Fit(m.input.View(m.Styles, m.Width), m.Width) + "\n" + common.Fit(m.Styles.Muted.Render(hint), m.Width)
}

func usageFor(s string, verbs []session.Verb, words []Word) string {
	f := strings.Fields(s)
	var out []string
	for _, v := range verbs {
		if len(f) == 0 || strings.HasPrefix(string(v), strings.ToLower(f[0])) {
			out = append(out, v.Usage())
		}
	}
	for _, w := range words {
		if len(f) == 0 || strings.HasPrefix(w.Name, strings.ToLower(f[0])) {
			out = append(out, w.Usage)
		}
	}
	if len(out) == 0 {
		return "no such command"
	}
	return strings.Join(out, " · ")
}
