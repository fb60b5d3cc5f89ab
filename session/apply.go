package session

import (
	"maps"
	"reflect"
	"slices"
	"time"
)

// Apply returns the state after e. An event that does not fit the state (see
// Transition) leaves the state as it was, except that Now advances.
func Apply(s State, e Event) State {
	next, _ := Transition(s, e)
	return next
}

// Transition returns the state after e, or a *TransitionError wrapping one of
// the documented Err* values when e does not fit s. On error the returned
// State is s with only Now advanced, as Apply returns it. Now never goes
// back: an event stamped before Now (or not at all) is taken to happen at
// Now. It never panics,
// whatever the event holds: nil is ErrInvalidEvent, and a pointer to an
// event counts as the event itself.
func Transition(s State, e Event) (State, error) {
	e, ok := derefEvent(e)
	if !ok {
		return s, &TransitionError{Event: "", Err: ErrInvalidEvent, Detail: "nil event"}
	}
	// Time never goes back: a late event, or one with no time, happens at
	// the newest time known, so no duration comes out negative.
	at := e.Time()
	if at.Before(s.Now) {
		at = s.Now
	}
	s.Now = at
	next, err := transition(s, e, at)
	if err != nil {
		return s, err
	}
	return next, nil
}

// derefEvent turns a pointer to an event into the event; false for nil.
func derefEvent(e Event) (Event, bool) {
	if e == nil {
		return nil, false
	}
	v := reflect.ValueOf(e)
	if v.Kind() != reflect.Pointer {
		return e, true
	}
	if v.IsNil() {
		return nil, false
	}
	if d, ok := v.Elem().Interface().(Event); ok {
		return d, true
	}
	return e, true
}

