package fake

import (
	"time"

	"github.com/agentty/agentty/session"
)

// consult plays the consultation verbs as the embedded centre answers
// them (docs/protocol.md, Consultation): the consulted party answers at
// once.
func (v *Vendor) consult(now time.Time, s session.State, c session.Command) {
	h, k, ok := s.Consultation()
	switch c.Verb {
	case session.VerbConsult:
		call, _ := s.Talking()
		v.emit(session.CallHeld{CallBase: callAt(now, call.ID)})
		id := v.newID()
		v.emit(session.CallDialing{CallBase: callAt(now, id), To: c.Target.ID})
		v.emit(session.CallAnswered{CallBase: callAt(now, id)})
	case session.VerbComplete:
		v.emit(session.CallTransferred{CallBase: callAt(now, h.ID), ToAgent: k.To})
		v.emit(session.CallEnded{CallBase: callAt(now, k.ID), By: session.ByAgent, Duration: session.Secs(k.TalkTime(now))})
		v.emit(session.AgentStateChanged{Base: at(now), State: session.AgentWrapUp, Limit: session.Secs(30 * time.Second)})
	case session.VerbConference:
		v.emit(session.CallConference{CallBase: callAt(now, h.ID), Parties: []string{h.Remote(), "me", k.Remote()}, Merged: k.ID})
		v.emit(session.CallRetrieved{CallBase: callAt(now, h.ID)})
	case session.VerbCancel:
		if ok {
			v.emit(session.CallEnded{CallBase: callAt(now, k.ID), By: session.ByAgent, Duration: session.Secs(k.TalkTime(now))})
		}
		v.emit(session.CallRetrieved{CallBase: callAt(now, h.ID)})
	}
}
