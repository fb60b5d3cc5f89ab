package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/keypad"
	"github.com/agentty/agentty/ui/palette"
	"github.com/agentty/agentty/ui/picker"
)

// action is one key of a screen and what it does.
type action struct {
	key key.Binding
	run func(m *Model) tea.Cmd
}

func verb(v session.Verb) func(*Model) tea.Cmd {
	return func(m *Model) tea.Cmd { return m.issue(session.Command{Verb: v}) }
}

// onKey routes a key: ctrl+c always quits; then whatever has the keyboard
// (an overlay, a text field), then the screen's keys.
func (m *Model) onKey(k tea.KeyPressMsg) tea.Cmd {
	km := m.com.Keys
	if k.Keystroke() == "ctrl+c" {
		return tea.Quit
	}
	if m.overlay != noOverlay {
		return m.overlayKey(k)
	}
	if m.opts.Replay != nil && m.opts.Replay.Key(k.String()) {
		return nil
	}
	if m.Role() == session.RoleKiosk {
		return m.run(k, m.kioskActions())
	}
	if m.contacts.Focused() {
		if key.Matches(k, km.Focus) {
			m.contacts.Focus(false)
			return nil
		}
		var cmd tea.Cmd
		m.contacts, cmd = m.contacts.Update(k)
		return cmd
	}
	if m.roster.Filtering() {
		m.roster, _ = m.roster.Update(k)
		m.rosterDirty = true
		return nil
	}
	switch {
	case key.Matches(k, km.Help):
		m.overlay = helpOverlay
		return nil
	case key.Matches(k, km.Palette):
		m.overlay, m.palette = paletteOverlay, palette.New(m.com).Offering(append(m.app.Possible(), session.VerbQuit)).With(m.words()...)
		return nil
	case key.Matches(k, km.Quit):
		if m.app.State.OnCall() && !m.quitArmed {
			m.quitArmed = true
			m.say("You are on a call: press "+km.Quit.Help().Key+" again to quit anyway.", true)
			return nil
		}
		return tea.Quit
	}
	m.quitArmed = false
	if m.Role() == session.RoleSupervisor {
		if cmd, ok := m.runOK(k, m.supervisorActions()); ok {
			return cmd
		}
		m.roster, _ = m.roster.Update(k)
		m.rosterDirty = true
		return nil
	}
	return m.run(k, m.agentActions())
}

func (m *Model) run(k tea.KeyPressMsg, as []action) tea.Cmd {
	cmd, _ := m.runOK(k, as)
	return cmd
}

func (m *Model) runOK(k tea.KeyPressMsg, as []action) (tea.Cmd, bool) {
	for _, a := range as {
		if key.Matches(k, a.key) {
			return a.run(m), true
		}
	}
	return nil, false
}

func (m *Model) overlayKey(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, m.com.Keys.Back) || m.overlay == helpOverlay {
		m.overlay = noOverlay
		return nil
	}
	var cmd tea.Cmd
	switch m.overlay {
	case paletteOverlay:
		m.palette, cmd = m.palette.Update(k)
	case pickerOverlay:
		m.picker, cmd = m.picker.Update(k)
	case keypadOverlay:
		m.keypad, cmd = m.keypad.Update(k)
	}
	return cmd
}

// callActions are the call keys every seat but the kiosk has.
func (m *Model) callActions() []action {
	km := m.com.Keys
	return []action{
		{km.Answer, verb(session.VerbAnswer)},
		{km.Reject, verb(session.VerbReject)},
		{km.Hangup, verb(session.VerbHangup)},
		{km.Hold, (*Model).toggleHold},
		{km.Mute, (*Model).toggleMute},
		{km.Transfer, (*Model).openTransfer},
		{km.Keypad, (*Model).openKeypad},
		{km.Record, (*Model).toggleRecord},
	}
}

// agentCallActions are the call keys with the consultation's.
func (m *Model) agentCallActions() []action {
	return append(m.callActions(), m.consultActions()...)
}

func (m *Model) agentActions() []action {
	km := m.com.Keys
	return append(m.agentCallActions(),
		action{km.Ready, verb(session.VerbReady)},
		action{km.NotReady, func(m *Model) tea.Cmd { return m.openReasons(session.VerbNotReady) }},
		action{km.Rest, func(m *Model) tea.Cmd { return m.openReasons(session.VerbRest) }},
		action{km.CheckIn, verb(session.VerbCheckIn)},
		action{km.CheckOut, verb(session.VerbCheckOut)},
		action{km.Done, (*Model).doneOrCodes},
		action{km.Disposition, (*Model).openCodes},
		action{km.Search, func(m *Model) tea.Cmd { m.contacts.Focus(true); return nil }},
		action{km.Focus, func(m *Model) tea.Cmd { m.contacts.Focus(true); return nil }},
	)
}

