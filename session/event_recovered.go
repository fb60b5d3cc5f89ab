package session

import "strings"

// TypeConnectionRecovered is the wire name of ConnectionRecovered.
const TypeConnectionRecovered EventType = "connection.recovered"

// ConnectionRecovered: the cause of the last connection.degraded ended
// (a call's quality is good again). It clears State.Degraded; so does
// call.ended for a warning about that call, and connection.restored.
type ConnectionRecovered struct {
	Base
	Detail string `json:"detail,omitempty"`
}

func (ConnectionRecovered) Type() EventType { return TypeConnectionRecovered }

// DegradedCallPrefix starts a connection.degraded detail about one call:
// "call ID: " then the reason. call.ended for that call clears it.
func DegradedCallPrefix(callID string) string { return "call " + callID + ": " }

// clearDegradedFor clears a warning about callID.
func (s State) clearDegradedFor(callID string) State {
	if callID != "" && strings.HasPrefix(s.Degraded, DegradedCallPrefix(callID)) {
		s.Degraded = ""
	}
	return s
}
