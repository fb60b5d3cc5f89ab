package session

import (
	"slices"
	"time"
)

// applyCall handles the events about one call.
func applyCall(s State, e CallEvent, at time.Time) (State, error) {
	id := e.Call()
	fail := func(err error, detail string) (State, error) {
		return s, &TransitionError{Event: e.Type(), CallID: id, Err: err, Detail: detail}
	}
	if id == "" {
		return fail(ErrInvalidEvent, "no call_id")
	}
	if s.endedRecently(id) {
		return fail(ErrCallEnded, "")
	}
	i := s.callIndex(id)

	// New calls.
	switch e := e.(type) {
	case CallRinging:
		if i >= 0 && e.Direction == DirOutbound && s.Calls[i].Direction == DirOutbound &&
			(s.Calls[i].Phase == PhaseDialing || s.Calls[i].Phase == PhaseRinging) {
			// The far end of a call being placed rings (SIP 180/183):
			// the dialling call shows it; a second ringing changes nothing.
			s.Calls = slices.Clone(s.Calls)
			s.Calls[i].Phase = PhaseRinging
			if e.To != "" {
				s.Calls[i].To = e.To
			}
			return s, nil
		}
		if i >= 0 {
			return fail(ErrDuplicateCall, "")
		}
		dir := e.Direction
		if dir == DirUnknown {
			dir = DirInbound
		}
		wait := Unknown
		if e.Callback {
			wait = e.Waited
			s.Callback = CallbackStatus{} // the centre calls the caller back
		}
		return s.addCall(Call{ID: id, Direction: dir, From: e.From, To: e.To, Team: e.Team,
			Contact: e.Contact, Phase: PhaseRinging, Started: at, Wait: wait, Callback: e.Callback}), nil
	case CallDialing:
		if i >= 0 && s.Calls[i].Callback && s.Calls[i].Phase == PhaseRinging {
			// An agent answered a callback: the centre now calls the caller.
			s.Calls = slices.Clone(s.Calls)
			s.Calls[i].Phase = PhaseDialing
			if e.To != "" {
				s.Calls[i].To = e.To
			}
			return s, nil
		}
		if i >= 0 {
			return fail(ErrDuplicateCall, "")
		}
		return s.addCall(Call{ID: id, Direction: DirOutbound, To: e.To, Phase: PhaseDialing,
			Started: at, Wait: Unknown}), nil
	}
	if i < 0 {
		return fail(ErrUnknownCall, "")
	}

	s.Calls = slices.Clone(s.Calls)
	c := &s.Calls[i]
	switch e := e.(type) {
	case CallAnswered:
		if c.Phase != PhaseRinging && c.Phase != PhaseDialing {
			return fail(ErrBadTransition, "answered while "+c.Phase.String())
		}
		s.holdOthers(id, at)
		c.Phase, c.Answered = PhaseTalking, at
		s.CallAnswered = true
		if s.Queue.Waiting {
			// Answered is out of the queue, whether or not queue.left says so.
			s.Queue.Waiting, s.Queue.LeftBy = false, ByAnswered
		}
		if e.Wait != 0 {
			c.Wait = e.Wait
		}
	case CallHeld:
		if e.Remote {
			if c.Phase != PhaseTalking && c.Phase != PhaseHeld {
				return fail(ErrBadTransition, "held by the far end while "+c.Phase.String())
			}
			c.RemoteHeld = true
			break
		}
		if c.Phase != PhaseTalking {
			return fail(ErrBadTransition, "held while "+c.Phase.String())
		}
		c.Phase, c.HeldSince = PhaseHeld, at
	case CallRetrieved:
		if e.Remote {
			c.RemoteHeld = false
			break
		}
		if c.Phase != PhaseHeld {
			return fail(ErrBadTransition, "retrieved while "+c.Phase.String())
		}
		s.holdOthers(id, at)
		c.Phase = PhaseTalking
		c.HeldTotal += at.Sub(c.HeldSince)
		c.HeldSince = time.Time{}
	case CallMedia:
		if e.State != MediaConnected && e.State != MediaLost && e.State != MediaRestored {
			return fail(ErrInvalidEvent, "media state "+string(e.State))
		}
		c.Media = e.State
		if e.State == MediaLost {
			c.Quality, c.HasQuality = Quality{}, false // no packets, no score
		}
	case CallConference:
		c.Parties = slices.Clone(e.Parties)
		if j := s.callIndex(e.Merged); e.Merged != "" && j >= 0 && j != i {
			s.Calls[j].Outcome = "joined " + id
			s = s.endCall(j, at, ByAgent, Unknown)
		}
	case CallMonitored:
		switch e.Mode {
		case MonitorNone, MonitorListen, MonitorWhisper, MonitorBarge:
		default:
			return fail(ErrInvalidEvent, "monitor mode "+string(e.Mode))
		}
		c.Monitor, c.MonitoredBy = e.Mode, e.By
		if e.Mode == MonitorNone {
			c.MonitoredBy = ""
		}
	case CallMuted:
		c.Muted = e.Muted
	case CallRecording:
		c.Recording, c.RecordError = e.On, e.Error
	case CallQuality:
		// While the media is lost no figure is true: the centre may see a
		// silent leg that this side's phone, still hearing the far end,
		// keeps scoring. The score returns with call.media restored.
		if c.Media != MediaLost {
			c.Quality, c.HasQuality = e.Quality, true
		}
	case CallTransferring:
		if c.Phase != PhaseTalking && c.Phase != PhaseHeld {
			return fail(ErrBadTransition, "transferring while "+c.Phase.String())
		}
		c.Transfer = TransferProgress{To: e.To, Status: e.Status, Reason: e.Reason}
	case CallDTMF:
		c.DTMF += e.Digits
		if n := len(c.DTMF); n > 64 {
			c.DTMF = c.DTMF[n-64:]
		}
	case CallTransferred:
		outcome := "transferred"
		if to := firstNonEmpty(e.ToAgent, e.ToGroup, e.ToNumber); to != "" {
			outcome += " to " + to
		}
		if s.Role == RoleKiosk {
			// The caller stays on the line and waits again, in the new
			// group's queue, for the new agent; queue.joined or
			// queue.updated will say where.
			if !c.HeldSince.IsZero() {
				c.HeldTotal += at.Sub(c.HeldSince)
				c.HeldSince = time.Time{}
			}
			c.Phase, c.Outcome = PhaseDialing, outcome
			if e.ToGroup != "" {
				c.Team = e.ToGroup
			}
			s.Queue = QueueStatus{Waiting: true, Group: e.ToGroup, EstimatedWait: Unknown, Since: at}
			break
		}
		c.Outcome = outcome
		s = s.endCall(i, at, ByAgent, Unknown)
	case CallRejected:
		if c.Phase != PhaseRinging && c.Phase != PhaseDialing {
			return fail(ErrBadTransition, "rejected while "+c.Phase.String())
		}
		c.Outcome = "rejected"
		s = s.endCall(i, at, e.By, Unknown)
	case CallFailed:
		if c.Phase != PhaseRinging && c.Phase != PhaseDialing {
			return fail(ErrBadTransition, "failed while "+c.Phase.String())
		}
		c.Outcome = "failed: " + e.Reason
		s = s.endCall(i, at, BySystem, Unknown)
	case CallEnded:
		if e.Wait != 0 {
			c.Wait = e.Wait
		}
		s = s.endCall(i, at, e.By, e.Duration).clearDegradedFor(e.CallID)
	default:
		return fail(ErrInvalidEvent, "unhandled call event")
	}
	return s, nil
}

