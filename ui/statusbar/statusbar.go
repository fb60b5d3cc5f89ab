// Package statusbar draws the console's top two lines: who you are, your
// agent state with its timer and reason, the link, your groups and the
// backend; under them the last message (a refusal in one short sentence, or
// what just happened).
package statusbar

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
)

// Props is what the bar shows; the root fills it from the session state.
type Props struct {
	Name     string
	Role     session.Role
	Agent    session.AgentStatus
	Kiosk    bool
	Conn     session.ConnState
	Reason   string // connection reason
	Degraded string
	Authed   bool
	Groups   []string
	Backend  string
	Now      time.Time
	Message  string
	IsError  bool
}

// Model is the status bar.
type Model struct {
	common.Common
	p Props
}

// New returns an empty bar.
func New(c common.Common) Model { return Model{Common: c} }

// SetProps replaces what the bar shows.
func (m *Model) SetProps(p Props) { m.p = p }

// Update has nothing to react to; it exists for the widget contract.
func (m Model) Update(tea.Msg) (Model, tea.Cmd) { return m, nil }

// ShortHelp: the bar has no keys of its own.
func (m Model) ShortHelp() []key.Binding { return nil }

// Height is the number of lines View draws.
const Height = 2

// View draws the two lines.
func (m Model) View() string {
	st, p := m.Styles, m.p
	var parts []string
	if p.Name != "" {
		parts = append(parts, st.Title.Render(p.Name)+st.Muted.Render(" ("+p.Role.String()+")"))
	}
	switch {
	case p.Kiosk || p.Role == session.RoleUnknown:
	case p.Role == session.RoleSupervisor && p.Agent.State == session.AgentUnknown:
	case p.Authed && p.Agent.State == session.AgentUnknown:
		parts = append(parts, st.Muted.Render("NOT CHECKED IN"))
	default:
		parts = append(parts, AgentState(st, p.Agent, p.Now))
	}
	parts = append(parts, Conn(st, p))
	if len(p.Groups) > 0 {
		parts = append(parts, st.Muted.Render("groups ")+strings.Join(p.Groups, ","))
	}
	if p.Backend != "" {
		parts = append(parts, st.Muted.Render("backend ")+p.Backend)
	}
	line1 := " " + strings.Join(parts, st.Muted.Render("  │  "))
	msg := ""
	if p.Message != "" {
		if p.IsError {
			msg = " " + st.Error.Render("✗ "+p.Message)
		} else {
			msg = " " + st.Info.Render(p.Message)
		}
	}
	return common.Fit(line1, m.Width) + "\n" + common.Fit(msg, m.Width)
}

// StateLabel is the words for an agent state (common.AgentState's Label).
func StateLabel(s session.AgentState) string { return common.AgentState(s).Label }

// StateStyle picks the style of an agent state (common.AgentState's Style).
func StateStyle(st *common.Styles, s session.AgentState) func(...string) string {
	return common.AgentState(s).Style(st)
}

// AgentState renders "NOT READY lunch 3:12", with a countdown for rest and
// wrap-up limits.
func AgentState(st *common.Styles, a session.AgentStatus, now time.Time) string {
	s := StateStyle(st, a.State)(StateLabel(a.State))
	if a.Reason != "" {
		s += " " + a.Reason
	}
	if !a.Since.IsZero() {
		s += " " + common.Clock(now.Sub(a.Since))
	}
	if dl := a.Deadline(); !dl.IsZero() {
		if left := dl.Sub(now); left > 0 {
			s += st.Muted.Render(" (" + common.Clock(left) + " left)")
		} else {
			s += st.Bad.Render(" (over by " + common.Clock(-left) + ")")
		}
	}
	if a.RestOverdue {
		s += st.Bad.Render(" rest is over")
	}
	return s
}

// Conn renders the link: online, reconnecting, offline and why.
func Conn(st *common.Styles, p Props) string {
	switch {
	case p.Conn == session.ConnEstablished && p.Authed && p.Degraded != "":
		return st.Warn.Render("poor network") + " " + p.Degraded
	case p.Conn == session.ConnEstablished && p.Authed:
		return st.Good.Render("online")
	case p.Conn == session.ConnEstablished:
		return st.Warn.Render("signing in")
	case p.Conn == session.ConnReconnecting:
		return st.Warn.Render("reconnecting") + " " + p.Reason
	case p.Conn == session.ConnUnknown:
		return st.Muted.Render("connecting")
	}
	s := st.Bad.Render(p.Conn.String())
	if p.Reason != "" {
		s += " " + p.Reason
	}
	return s
}
