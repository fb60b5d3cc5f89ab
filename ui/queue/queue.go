// Package queue draws the queue board: for each group the callers waiting,
// the longest wait, the service level, and (on the supervisor screen) a
// sparkline of the waiting count over the last minutes.
package queue

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/ui/common"
)

// Stats is one group's queue as the backend reports it.
type Stats struct {
	Group        string
	Waiting      int
	Callbacks    int // of the waiting, callers who hung up to be called back
	LongestWait  time.Duration
	ServiceLevel float64 // share of calls answered within the target, 0..1; negative when unknown
	Agents       int     // agents checked in
	// Needed is the what-if figure: the agents Erlang C says the group
	// needs for the service-level target at its current arrival rate and
	// handle time; 0 when unknown. The supervisor's board shows it beside
	// Agents.
	Needed int
}

// History keeps a bounded series of waiting counts per group, one sample per
// Add, for the sparkline.
type History struct {
	max int
	s   map[string][]float64
}

// NewHistory keeps n samples per group.
func NewHistory(n int) *History { return &History{max: n, s: map[string][]float64{}} }

// Add records one sample per group.
func (h *History) Add(stats []Stats) {
	for _, g := range stats {
		v := append(h.s[g.Group], float64(g.Waiting))
		if len(v) > h.max {
			v = v[len(v)-h.max:]
		}
		h.s[g.Group] = v
	}
}

// Series returns the samples of a group, oldest first.
func (h *History) Series(group string) []float64 {
	if h == nil {
		return nil
	}
	return h.s[group]
}

// Model is the board.
type Model struct {
	common.Common
	stats []Stats
	hist  *History
	trend bool
}

// New returns a board; trend adds the sparkline column.
func New(c common.Common, trend bool) Model { return Model{Common: c, trend: trend} }

// SetStats replaces the groups shown and the history the sparklines read.
func (m *Model) SetStats(s []Stats, h *History) { m.stats, m.hist = s, h }

// Update has nothing of its own to react to.
func (m Model) Update(tea.Msg) (Model, tea.Cmd) { return m, nil }

// ShortHelp: the board has no keys.
func (m Model) ShortHelp() []key.Binding { return nil }

// View draws one line per group.
func (m Model) View() string {
	st := m.Styles
	if len(m.stats) == 0 {
		return common.Block(st.Muted.Render("No queue figures yet."), m.Width, m.Height)
	}
	// Columns: group, waiting, longest, service level; agents and the
	// trend when there is room.
	agents := m.Width >= 48
	cbs := false // a callbacks column while any group has one waiting
	for _, g := range m.stats {
		cbs = cbs || g.Callbacks > 0
	}
	head := fmt.Sprintf("%-10s %7s", "group", "waiting")
	if cbs {
		head += " callbk"
	}
	head += fmt.Sprintf(" %7s %7s", "longest", "svc lvl")
	need := agents && m.trend
	if agents {
		head += fmt.Sprintf(" %6s", "agents")
	}
	if need {
		head += fmt.Sprintf(" %5s", "need")
	}
	tw := m.Width - len(head) - 2
	trend := m.trend && tw >= 6
	if trend {
		head += "  trend"
	}
	var b strings.Builder
	b.WriteString(st.Muted.Render(head))
	for _, g := range m.stats {
		sl := "      -"
		if g.ServiceLevel >= 0 {
			sl = fmt.Sprintf("%6.0f%%", g.ServiceLevel*100)
		}
		wait := fmt.Sprintf("%7d", g.Waiting)
		if g.Waiting > 0 {
			wait = st.Warn.Render(wait)
		}
		line := fmt.Sprintf("%-10s %s", trunc(g.Group, 10), wait)
		if cbs {
			cb := fmt.Sprintf(" %6d", g.Callbacks)
			if g.Callbacks > 0 {
				cb = " " + st.Info.Render(fmt.Sprintf("%6d", g.Callbacks))
			}
			line += cb
		}
		line += fmt.Sprintf(" %7s %s", common.Clock(g.LongestWait), sl)
		if agents {
			line += fmt.Sprintf(" %6d", g.Agents)
		}
		if need {
			line += " " + m.needed(g)
		}
		if trend {
			line += "  " + st.Info.Render(common.Sparkline(m.hist.Series(g.Group), tw))
		}
		b.WriteString("\n" + line)
	}
	return common.Block(b.String(), m.Width, m.Height)
}

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// needed renders the what-if column: the agents Erlang C needs, marked
// when more than are checked in.
func (m Model) needed(g Stats) string {
	if g.Needed <= 0 {
		return fmt.Sprintf("%5s", "-")
	}
	s := fmt.Sprintf("%5d", g.Needed)
	if g.Needed > g.Agents {
		return m.Styles.Warn.Render(s)
	}
	return s
}