// transition is Transition once e is a value and Now has moved to at. Its
// State is discarded on error, so it may change s before it fails.
func transition(s State, e Event, at time.Time) (State, error) {
	if ce, ok := e.(CallEvent); ok {
		return applyCall(s, ce, at)
	}
	fail := func(err error, detail string) (State, error) {
		return s, &TransitionError{Event: e.Type(), Err: err, Detail: detail}
	}
	switch e := e.(type) {
	case ConnectionEstablished:
		s.Conn, s.ConnReason, s.Degraded = ConnEstablished, "", ""
		s.Vendor, s.Version, s.DialsURIs = e.Vendor, e.Version, e.URIs
		if e.Capabilities != nil {
			s.Capabilities = NewCapabilities(e.Capabilities...)
		}
	case ConnectionFailed:
		s.Conn, s.ConnReason = ConnFailed, e.Reason
	case ConnectionLost:
		s.Conn, s.ConnReason = ConnLost, e.Reason
	case ConnectionReconnecting:
		s.Conn, s.ConnReason = ConnReconnecting, e.Reason
	case ConnectionRestored:
		s.Conn, s.ConnReason, s.Degraded = ConnEstablished, "", ""
	case ConnectionSynced:
		return applySynced(s, e, at)
	case ConnectionDegraded:
		s.Degraded = e.Detail
	case ConnectionRecovered:
		s.Degraded = ""
	case AgentDisposition:
		if s.Agent.State != AgentWrapUp {
			return fail(ErrBadTransition, "disposition while "+s.Agent.State.String())
		}
		s.Agent.Code = e.Code
	case QueueCallback:
		s = applyQueueCallback(s, e, at)
	case AccessBlocked:
		s.Conn, s.ConnReason = ConnBlocked, e.Reason
	case ACDConflict:
		s.ConnReason = e.Reason
	case AuthResult:
		if e.OK && e.Role != RoleUnknown && !e.Role.Valid() {
			return fail(ErrInvalidEvent, "role "+string(e.Role))
		}
		s.Authed, s.AuthCode = e.OK, e.Code
		if e.OK {
			s.AuthCode = AuthOK
			s.DisplayName, s.User = e.DisplayName, e.User
			switch {
			case e.Role != RoleUnknown:
				s.Role = e.Role
			case s.Role == RoleUnknown:
				// A backend with no roles (SIP, most SDKs) signs in agents.
				s.Role = RoleAgent
			}
		} else if s.AuthCode == AuthOK {
			s.AuthCode = AuthInternal
		}
	case AgentCheckedIn:
		if !e.OK {
			break
		}
		s.CheckedIn, s.Groups = true, slices.Clone(e.Groups)
		if s.Agent.State == AgentUnknown || s.Agent.State == AgentOffline {
			s.Agent = AgentStatus{State: AgentNotReady, Since: at}
		}
	case AgentCheckedOut:
		if !e.OK {
			break
		}
		s.CheckedIn, s.Groups = false, nil
		s.Agent = AgentStatus{State: AgentOffline, Since: at}
	case AgentStateChanged:
		if !e.State.Valid() {
			return fail(ErrInvalidEvent, "agent state "+string(e.State))
		}
		if e.Agent != "" && e.Agent != s.User {
			s.Roster = rosterUpdate(s.Roster, e, at)
			break
		}
		if e.State == AgentWrapUp && len(s.Recent) == 0 && len(s.Calls) == 0 {
			return fail(ErrNoCallToWrapUp, "")
		}
		if e.State == AgentBusy && s.Agent.State != AgentBusy {
			s.AgentBeforeCall, s.CallAnswered = s.Agent, false
		}
		s.Agent = AgentStatus{State: e.State, Reason: e.Reason, Since: at, Limit: e.Limit}
		if e.State == AgentWrapUp {
			s.Agent.Codes, s.Agent.CodeRequired = e.Codes, e.CodeRequired
		}
		if e.State == AgentOffline {
			s.CheckedIn, s.Groups = false, nil
		} else if !s.CheckedIn && s.Role != RoleKiosk {
			s.CheckedIn = true
		}
		if _, listed := s.Roster[s.User]; listed && s.User != "" {
			// The user's own row, when the roster lists the user.
			s.Roster = rosterUpdate(s.Roster, AgentStateChanged{Agent: s.User, State: e.State, Reason: e.Reason}, at)
		}
	case AgentRestTimeout:
		if e.Agent != "" && e.Agent != s.User {
			break
		}
		if s.Agent.State != AgentRest {
			return fail(ErrBadTransition, "rest timeout while "+s.Agent.State.String())
		}
		s.Agent.RestOverdue = true
	case AgentGroups:
		s.CheckInGroups, s.TransferGroups = slices.Clone(e.CheckIn), slices.Clone(e.Transfer)
	case AgentRights:
		s.Rights = slices.Clone(e.Rights)
	case AgentRoster:
		s.Roster = make(map[string]RosterEntry, len(e.Agents))
		for _, a := range e.Agents {
			if a.ID == "" {
				continue
			}
			s.Roster[a.ID] = a
		}
	case CommandFailed:
		f := e
		s.LastFailure = &f
	case QueueNoAgents:
		s.Queue.NoAgents, s.Queue.Waiting, s.Queue.Group = true, false, e.Group
	case QueueJoined:
		s.Queue = QueueStatus{Waiting: true, Group: e.Group, Position: e.Position, EstimatedWait: e.EstimatedWait, Since: at}
	case QueueUpdated:
		if !s.Queue.Waiting {
			return fail(ErrNotQueued, "")
		}
		s.Queue.Position, s.Queue.EstimatedWait = e.Position, e.EstimatedWait
	case QueueLeft:
		s.Queue.Waiting, s.Queue.LeftBy = false, e.By
	case QueueStats:
		s.Queues = slices.Clone(e.Groups)
	case MediaMic:
		g := e.Granted
		s.MicGranted = &g
	case ContactsPushed:
		s.ContactsPushed = e.Count
	case FileOffer:
		s.FileOffers = append(slices.Clone(s.FileOffers), e)
		if n := len(s.FileOffers); n > 8 {
			s.FileOffers = s.FileOffers[n-8:]
		}
	default:
		return fail(ErrInvalidEvent, "unhandled event")
	}
	return s, nil
}

// rosterUpdate sets one agent's row; it writes into m (see State).
func rosterUpdate(m map[string]RosterEntry, e AgentStateChanged, at time.Time) map[string]RosterEntry {
	if m == nil {
		m = make(map[string]RosterEntry)
	}
	r := m[e.Agent]
	r.ID = e.Agent
	if r.State != e.State || r.Reason != e.Reason {
		r.Since = at
	}
	r.State, r.Reason = e.State, e.Reason
	if e.State != AgentBusy {
		r.Call = ""
	}
	m[e.Agent] = r
	return m
}

// CloneRoster returns a copy of s.Roster that later Applies will not touch.
func (s State) CloneRoster() map[string]RosterEntry { return maps.Clone(s.Roster) }