// addCall appends a live call; an agent with a call is busy.
func (s State) addCall(c Call) State {
	s.Calls = append(slices.Clone(s.Calls), c)
	if s.Role != RoleKiosk && s.Agent.State != AgentBusy {
		s.AgentBeforeCall, s.CallAnswered = s.Agent, false
		s.Agent = AgentStatus{State: AgentBusy, Since: c.Started}
	}
	return s
}

// holdOthers puts every other talking call on hold, so that at most one live
// call is unheld-and-talking.
func (s *State) holdOthers(id string, at time.Time) {
	for j := range s.Calls {
		if s.Calls[j].ID != id && s.Calls[j].Phase == PhaseTalking {
			s.Calls[j].Phase, s.Calls[j].HeldSince = PhaseHeld, at
		}
	}
}

// endCall moves live call i to Recent. When the last live call goes, a busy
// agent who answered a call of the spell goes to wrap-up; one none of whose
// calls connected goes back to AgentBeforeCall (offline when no longer
// checked in), until the backend says otherwise.
func (s State) endCall(i int, at time.Time, by Party, d Seconds) State {
	c := s.Calls[i]
	if !c.HeldSince.IsZero() {
		c.HeldTotal += at.Sub(c.HeldSince)
		c.HeldSince = time.Time{}
	}
	c.Phase, c.Ended, c.EndedBy = PhaseEnded, at, by
	if d.Known() && d != 0 {
		c.Duration = d
	} else {
		c.Duration = Secs(c.TalkTime(at))
	}
	s.Calls = slices.Delete(s.Calls, i, i+1)
	if len(s.Calls) == 0 {
		s.Calls = nil
	}
	s.Recent = append(slices.Clone(s.Recent), c)
	if n := len(s.Recent); n > MaxRecent {
		s.Recent = s.Recent[n-MaxRecent:]
	}
	if len(s.Calls) == 0 && s.Queue.Waiting {
		// The caller's call is over: so is the wait.
		s.Queue.Waiting, s.Queue.LeftBy = false, by
	}
	if len(s.Calls) == 0 && s.Role != RoleKiosk && s.Agent.State == AgentBusy {
		next := s.AgentBeforeCall
		switch {
		case !s.CheckedIn:
			if next.State != AgentOffline && next.State != AgentUnknown {
				next = AgentStatus{State: AgentOffline, Since: at}
			}
		case s.CallAnswered:
			next = AgentStatus{State: AgentWrapUp, Since: at}
		case next.State == AgentUnknown || next.State == AgentOffline || next.State == AgentBusy:
			next = AgentStatus{State: AgentNotReady, Since: at}
		}
		s.Agent = next
		s.AgentBeforeCall, s.CallAnswered = AgentStatus{}, false
	}
	return s
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
