package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// ErrUnknownEvent is returned by UnmarshalEvent for a type name it does not know.
var ErrUnknownEvent = errors.New("unknown event type")

// newEvent maps each wire name to a constructor of its Go type.
var newEvent = map[EventType]func() Event{
	TypeConnectionEstablished:  func() Event { return &ConnectionEstablished{} },
	TypeConnectionFailed:       func() Event { return &ConnectionFailed{} },
	TypeConnectionLost:         func() Event { return &ConnectionLost{} },
	TypeConnectionReconnecting: func() Event { return &ConnectionReconnecting{} },
	TypeConnectionRestored:     func() Event { return &ConnectionRestored{} },
	TypeConnectionDegraded:     func() Event { return &ConnectionDegraded{} },
	TypeConnectionRecovered:    func() Event { return &ConnectionRecovered{} },
	TypeAgentDisposition:       func() Event { return &AgentDisposition{} },
	TypeQueueCallback:          func() Event { return &QueueCallback{} },
	TypeCallRecording:          func() Event { return &CallRecording{} },
	TypeAuthResult:             func() Event { return &AuthResult{} },
	TypeAccessBlocked:          func() Event { return &AccessBlocked{} },
	TypeACDConflict:            func() Event { return &ACDConflict{} },
	TypeAgentCheckedIn:         func() Event { return &AgentCheckedIn{} },
	TypeAgentCheckedOut:        func() Event { return &AgentCheckedOut{} },
	TypeAgentState:             func() Event { return &AgentStateChanged{} },
	TypeAgentRestTimeout:       func() Event { return &AgentRestTimeout{} },
	TypeAgentGroups:            func() Event { return &AgentGroups{} },
	TypeAgentRights:            func() Event { return &AgentRights{} },
	TypeAgentRoster:            func() Event { return &AgentRoster{} },
	TypeCommandFailed:          func() Event { return &CommandFailed{} },
	TypeCallRinging:            func() Event { return &CallRinging{} },
	TypeCallDialing:            func() Event { return &CallDialing{} },
	TypeCallAnswered:           func() Event { return &CallAnswered{} },
	TypeCallMedia:              func() Event { return &CallMedia{} },
	TypeCallHeld:               func() Event { return &CallHeld{} },
	TypeCallTransferring:       func() Event { return &CallTransferring{} },
	TypeCallRetrieved:          func() Event { return &CallRetrieved{} },
	TypeCallConference:         func() Event { return &CallConference{} },
	TypeCallMonitored:          func() Event { return &CallMonitored{} },
	TypeCallTransferred:        func() Event { return &CallTransferred{} },
	TypeCallRejected:           func() Event { return &CallRejected{} },
	TypeCallFailed:             func() Event { return &CallFailed{} },
	TypeCallEnded:              func() Event { return &CallEnded{} },
	TypeCallMuted:              func() Event { return &CallMuted{} },
	TypeCallQuality:            func() Event { return &CallQuality{} },
	TypeCallDTMF:               func() Event { return &CallDTMF{} },
	TypeQueueNoAgents:          func() Event { return &QueueNoAgents{} },
	TypeQueueJoined:            func() Event { return &QueueJoined{} },
	TypeQueueUpdated:           func() Event { return &QueueUpdated{} },
	TypeQueueLeft:              func() Event { return &QueueLeft{} },
	TypeQueueStats:             func() Event { return &QueueStats{} },
	TypeMediaMic:               func() Event { return &MediaMic{} },
	TypeContactsPushed:         func() Event { return &ContactsPushed{} },
	TypeFileOffer:              func() Event { return &FileOffer{} },
}

// EventTypes returns every known event type name.
func EventTypes() []EventType {
	out := make([]EventType, 0, len(newEvent))
	for t := range newEvent {
		out = append(out, t)
	}
	return out
}

// NewEvent returns a zero event of type t (as a value, not a pointer), or
// false for an unknown name.
func NewEvent(t EventType) (Event, bool) {
	f, ok := newEvent[t]
	if !ok {
		return nil, false
	}
	return deref(f()), true
}

// MarshalEvent encodes e (or what e points to) as one JSON object whose
// first field is "type". A nil event is an error.
func MarshalEvent(e Event) ([]byte, error) {
	e, ok := derefEvent(e)
	if !ok {
		return nil, errors.New("session: encode: nil event")
	}
	body, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("session: encode %s: %w", e.Type(), err)
	}
	var b bytes.Buffer
	b.Grow(len(body) + 32)
	b.WriteString(`{"type":`)
	name, _ := json.Marshal(string(e.Type()))
	b.Write(name)
	if len(body) > 2 {
		b.WriteByte(',')
		b.Write(body[1:])
	} else {
		b.WriteByte('}')
	}
	return b.Bytes(), nil
}

// UnmarshalEvent decodes one JSON object written by MarshalEvent. The result
// is a value (CallRinging, not *CallRinging).
func UnmarshalEvent(data []byte) (Event, error) {
	var head struct {
		Type EventType `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("session: decode event: %w", err)
	}
	f, ok := newEvent[head.Type]
	if !ok {
		return nil, fmt.Errorf("session: decode event %q: %w", head.Type, ErrUnknownEvent)
	}
	e := f()
	// An estimate the wire does not give is unknown, not zero ("under a
	// minute"). Only fields without omitempty may default so, or an encoded
	// zero would come back unknown.
	switch q := e.(type) {
	case *QueueJoined:
		q.EstimatedWait = Unknown
	case *QueueUpdated:
		q.EstimatedWait = Unknown
	}
	if err := json.Unmarshal(data, e); err != nil {
		return nil, fmt.Errorf("session: decode event %s: %w", head.Type, err)
	}
	return deref(e), nil
}

// deref turns the pointer the constructors return into the value type the
// reducer switches on.
func deref(e Event) Event {
	return reflect.ValueOf(e).Elem().Interface().(Event)
}
