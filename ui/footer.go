package ui

import (
	"slices"

	"charm.land/bubbles/v2/key"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/callpanel"
	"github.com/agentty/agentty/ui/common"
)

// footer returns the keys that make sense now, most useful first: only
// those whose verbs the backend has and the state allows (offered).
func (m *Model) footer() []key.Binding {
	km := m.com.Keys
	switch {
	case m.overlay == helpOverlay:
		return []key.Binding{withDesc(km.Back, "close help")}
	case m.overlay == paletteOverlay:
		return m.palette.ShortHelp()
	case m.overlay == pickerOverlay:
		return m.picker.ShortHelp()
	case m.overlay == keypadOverlay:
		return m.keypad.ShortHelp()
	case m.Role() == session.RoleKiosk:
		return m.kiosk.ShortHelp()
	case m.contacts.Focused():
		return m.contacts.ShortHelp()
	case m.roster.Filtering():
		return m.roster.ShortHelp()
	}
	bs := callpanel.Keys(km, m.app.State.Calls)
	if m.Role() == session.RoleSupervisor {
		// A supervisor's calls are mostly monitoring: answering and ending
		// them and the microphone matter.
		bs = slices.DeleteFunc(bs, func(b key.Binding) bool {
			return !slices.ContainsFunc(m.keyVerbs(b), func(v session.Verb) bool {
				switch v {
				case session.VerbHangup, session.VerbMute, session.VerbUnmute, session.VerbAnswer, session.VerbReject:
					return true
				}
				return false
			})
		})
		bs = append(bs, m.supervisorKeys()...)
	} else {
		bs = append(m.withConsultKeys(bs), m.stateKeys()...)
	}
	bs = slices.DeleteFunc(bs, func(b key.Binding) bool { return !m.offered(b) })
	return append(bs, km.Palette, km.Help, km.Quit)
}

// bindingVerbs are the verbs behind each key of the agent and supervisor
// seats, by KeyMap.Named's names; a key not here carries out no verb.
var bindingVerbs = map[string][]session.Verb{
	"answer": {session.VerbAnswer}, "reject": {session.VerbReject}, "hangup": {session.VerbHangup},
	"hold": {session.VerbHold, session.VerbRetrieve}, "transfer": {session.VerbTransfer},
	"keypad": {session.VerbDTMF}, "mute": {session.VerbMute, session.VerbUnmute}, "record": {session.VerbRecord},
	"consult": {session.VerbConsult}, "complete": {session.VerbComplete}, "conference": {session.VerbConference},
	"cancel": {session.VerbCancel},
	"ready":  {session.VerbReady}, "notready": {session.VerbNotReady}, "rest": {session.VerbRest},
	"checkin": {session.VerbCheckIn}, "checkout": {session.VerbCheckOut}, "done": {session.VerbDone},
	"disposition": {session.VerbDisposition},
	"listen":      {session.VerbListen}, "whisper": {session.VerbWhisper}, "barge": {session.VerbBarge},
	"intercept": {session.VerbIntercept}, "pause": {session.VerbPause}, "restore": {session.VerbRestore},
	"logout": {session.VerbLogout},
}

// keyVerbs returns the verbs key b carries out (matched by its keys, so a
// binding whose help was reworded is still itself); nil for a key that
// carries out none.
func (m *Model) keyVerbs(b key.Binding) []session.Verb {
	named := m.com.Keys.Named()
	for name, vs := range bindingVerbs {
		if slices.Equal(named[name].Keys(), b.Keys()) {
			return vs
		}
	}
	return nil
}

// offered reports whether key b may be offered now: it carries out no
// verb, or one the backend has and the state allows (app.Session.Allows;
// a supervisory verb for the selected agent).
func (m *Model) offered(b key.Binding) bool {
	vs := m.keyVerbs(b)
	if vs == nil {
		return true
	}
	sel, selected := m.roster.Selected()
	for _, v := range vs {
		if v.Supervisory() && selected {
			if m.app.Check(session.Command{Verb: v, Agent: sel.ID}) == nil {
				return true
			}
		} else if m.app.Allows(v) {
			return true
		}
	}
	return false
}

// acd reports whether the backend has check-in: without it (a phone) the
// agent needs no check-in to take and make calls.
func (m *Model) acd() bool { return m.app.State.Capabilities.Has(session.VerbCheckIn) }

// stateKeys are the agent-state keys that fit the agent's state
// (common.AgentState's Own).
func (m *Model) stateKeys() []key.Binding {
	km, s := m.com.Keys, m.app.State
	if !s.Authed {
		return nil
	}
	if !s.CheckedIn && m.acd() {
		// ready checks in to the agent's groups first (issue 14): offer both.
		return []key.Binding{km.CheckIn, withDesc(km.Ready, "check in & ready")}
	}
	if s.OnCall() {
		return nil
	}
	bs := common.AgentState(s.Agent.State).Own(*km, s.Agent)
	return append(bs, withDesc(km.Search, "find & dial"), km.CheckOut)
}

// supervisorKeys are the actions that fit the selected agent
// (common.AgentState's Supervise).
func (m *Model) supervisorKeys() []key.Binding {
	sel, ok := m.roster.Selected()
	if !ok {
		return m.roster.ShortHelp()
	}
	return append(common.AgentState(sel.State).Supervise(*m.com.Keys), m.roster.ShortHelp()...)
}

func withDesc(b key.Binding, d string) key.Binding { b.SetHelp(b.Help().Key, d); return b }
