// Package eventlog is the pane of recent events. It keeps the last events in
// a ring and formats only the lines it shows.
package eventlog

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
)

// Size is how many events the log keeps.
const Size = 256

// Model is the log pane.
type Model struct {
	common.Common
	ring [Size]session.Event
	n    int // events ever added
	// Self is the session's own user id: its agent.state lines say "you".
	Self string
}

// New returns an empty log.
func New(c common.Common) Model { return Model{Common: c} }

// Add appends an event. It is O(1) and does not format.
func (m *Model) Add(e session.Event) {
	m.ring[m.n%Size] = e
	m.n++
}

// Update has nothing of its own to react to.
func (m Model) Update(tea.Msg) (Model, tea.Cmd) { return m, nil }

// ShortHelp: no keys.
func (m Model) ShortHelp() []key.Binding { return nil }

// View draws the newest events that fit, oldest at the top.
func (m Model) View() string {
	h := m.Height
	start := max(m.n-h, m.n-Size, 0)
	var b strings.Builder
	for i := start; i < m.n; i++ {
		e := m.ring[i%Size]
		if i > start {
			b.WriteByte('\n')
		}
		b.WriteString(m.Styles.Muted.Render(e.Time().Format("15:04:05")) + " " + Describe(e, m.Self))
	}
	if m.n == 0 {
		b.WriteString(m.Styles.Muted.Render("events from the backend appear here"))
	}
	return common.Block(b.String(), m.Width, h)
}

// Describe says an event in a few words.
func Describe(e session.Event, self string) string {
	switch e := e.(type) {
	case session.ConnectionEstablished:
		return "connected to " + e.Vendor
	case session.AuthResult:
		if e.OK {
			s := "signed in as " + first(e.DisplayName, e.User)
			if e.Role != "" {
				s += " (" + e.Role.String() + ")"
			}
			return s
		}
		return "sign-in failed: " + string(e.Code)
	case session.AgentStateChanged:
		who := "you are"
		if e.Agent != "" && e.Agent != self {
			who = e.Agent + " is"
		}
		s := who + " " + strings.ReplaceAll(e.State.String(), "_", " ")
		if e.Reason != "" {
			s += " (" + e.Reason + ")"
		}
		return s
	case session.AgentCheckedIn:
		return "checked in to " + strings.Join(e.Groups, ", ")
	case session.AgentCheckedOut:
		return "checked out"
	case session.CommandFailed:
		return "refused: " + e.Reason
	case session.MediaMic:
		if !e.Granted {
			return "no sound device: calls carry no audio"
		}
		return "sound: " + e.Device
	case session.CallRinging:
		if e.Callback {
			return "callback " + e.CallID + " for " + e.From + ", waited " + common.Clock(e.Waited.D())
		}
		if e.Direction == session.DirOutbound {
			return "call " + e.CallID + " ringing at " + first(e.To, "the far end")
		}
		return "call " + e.CallID + " ringing from " + e.From
	case session.QueueCallback:
		if e.Cancelled {
			return "callback cancelled"
		}
		return fmt.Sprintf("callback to %s booked, position %d", e.Number, e.Position)
	case session.CallRecording:
		switch {
		case e.Error != "":
			return "call " + e.CallID + ": " + e.Error
		case e.On:
			return "call " + e.CallID + " recording"
		}
		return "call " + e.CallID + " recording paused"
	case session.CallDialing:
		return "call " + e.CallID + " dialling " + e.To
	case session.CallAnswered:
		return "call " + e.CallID + " answered"
	case session.CallHeld:
		if e.Remote {
			return "call " + e.CallID + " held by the far end"
		}
		return "call " + e.CallID + " on hold"
	case session.CallRetrieved:
		if e.Remote {
			return "call " + e.CallID + " resumed by the far end"
		}
		return "call " + e.CallID + " resumed"
	case session.CallTransferring:
		return fmt.Sprintf("call %s transfer to %s: %d %s", e.CallID, e.To, e.Status, e.Reason)
	case session.CallTransferred:
		return "call " + e.CallID + " transferred to " + e.ToAgent + e.ToGroup + e.ToNumber
	case session.CallEnded:
		return fmt.Sprintf("call %s ended by %s", e.CallID, e.By)
	case session.CallConference:
		if e.Merged != "" {
			return "call " + e.CallID + " conference (" + e.Merged + " joined): " + strings.Join(e.Parties, ", ")
		}
		return "call " + e.CallID + " with " + strings.Join(e.Parties, ", ")
	case session.CallMonitored:
		return fmt.Sprintf("call %s: %s by %s", e.CallID, e.Mode, e.By)
	case session.QueueJoined:
		return fmt.Sprintf("queued at position %d", e.Position)
	case session.QueueUpdated:
		return fmt.Sprintf("queue position %d", e.Position)
	case session.AgentRoster:
		return fmt.Sprintf("roster of %d agents", len(e.Agents))
	case session.AgentGroups:
		return "your groups: " + groupNames(e.CheckIn)
	case session.AgentRights:
		r := make([]string, len(e.Rights))
		for i, x := range e.Rights {
			r[i] = string(x)
		}
		return "you may " + strings.Join(r, ", ")
	case session.ConnectionLost:
		return "connection lost " + e.Reason
	case session.ConnectionReconnecting:
		return fmt.Sprintf("reconnecting (attempt %d)", e.Attempt)
	case session.ConnectionRestored:
		return "connection restored"
	case session.ConnectionSynced:
		if e.Restarted {
			return "the centre restarted: calls it no longer has are ended, check in again"
		}
		return "in step with the centre"
	case session.ConnectionFailed:
		return "connection failed: " + e.Reason
	case session.CallRejected:
		return "call " + e.CallID + " rejected"
	case session.CallFailed:
		return "call " + e.CallID + " failed: " + e.Reason
	case session.CallMuted:
		if e.Muted {
			return "call " + e.CallID + " muted"
		}
		return "call " + e.CallID + " unmuted"
	case session.CallQuality:
		return fmt.Sprintf("call %s quality MOS %.1f", e.CallID, e.MOS)
	case session.QueueLeft:
		return "left the queue (" + string(e.By) + ")"
	case session.QueueNoAgents:
		return "no agents for " + e.Group
	case session.AgentRestTimeout:
		return "rest time is over"
	}
	return strings.ReplaceAll(string(e.Type()), ".", " ")
}

func groupNames(gs []session.Group) string {
	n := make([]string, len(gs))
	for i, g := range gs {
		n[i] = g.ID
		if g.Name != "" {
			n[i] = g.Name
		}
	}
	return strings.Join(n, ", ")
}

// first returns a, or b when a is empty.
func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
