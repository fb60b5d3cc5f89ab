// Package contacts is the contacts pane: search as you type, dial the
// selected contact (or the number typed) on enter, and the progress of a
// vCard import.
package contacts

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
)

// Contact is one entry of the directory.
type Contact struct {
	ID, Name, Org string
	Phones        []string
}

// Label is "Name (Org)".
func (c Contact) Label() string {
	if c.Org != "" && c.Name != "" {
		return c.Name + " (" + c.Org + ")"
	}
	return c.Name + c.Org
}

// Directory is the read side of the contact store.
//
// Search and Lookup are called from tea.Cmd goroutines, never from Update or
// View, possibly concurrently: they must be safe for concurrent use.
type Directory interface {
	// Search returns at most limit contacts matching q as typed so far.
	Search(q string, limit int) ([]Contact, error)
	// Lookup finds the contact with a phone number, for caller ID.
	Lookup(number string) (Contact, bool)
}

// ResultsMsg carries one search's answer. Seq orders answers: older ones
// than the newest query are dropped.
type ResultsMsg struct {
	Seq     int
	Query   string
	Results []Contact
	Err     error
}

// DialMsg asks the root to dial a number; ContactID is set when it is a
// contact's.
type DialMsg struct{ Number, ContactID string }

// Ranker is what a Directory may also do: remember that a contact was
// called, so it ranks first next time. Called from a Cmd goroutine.
type Ranker interface {
	MarkCalled(id string) bool
}

// ImportProgressMsg reports a running vCard import.
type ImportProgressMsg struct{ Done, Total int }

// ImportDoneMsg ends it.
type ImportDoneMsg struct {
	Path string
	Err  error
}

// Model is the pane.
type Model struct {
	common.Common
	dir     Directory
	input   common.Input
	seq     int
	results []Contact
	cursor  int
	err     error

	importing   bool
	done, total int
	importNote  string
}

// New returns the pane; dir may be nil (then only typed numbers dial).
func New(c common.Common, dir Directory) Model {
	return Model{Common: c, dir: dir, input: common.Input{Prompt: "› ", Placeholder: "press / and type a name or number"}}
}

// Focused reports whether the search field has the keyboard.
func (m Model) Focused() bool { return m.input.Focused }

// Focus gives or takes the keyboard.
func (m *Model) Focus(on bool) { m.input.Focused = on }

// Query returns the text typed.
func (m Model) Query() string { return m.input.Value }

// SearchCmd runs the search for the current text in a Cmd.
func (m *Model) SearchCmd() tea.Cmd {
	m.seq++
	seq, q, dir := m.seq, m.input.Value, m.dir
	if dir == nil || strings.TrimSpace(q) == "" {
		m.results, m.cursor = nil, 0
		return nil
	}
	limit := max(m.Height, 10)
	return func() tea.Msg {
		r, err := dir.Search(q, limit)
		return ResultsMsg{Seq: seq, Query: q, Results: r, Err: err}
	}
}

// Update edits the search, moves the selection, dials on enter and takes
// search answers and import progress.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case ResultsMsg:
		if msg.Seq == m.seq {
			m.results, m.err, m.cursor = msg.Results, msg.Err, 0
		}
	case ImportProgressMsg:
		m.importing, m.done, m.total = true, msg.Done, msg.Total
	case ImportDoneMsg:
		m.importing = false
		if msg.Err != nil {
			m.importNote = "import failed (see the log)"
		} else {
			m.importNote = fmt.Sprintf("imported %d contacts", m.done)
		}
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m Model) key(k tea.KeyPressMsg) (Model, tea.Cmd) {
	km := m.Keys
	switch {
	case key.Matches(k, km.Back):
		m.input.Focused = false
	case key.Matches(k, km.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(k, km.Down):
		m.cursor = min(m.cursor+1, max(len(m.results)-1, 0))
	case key.Matches(k, km.Enter):
		if n := m.number(); n != "" {
			id := ""
			if m.cursor < len(m.results) {
				id = m.results[m.cursor].ID
			}
			return m, func() tea.Msg { return DialMsg{Number: n, ContactID: id} }
		}
	default:
		if m.input.Update(k) {
			return m, m.SearchCmd()
		}
	}
	return m, nil
}

// number is what enter dials: the selected contact's first phone, or the
// text typed, without spaces, when it is a number or a SIP address.
func (m Model) number() string {
	if m.cursor < len(m.results) && len(m.results[m.cursor].Phones) > 0 {
		return m.results[m.cursor].Phones[0]
	}
	q := strings.ReplaceAll(m.input.Value, " ", "")
	if _, err := session.ParseTarget(q); err == nil && (!strings.Contains(q, ":") || session.IsSIPURI(q)) {
		return q // a number, or a SIP address (not agent: or group:)
	}
	return ""
}

// Click selects the result at line y of the pane.
func (m *Model) Click(y int) {
	if i := y - 1; i >= 0 && i < len(m.results) {
		m.cursor = i
	}
}

// ShortHelp returns the pane's keys.
func (m Model) ShortHelp() []key.Binding {
	if m.input.Focused {
		d := m.Keys.Enter
		d.SetHelp(d.Help().Key, "dial")
		return []key.Binding{d, m.Keys.Up, m.Keys.Down, m.Keys.Back}
	}
	s := m.Keys.Search
	s.SetHelp(s.Help().Key, "find & dial")
	return []key.Binding{s}
}

// View draws the field, the results and the import bar.
func (m Model) View() string {
	st, w := m.Styles, m.Width
	lines := []string{m.input.View(st, w)}
	rows := m.Height - 1
	if m.importing || m.importNote != "" {
		rows--
	}
	switch {
	case m.err != nil:
		lines = append(lines, st.Error.Render("search failed: "+m.err.Error()))
	case len(m.results) == 0 && strings.TrimSpace(m.input.Value) != "":
		hint := "no match"
		if m.number() != "" {
			hint += "; enter dials " + m.number()
		}
		lines = append(lines, st.Muted.Render(hint))
	case m.dir == nil && m.input.Value == "":
		lines = append(lines, st.Muted.Render("no contact book; type a number to dial"))
	}
	for i, c := range m.results {
		if i >= rows {
			break
		}
		ph := ""
		if len(c.Phones) > 0 {
			ph = c.Phones[0]
		}
		l := common.Fit(" "+common.Fit(c.Label(), max(w-19, 8))+" "+ph, w)
		if i == m.cursor && m.input.Focused {
			l = st.Selected.Render(l)
		}
		lines = append(lines, l)
	}
	out := common.Lines(strings.Join(lines, "\n"), w, m.Height)
	if m.importing {
		out[len(out)-1] = common.Fit(ImportBar(m.done, m.total, w), w)
	} else if m.importNote != "" {
		out[len(out)-1] = common.Fit(st.Info.Render(m.importNote), w)
	}
	return strings.Join(out, "\n")
}

// ImportBar draws "import ███░░ 42% 1200/2844".
func ImportBar(done, total, w int) string {
	frac := 0.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	tail := fmt.Sprintf(" %3.0f%% %d/%d", frac*100, done, total)
	if total <= 0 {
		tail = fmt.Sprintf(" %d read", done)
	}
	bw := max(w-len("import ")-len(tail), 4)
	return "import " + common.Bar(frac, bw) + tail
}