func (m *Model) supervisorActions() []action {
	km := m.com.Keys
	on := func(v session.Verb) func(*Model) tea.Cmd {
		return func(m *Model) tea.Cmd {
			sel, ok := m.roster.Selected()
			if !ok {
				m.say("Select an agent first (↑ ↓).", true)
				return nil
			}
			return m.issue(session.Command{Verb: v, Agent: sel.ID})
		}
	}
	return append(m.agentCallActions(),
		action{km.Listen, on(session.VerbListen)},
		action{km.Whisper, on(session.VerbWhisper)},
		action{km.Barge, on(session.VerbBarge)},
		action{km.Intercept, on(session.VerbIntercept)},
		action{km.Pause, on(session.VerbPause)},
		action{km.Restore, on(session.VerbRestore)},
		action{km.Logout, on(session.VerbLogout)},
	)
}

func (m *Model) kioskActions() []action {
	km := m.com.Keys
	return []action{
		{km.Call, func(m *Model) tea.Cmd {
			if _, ringing := m.app.State.Ringing(); ringing {
				return m.issue(session.Command{Verb: session.VerbAnswer}) // the centre calling back
			}
			if m.app.State.Queue.Waiting || m.app.State.OnCall() || m.app.State.Callback.Booked {
				return nil
			}
			m.say("", false)
			return m.issue(session.Command{Verb: session.VerbCall})
		}},
		{km.Callback, func(m *Model) tea.Cmd {
			if !m.app.State.Queue.Waiting {
				return nil
			}
			return m.issue(session.Command{Verb: session.VerbCallback})
		}},
		{km.Leave, func(m *Model) tea.Cmd {
			if _, ringing := m.app.State.Ringing(); ringing {
				return m.issue(session.Command{Verb: session.VerbReject})
			}
			if !m.app.State.Queue.Waiting && !m.app.State.OnCall() && !m.app.State.Callback.Booked {
				return nil
			}
			return m.issue(session.Command{Verb: session.VerbLeave})
		}},
		{km.Mute, (*Model).toggleMute},
	}
}

func (m *Model) toggleHold() tea.Cmd {
	if _, talking := m.app.State.Talking(); !talking {
		if _, held := m.app.State.Held(); held {
			return m.issue(session.Command{Verb: session.VerbRetrieve})
		}
	}
	return m.issue(session.Command{Verb: session.VerbHold})
}

// toggleRecord is record on, or off while the call records; a supervisor
// with no answered call of its own records the selected agent's call.
func (m *Model) toggleRecord() tea.Cmd {
	c := session.Command{Verb: session.VerbRecord, Record: "on"}
	talking, ok := m.app.State.Talking()
	if !ok {
		talking, ok = m.app.State.Held()
	}
	switch {
	case ok && talking.Recording:
		c.Record = "off"
	case !ok && m.Role() == session.RoleSupervisor:
		if sel, selected := m.roster.Selected(); selected {
			c.Agent = sel.ID
		}
	}
	return m.issue(c)
}

func (m *Model) toggleMute() tea.Cmd {
	v := session.VerbMute
	if len(m.app.State.Calls) > 0 && m.app.State.Calls[0].Muted {
		v = session.VerbUnmute
	}
	return m.issue(session.Command{Verb: v})
}

// allowed reports whether Check lets c through, showing the refusal if not.
func (m *Model) allowed(c session.Command) bool {
	if err := m.app.Check(c); err != nil {
		m.fail(c, err)
		return false
	}
	return true
}

func (m *Model) openTransfer() tea.Cmd {
	if !m.allowed(session.Command{Verb: session.VerbTransfer, Target: session.Target{Kind: session.TargetNumber, ID: "0"}}) {
		return nil
	}
	items := m.targetItems()
	p := picker.New(m.com, "transfer", "Transfer to… (or type a number)", items)
	p.FreeText = func(s string) bool { _, err := session.ParseTarget(s); return err == nil }
	m.picker, m.overlay = p, pickerOverlay
	return nil
}

func (m *Model) openReasons(v session.Verb) tea.Cmd {
	if !m.allowed(session.Command{Verb: v}) {
		return nil
	}
	var items []picker.Item
	for _, r := range m.opts.Reasons {
		items = append(items, picker.Item{Label: r, Value: r})
	}
	title := "Not ready because… (or type a reason)"
	if v == session.VerbRest {
		title = "Rest because… (or type a reason)"
	}
	p := picker.New(m.com, string(v), title, items)
	p.FreeText = func(s string) bool { return s != "" }
	m.picker, m.overlay = p, pickerOverlay
	return nil
}

func (m *Model) openKeypad() tea.Cmd {
	if !m.allowed(session.Command{Verb: session.VerbDTMF, Digits: "1"}) {
		return nil
	}
	m.keypad, m.overlay = keypad.New(m.com), keypadOverlay
	return nil
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
