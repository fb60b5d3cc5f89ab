// Package roster is the supervisor's table of every agent: state, reason,
// time in state, call and groups. Only the visible rows are drawn, so a
// roster of thousands costs what a screenful costs; the rows are rebuilt
// (filtered and sorted) at most once per frame, by Refresh.
package roster

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
)

// Order is how the rows are sorted.
type Order int

// Orders, in the order the sort key cycles through them.
const (
	ByState Order = iota // state, then longest in it
	ByName
	ByTime // longest in state first
	ByGroup
	numOrders
)

func (o Order) String() string {
	return [...]string{"state", "name", "time in state", "group"}[o]
}

// Model is the roster.
type Model struct {
	common.Common
	buf      []session.RosterEntry // the agents that pass the filter
	idx      []int32               // buf indices in display order
	total    int
	selected string // agent id, kept across re-sorts
	cursor   int
	offset   int
	order    Order
	filter   common.Input
	now      time.Time
}

// New returns an empty roster.
func New(c common.Common) Model {
	return Model{Common: c, filter: common.Input{Prompt: "filter: ", Placeholder: "press / to filter by name, state, reason or group"}}
}

// Filtering reports whether the filter field has the keyboard.
func (m Model) Filtering() bool { return m.filter.Focused }

// Selected returns the selected agent, or false.
func (m Model) Selected() (session.RosterEntry, bool) {
	if m.cursor < 0 || m.cursor >= len(m.idx) {
		return session.RosterEntry{}, false
	}
	return *m.row(m.cursor), true
}

// Len returns the number of rows that pass the filter, and of all agents.
func (m Model) Len() (shown, total int) { return len(m.idx), m.total }

// row returns the i-th displayed row.
func (m *Model) row(i int) *session.RosterEntry { return &m.buf[m.idx[i]] }

// Refresh rebuilds the rows from the roster: filter, sort, keep the
// selection on the same agent. The map is only read.
func (m *Model) Refresh(r map[string]session.RosterEntry, now time.Time) {
	m.now = now
	m.total = len(r)
	f := strings.ToLower(strings.TrimSpace(m.filter.Value))
	m.buf, m.idx = m.buf[:0], m.idx[:0]
	for _, e := range r {
		if f == "" || matches(e, f) {
			m.idx = append(m.idx, int32(len(m.buf)))
			m.buf = append(m.buf, e)
		}
	}
	// Sort indices, not the entries: no copying of fat structs.
	slices.SortFunc(m.idx, func(a, b int32) int { return m.cmp(&m.buf[a], &m.buf[b]) })
	m.cursor = 0
	if m.selected != "" {
		if i := slices.IndexFunc(m.idx, func(j int32) bool { return m.buf[j].ID == m.selected }); i >= 0 {
			m.cursor = i
		}
	}
	m.clamp()
}

func matches(e session.RosterEntry, f string) bool {
	if contains(e.ID, f) || contains(e.Name, f) || contains(string(e.State), f) || contains(e.Reason, f) || contains(e.Call, f) {
		return true
	}
	for _, g := range e.Groups {
		if contains(g, f) {
			return true
		}
	}
	return false
}

