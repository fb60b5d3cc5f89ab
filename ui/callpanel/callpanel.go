// Package callpanel draws the live calls: direction, number, the matched
// contact, phase, talk and hold timers, mute, VU meters for microphone and
// speaker, and the measured loss, jitter and MOS.
package callpanel

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
)

// Props is what the panel shows.
type Props struct {
	Calls    []session.Call
	Last     *session.Call     // the last ended call, shown when none is live
	Names    map[string]string // caller-ID matches by number
	Now      time.Time
	Hint     string  // what to do next, shown when no call is live
	Mic, Spk float64 // 0..1
	HasLevel bool
}

// Model is the call panel.
type Model struct {
	common.Common
	p Props
}

// New returns an empty panel.
func New(c common.Common) Model { return Model{Common: c} }

// SetProps replaces what the panel shows.
func (m *Model) SetProps(p Props) { m.p = p }

// Update has nothing of its own to react to.
func (m Model) Update(tea.Msg) (Model, tea.Cmd) { return m, nil }

// ShortHelp returns the call keys that fit the first live call's phase.
func (m Model) ShortHelp() []key.Binding { return Keys(m.Keys, m.p.Calls) }

// Keys returns the call keys that make sense for calls.
func Keys(k *common.KeyMap, calls []session.Call) []key.Binding {
	var ringing, talking, held, muted bool
	for _, c := range calls {
		muted = muted || c.Muted
		switch c.Phase {
		case session.PhaseRinging:
			// An outbound call ringing at the far end is being placed,
			// not one to answer.
			ringing = ringing || c.Direction != session.DirOutbound
			talking = talking || c.Direction == session.DirOutbound
		case session.PhaseTalking, session.PhaseDialing:
			talking = true
		case session.PhaseHeld:
			held = true
		}
	}
	mute := k.Mute
	if muted {
		mute = withDesc(mute, "unmute")
	}
	switch {
	case ringing && !talking:
		return []key.Binding{k.Answer, k.Reject}
	case talking:
		return []key.Binding{k.Hangup, k.Hold, k.Transfer, k.Keypad, mute, recordKey(k, calls)}
	case held:
		return []key.Binding{withDesc(k.Hold, "resume"), k.Hangup, k.Transfer, mute}
	}
	return nil
}

// recMark is the REC mark of a recorded call, or the warning of a
// recording that stopped on its own (a full disk).
func recMark(st *common.Styles, c session.Call) string {
	switch {
	case c.Recording:
		return "  " + st.Bad.Render("● REC")
	case c.RecordError != "":
		return "  " + st.Warn.Render("REC stopped: "+c.RecordError)
	}
	return ""
}

// recordKey is the record key, saying what it does now.
func recordKey(k *common.KeyMap, calls []session.Call) key.Binding {
	for _, c := range calls {
		if c.Recording {
			return withDesc(k.Record, "stop recording")
		}
	}
	return k.Record
}

func withDesc(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// View draws the calls, four lines each.
func (m Model) View() string {
	st, p := m.Styles, m.p
	if len(p.Calls) == 0 {
		msg := st.Muted.Render("No call. Calls that ring for you appear here.")
		if p.Hint != "" {
			msg = st.Info.Render(p.Hint) + "\n" + msg
		}
		if p.Last != nil {
			c := p.Last
			msg += "\n\n" + st.Muted.Render("Last call: ") + m.who(*c) + "\n" + st.Muted.Render(fmt.Sprintf("  %s · talked %s", ended(*c), common.Clock(c.Duration.D())))
		}
		return common.Block(msg, m.Width, m.Height)
	}
	var lines []string
	for _, c := range p.Calls {
		lines = append(lines, m.call(c)...)
	}
	return common.Block(strings.Join(lines, "\n"), m.Width, m.Height)
}

func ended(c session.Call) string {
	if c.Outcome != "" {
		return c.Outcome
	}
	return "ended by " + string(c.EndedBy)
}

func (m Model) who(c session.Call) string {
	s := c.Remote()
	name := c.Contact
	if name == "" {
		name = m.p.Names[s]
	}
	if name != "" {
		s += "  " + m.Styles.Title.Render(name)
	}
	return s
}

func (m Model) call(c session.Call) []string {
	st, now := m.Styles, m.p.Now
	arrow := "← in "
	if c.Direction == session.DirOutbound {
		arrow = "→ out"
	}
	head := arrow + "  " + m.who(c)
	if c.Callback {
		head = st.Info.Render("CALLBACK") + " " + head
	}
	if c.Team != "" {
		head += st.Muted.Render("  via " + c.Team)
	}
	if len(c.Parties) > 2 {
		head += st.Info.Render("  CONFERENCE") + st.Muted.Render(" "+strings.Join(c.Parties, ", "))
	}
	var phase string
	switch c.Phase {
	case session.PhaseRinging:
		phase = st.Ringing.Render("RINGING") + " " + common.Clock(now.Sub(c.Started))
	case session.PhaseDialing:
		phase = st.Warn.Render("CALLING") + " " + common.Clock(now.Sub(c.Started))
	case session.PhaseTalking:
		phase = st.Good.Render("TALKING") + " " + common.Clock(c.TalkTime(now))
	case session.PhaseHeld:
		phase = st.Warn.Render("ON HOLD") + " " + common.Clock(now.Sub(c.HeldSince)) + st.Muted.Render(" talked "+common.Clock(c.TalkTime(now)))
	default:
		phase = c.Phase.String()
	}
	if c.RemoteHeld {
		phase += "  " + st.Warn.Render("HELD BY FAR END")
	}
	if t := c.Transfer; t.Status > 0 {
		if t.Failed() {
			phase += "  " + st.Bad.Render(fmt.Sprintf("transfer to %s failed: %d %s", t.To, t.Status, t.Reason))
		} else {
			phase += "  " + st.Info.Render(fmt.Sprintf("transferring to %s: %d %s", t.To, t.Status, t.Reason))
		}
	}
	if c.Muted {
		phase += "  " + st.Bad.Render("MUTED")
	}
	phase += recMark(st, c)
	if c.Monitor != session.MonitorNone {
		phase += "  " + st.Info.Render(string(c.Monitor)+" by "+c.MonitoredBy)
	}
	if c.Media == session.MediaLost {
		phase += "  " + st.Bad.Render("audio lost")
	}
	if c.Wait.Known() && c.Wait > 0 {
		phase += st.Muted.Render("  waited " + common.Clock(c.Wait.D()))
	}
	out := []string{head, "       " + phase}
	if c.Phase == session.PhaseTalking || c.Phase == session.PhaseHeld {
		meter := st.Muted.Render("mic ") + vu(m.p.Mic, m.p.HasLevel, c.Muted) + st.Muted.Render("  spk ") + vu(m.p.Spk, m.p.HasLevel, false)
		q := st.Muted.Render("quality not measured yet")
		if c.HasQuality {
			q = fmt.Sprintf("loss %.1f%%  jitter %.0f ms  MOS %.1f", c.Quality.LossPct, c.Quality.JitterMS, c.Quality.MOS)
		}
		out = append(out, "       "+meter, "       "+q)
		if c.DTMF != "" {
			out = append(out, "       "+st.Muted.Render("digits received ")+c.DTMF)
		}
	}
	return out
}

func vu(v float64, has, muted bool) string {
	if !has || muted {
		return strings.Repeat("·", 10)
	}
	return common.Bar(v, 10)
}
