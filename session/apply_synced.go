package session

import (
	"slices"
	"time"
)

// applySynced makes s agree with the backend's snapshot e (see
// ConnectionSynced).
func applySynced(s State, e ConnectionSynced, at time.Time) (State, error) {
	if e.State != AgentUnknown && !e.State.Valid() {
		return s, &TransitionError{Event: e.Type(), Err: ErrInvalidEvent, Detail: "agent state " + string(e.State)}
	}
	outcome := OutcomeCentreLost
	if e.Restarted {
		outcome = OutcomeCentreRestarted
		s.ConnReason = "the centre restarted"
	}
	for i := len(s.Calls) - 1; i >= 0; i-- {
		if slices.Contains(e.Calls, s.Calls[i].ID) {
			continue
		}
		s.Calls = slices.Clone(s.Calls)
		s.Calls[i].Outcome = outcome
		s = s.endCall(i, at, BySystem, Unknown)
	}
	if !e.Queued && s.Queue.Waiting {
		s.Queue.Waiting, s.Queue.LeftBy = false, BySystem
	}
	if s.Role == RoleKiosk {
		return s, nil
	}
	if !e.CheckedIn {
		s.CheckedIn, s.Groups = false, nil
	}
	state := e.State
	if state == AgentUnknown && !e.CheckedIn {
		state = AgentOffline
	}
	if state != AgentUnknown && state != s.Agent.State {
		s.Agent = AgentStatus{State: state, Since: at}
	}
	if len(s.Calls) == 0 {
		s.AgentBeforeCall, s.CallAnswered = AgentStatus{}, false
	}
	return s, nil
}