// contains is an ASCII case-insensitive substring test that does not
// allocate; f is lower case.
func contains(s, f string) bool {
	n := len(f)
	for i := 0; i+n <= len(s); i++ {
		ok := true
		for j := 0; j < n; j++ {
			c := s[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != f[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// rank orders states for the by-state sort: on a call first, offline last.
func rank(s session.AgentState) int { return common.AgentState(s).Rank }

func (m *Model) cmp(a, b *session.RosterEntry) int {
	var c int
	switch m.order {
	case ByState:
		c = rank(a.State) - rank(b.State)
		if c == 0 {
			c = a.Since.Compare(b.Since)
		}
	case ByTime:
		c = a.Since.Compare(b.Since)
	case ByGroup:
		c = strings.Compare(first(a.Groups), first(b.Groups))
	}
	if c == 0 {
		c = strings.Compare(a.Name, b.Name)
	}
	if c == 0 {
		c = strings.Compare(a.ID, b.ID)
	}
	return c
}

func first(g []string) string {
	if len(g) == 0 {
		return "~"
	}
	return g[0]
}

func (m *Model) visible() int { return max(m.Height-2, 1) }

func (m *Model) clamp() {
	m.cursor = min(max(m.cursor, 0), max(len(m.idx)-1, 0))
	v := m.visible()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+v {
		m.offset = m.cursor - v + 1
	}
	m.offset = min(max(m.offset, 0), max(len(m.idx)-v, 0))
	if len(m.idx) > 0 {
		m.selected = m.row(m.cursor).ID
	}
}

// SetNow sets the time the "in state" column counts to.
func (m *Model) SetNow(now time.Time) { m.now = now }

// Move moves the selection by d rows.
func (m *Model) Move(d int) { m.cursor += d; m.clamp() }

// Click selects the row at line y of the widget (0 is the filter, 1 the
// header).
func (m *Model) Click(y int) {
	if y >= 2 && m.offset+y-2 < len(m.idx) {
		m.cursor = m.offset + y - 2
		m.clamp()
	}
}

// Update moves the selection, edits the filter and cycles the order. The
// caller refreshes after a filter or order change.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if w, ok := msg.(tea.MouseWheelMsg); ok {
			if w.Button == tea.MouseWheelUp {
				m.Move(-3)
			} else {
				m.Move(3)
			}
		}
		return m, nil
	}
	km := m.Keys
	if m.filter.Focused {
		switch {
		case key.Matches(k, km.Enter), key.Matches(k, km.Back):
			m.filter.Focused = false
		case key.Matches(k, km.Up):
			m.Move(-1)
		case key.Matches(k, km.Down):
			m.Move(1)
		default:
			m.filter.Update(k)
		}
		return m, nil
	}
	switch {
	case key.Matches(k, km.Up):
		m.Move(-1)
	case key.Matches(k, km.Down):
		m.Move(1)
	case key.Matches(k, km.PageUp):
		m.Move(-m.visible())
	case key.Matches(k, km.PageDown):
		m.Move(m.visible())
	case key.Matches(k, km.Search):
		m.filter.Focused = true
	case key.Matches(k, km.Sort):
		m.order = (m.order + 1) % numOrders
	}
	return m, nil
}

// ShortHelp returns the roster's own keys.
func (m Model) ShortHelp() []key.Binding {
	if m.filter.Focused {
		return []key.Binding{m.Keys.Enter, m.Keys.Back}
	}
	s := m.Keys.Sort
	s.SetHelp(s.Help().Key, "sort by "+((m.order+1)%numOrders).String())
	f := m.Keys.Search
	f.SetHelp(f.Help().Key, "filter")
	return []key.Binding{m.Keys.Up, m.Keys.Down, f, s}
}

// Title is the box title: counts and order.
func (m Model) Title() string {
	shown, total := m.Len()
	t := "Agents " + itoa(total)
	if shown != total {
		t += " (" + itoa(shown) + " shown)"
	}
	return t + " · by " + m.order.String()
}

// View draws the filter line, the header and the visible rows only.
func (m Model) View() string {
	st, w := m.Styles, m.Width
	var b strings.Builder
	b.WriteString(m.filter.View(st, w) + "\n")
	b.WriteString(st.Muted.Render(common.Fit(" agent                state                          in state  call         groups", w)))
	end := min(m.offset+m.visible(), len(m.idx))
	for i := m.offset; i < end; i++ {
		e := m.row(i)
		name := e.Name
		if name == "" {
			name = e.ID
		}
		state := common.AgentState(e.State).Label
		if e.Reason != "" {
			state += " " + e.Reason
		}
		since := "    -"
		if !e.Since.IsZero() {
			since = common.Clock(m.now.Sub(e.Since))
		}
		line := " " + common.Fit(name, 20) + " " + common.Fit(state, 30) + " " + common.Fit(lpad(since, 8), 9) + " " + common.Fit(e.Call, 12) + " " + strings.Join(e.Groups, ",")
		line = common.Fit(line, w)
		if i == m.cursor {
			line = st.Selected.Render(line)
		} else {
			line = strings.Replace(line, state, common.AgentState(e.State).Style(st)(state), 1)
		}
		b.WriteString("\n" + line)
	}
	if len(m.idx) == 0 {
		b.WriteString("\n" + st.Muted.Render(" no agents match"))
	}
	return common.Block(b.String(), w, m.Height)
}

func lpad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat(" ", n-len(s)) + s
}

func itoa(n int) string { return strconv.Itoa(n) }
