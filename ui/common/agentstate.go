package common

import (
	"charm.land/bubbles/v2/key"

	"github.com/agentty/agentty/session"
)

// StateInfo is what every panel needs to know of one agent state: a new
// state is one row of the table behind AgentState, not a case in each
// panel's switch.
type StateInfo struct {
	// Label is the state in the status bar and the roster ("NOT READY").
	Label string
	// Style picks the state's style.
	Style func(*Styles) func(...string) string
	// Rank orders the roster's by-state sort: on a call first.
	Rank int
	// Own are the agent's own state keys in this state, most useful first,
	// before the console drops those the backend lacks or the state
	// refuses.
	Own func(KeyMap, session.AgentStatus) []key.Binding
	// Supervise are a supervisor's keys for an agent in this state.
	Supervise func(KeyMap) []key.Binding
	// Next is the first-time user's hint for a checked-in agent in this
	// state; k names a binding's key.
	Next func(km KeyMap, a session.AgentStatus, k func(key.Binding) string) string
}

// AgentState returns the row of state s; an unknown state is "signing in".
func AgentState(s session.AgentState) StateInfo {
	if i, ok := agentStates[s]; ok {
		return i
	}
	return signingIn
}

func good(st *Styles) func(...string) string  { return st.Good.Render }
func warn(st *Styles) func(...string) string  { return st.Warn.Render }
func busy(st *Styles) func(...string) string  { return st.Busy.Render }
func info(st *Styles) func(...string) string  { return st.Info.Render }
func muted(st *Styles) func(...string) string { return st.Muted.Render }

func notReadyNext(km KeyMap, _ session.AgentStatus, k func(key.Binding) string) string {
	return "Not ready: press " + k(km.Ready) + " to take calls."
}

func readyRest(km KeyMap, _ session.AgentStatus) []key.Binding {
	return []key.Binding{km.Ready, km.Rest}
}

func pauseLogout(km KeyMap) []key.Binding { return []key.Binding{km.Pause, km.Logout} }

var signingIn = StateInfo{Label: "SIGNING IN", Style: muted, Rank: 6, Own: readyRest, Supervise: pauseLogout, Next: notReadyNext}

var agentStates = map[session.AgentState]StateInfo{
	session.AgentBusy: {Label: "ON A CALL", Style: busy, Rank: 0, Own: readyRest,
		Supervise: func(km KeyMap) []key.Binding {
			return []key.Binding{km.Listen, km.Whisper, km.Barge, km.Intercept, km.Pause, km.Logout}
		},
		Next: notReadyNext},
	session.AgentReady: {Label: "READY", Style: good, Rank: 1,
		Own:       func(km KeyMap, _ session.AgentStatus) []key.Binding { return []key.Binding{km.NotReady, km.Rest} },
		Supervise: pauseLogout,
		Next: func(km KeyMap, _ session.AgentStatus, k func(key.Binding) string) string {
			return "Ready: calls ring here; " + k(km.Answer) + " answers."
		}},
	session.AgentWrapUp: {Label: "WRAP-UP", Style: info, Rank: 2,
		Own: func(km KeyMap, a session.AgentStatus) []key.Binding {
			var bs []key.Binding
			if len(a.Codes) > 0 {
				bs = append(bs, km.Disposition)
			}
			return append(bs, km.Done, km.NotReady)
		},
		Supervise: pauseLogout,
		Next: func(km KeyMap, a session.AgentStatus, k func(key.Binding) string) string {
			switch {
			case a.Code != "":
				return "Wrap-up: code " + a.Code + "; press " + k(km.Done) + " when your notes are done."
			case a.CodeRequired:
				return "Wrap-up: press " + k(km.Disposition) + " to choose a disposition code, then " + k(km.Done) + "."
			case len(a.Codes) > 0:
				return "Wrap-up: " + k(km.Disposition) + " for a disposition code; " + k(km.Done) + " when done."
			}
			return "Wrap-up: press " + k(km.Done) + " when your notes are done."
		}},
	session.AgentNotReady: {Label: "NOT READY", Style: warn, Rank: 3, Own: readyRest,
		Supervise: func(km KeyMap) []key.Binding { return []key.Binding{km.Restore, km.Logout} },
		Next:      notReadyNext},
	session.AgentRest: {Label: "REST", Style: warn, Rank: 4,
		Own:       func(km KeyMap, _ session.AgentStatus) []key.Binding { return []key.Binding{km.Ready, km.NotReady} },
		Supervise: pauseLogout,
		Next: func(km KeyMap, _ session.AgentStatus, k func(key.Binding) string) string {
			return "On a rest: press " + k(km.Ready) + " when you are back."
		}},
	session.AgentOffline: {Label: "CHECKED OUT", Style: muted, Rank: 5, Own: readyRest,
		Supervise: func(KeyMap) []key.Binding { return nil },
		Next:      notReadyNext},
}
