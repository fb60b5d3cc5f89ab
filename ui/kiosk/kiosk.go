// Package kiosk is the customer's screen: big, one key to call, the queue
// position and the humanized wait in the caller's language, updated live;
// talking; one key to leave; a clear screen for no agents, network trouble
// and errors. Nothing else is reachable from it.
package kiosk

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
)

// Screen is which of the kiosk's screens shows.
type Screen int

// Screens.
const (
	Connecting Screen = iota
	Idle
	Calling
	Waiting
	Talking
	Held
	NoAgents
	Network
	Error
	Thanks
	CallbackBooked // the caller hung up and will be called back
	RingingBack    // the centre calls the caller back
)

// Props is what the kiosk needs from the session.
type Props struct {
	State   session.State
	Lang    session.Lang
	Now     time.Time
	Message string // a refusal or failure, in one sentence
}

// Model is the kiosk screen.
type Model struct {
	common.Common
	p Props
}

// New returns the screen.
func New(c common.Common) Model { return Model{Common: c} }

// SetProps replaces what the screen shows.
func (m *Model) SetProps(p Props) { m.p = p }

// Update has nothing of its own; the root maps the two keys to commands.
func (m Model) Update(tea.Msg) (Model, tea.Cmd) { return m, nil }

// Which picks the screen for the state.
func Which(p Props) Screen {
	s := p.State
	switch {
	case s.Conn == session.ConnLost || s.Conn == session.ConnReconnecting || s.Conn == session.ConnFailed || s.Conn == session.ConnBlocked:
		return Network
	case !s.Authed:
		if s.AuthCode != session.AuthOK {
			return Error
		}
		return Connecting
	}
	if len(s.Calls) > 0 {
		c := s.Calls[0]
		switch {
		case c.Phase == session.PhaseRinging:
			return RingingBack
		case s.Queue.Waiting:
			return Waiting
		case c.Phase == session.PhaseTalking:
			return Talking
		case c.Phase == session.PhaseHeld:
			return Held
		}
		return Calling
	}
	switch {
	case p.Message != "":
		return Error
	case s.Callback.Booked:
		return CallbackBooked
	case s.Queue.NoAgents:
		return NoAgents
	case len(s.Recent) > 0:
		return Thanks
	}
	return Idle
}

// ShortHelp returns the one or two keys the screen allows, each only when
// the backend has the verb it carries out (a kiosk SDK without leave
// shows no leave key).
func (m Model) ShortHelp() []key.Binding {
	k, has := m.Keys, m.p.State.Capabilities.Has
	type hint struct {
		b key.Binding
		v session.Verb
	}
	var hs []hint
	switch Which(m.p) {
	case Idle, NoAgents, Error, Thanks:
		hs = []hint{{k.Call, session.VerbCall}}
	case Waiting:
		hs = []hint{{k.Callback, session.VerbCallback}, {k.Leave, session.VerbLeave}}
	case Calling:
		hs = []hint{{k.Leave, session.VerbLeave}}
	case CallbackBooked:
		hs = []hint{{withDesc(k.Leave, "cancel the callback"), session.VerbLeave}}
	case RingingBack:
		hs = []hint{{withDesc(k.Call, "answer"), session.VerbAnswer}, {withDesc(k.Leave, "decline"), session.VerbReject}}
	case Talking, Held:
		mute := session.VerbMute
		if c := m.p.State.Calls[0]; c.Muted {
			mute = session.VerbUnmute
		}
		hs = []hint{{withDesc(k.Leave, "hang up"), session.VerbLeave}, {k.Mute, mute}}
	}
	var out []key.Binding
	for _, h := range hs {
		if has(h.v) {
			out = append(out, h.b)
		}
	}
	return out
}

func withDesc(b key.Binding, d string) key.Binding { b.SetHelp(b.Help().Key, d); return b }

// View draws the screen centred in the window.
func (m Model) View() string {
	st, p, l := m.Styles, m.p, m.p.Lang
	big := st.Big.Render
	var body []string
	// keyHint is a line that names a key, shown when the backend has its
	// verb.
	keyHint := func(v session.Verb, text string) []string {
		if p.State.Capabilities.Has(v) {
			return []string{st.Muted.Render(text)}
		}
		return nil
	}
	switch Which(p) {
	case Connecting:
		body = []string{big(tr(l, "connecting"))}
	case Idle:
		body = []string{big(tr(l, "idle")), "", st.Muted.Render(tr(l, "idle2"))}
	case Calling:
		t := tr(l, "calling")
		if c := p.State.Calls[0]; strings.HasPrefix(c.Outcome, "transferred") {
			t = tr(l, "transfer")
		}
		body = append([]string{big(t), ""}, keyHint(session.VerbLeave, tr(l, "leave"))...)
	case Waiting:
		q := p.State.Queue
		head := tr(l, "position", q.Position)
		if q.Position <= 1 {
			head = tr(l, "next")
		}
		body = []string{big(head), "", st.Info.Render(BigNumber(max(q.Position, 1))), "",
			tr(l, "wait", session.Humanize(q.EstimatedWait, l)), ""}
		body = append(body, keyHint(session.VerbCallback, tr(l, "callback"))...)
		body = append(body, keyHint(session.VerbLeave, tr(l, "leave"))...)
	case CallbackBooked:
		cb := p.State.Callback
		head := tr(l, "bookedhere")
		if strings.ContainsAny(cb.Number, "0123456789") {
			head = tr(l, "booked", cb.Number)
		}
		body = []string{big(head), ""}
		if cb.Position > 0 {
			body = append(body, tr(l, "keep", cb.Position), "")
		}
		body = append(body, keyHint(session.VerbLeave, tr(l, "cancelcb"))...)
	case RingingBack:
		body = append([]string{st.Good.Render(big(tr(l, "ringback"))), ""}, keyHint(session.VerbAnswer, tr(l, "answerback"))...)
	case Talking, Held:
		c := p.State.Calls[0]
		t := tr(l, "talking")
		if c.Phase == session.PhaseHeld {
			t = tr(l, "hold")
		}
		body = []string{st.Good.Render(t), "", big(common.Clock(c.TalkTime(p.Now)))}
		if c.Muted {
			body = append(body, "", st.Bad.Render(tr(l, "muted")))
		}
		if hint := keyHint(session.VerbLeave, tr(l, "hangup")); hint != nil {
			body = append(body, "", hint[0])
		}
	case NoAgents:
		body = []string{st.Warn.Render(tr(l, "noagents")), "", tr(l, "noagents2")}
	case Network:
		body = []string{st.Bad.Render(tr(l, "network")), "", tr(l, "network2")}
	case Error:
		msg := p.Message
		if msg == "" {
			msg = "sign-in failed (" + string(p.State.AuthCode) + ")"
		}
		body = []string{st.Bad.Render(tr(l, "error")), "", msg, "", tr(l, "again")}
	case Thanks:
		body = []string{big(tr(l, "thanks")), "", tr(l, "thanks2")}
	}
	content := lipgloss.JoinVertical(lipgloss.Center, body...)
	return common.Block(lipgloss.Place(m.Width, m.Height, lipgloss.Center, lipgloss.Center, content), m.Width, m.Height)
}
