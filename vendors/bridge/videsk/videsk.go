// Package videsk translates the Videsk Phone SDK (seed 000, customer/kiosk
// side of a video-call queue) to agentty's session model and back.
//
// The shim listens with phone.on(NAME, fn) for every event the seed lists
// and relays {event: NAME, data: <listener argument>}. The seed documents
// event names and meaning but not payload fields; queued and queue-updated
// carry "the position and/or the waiting time (in minutes), which the account
// administrator may disable", read here from `position` and `time` (or
// `waitingTime`), absent meaning unknown.
//
// Seed rules carried here: one VideskPhone instance only (the bridge refuses
// a second Connect; "No crees más de una instancia de VideskPhone"); after
// `ended` the WebRTC instance must be destroyed (AfterEvent returns the
// destroy call); after `network-issues` the bridge reconnects (Reconnect).
package videsk

import (
	"fmt"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

// Name is the backend name.
const Name = "videsk"

// Capabilities: a kiosk calls the queue, leaves it and hangs up (phone.call,
// phone.leave, phone.hangup). The seed documents no mute method.
func Capabilities() []session.Verb {
	return []session.Verb{session.VerbCall, session.VerbLeave, session.VerbHangup}
}

// Events lists every event name seed 000 documents, in its order.
var Events = []string{
	"token-error", "no-agents", "queued", "queue-updated", "customer-leave",
	"dismissed", "out-queue", "answered", "connected-call", "agent-disconnect",
	"customer-hangup", "ended", "transferred-segment", "transferred-agent",
	"connection-error", "network-issues", "http-block", "transport-disconnect",
	"beamport:create",
}

// Translator holds the one call a kiosk can have; the SDK names none, so
// calls are numbered videsk-1, videsk-2, ... Not safe for concurrent use: the
// bridge decodes on one goroutine.
type Translator struct {
	seq  int
	call string // the live call, "" when none
}

type queueData struct {
	Position    *int     `json:"position"`
	Time        *float64 `json:"time"`
	WaitingTime *float64 `json:"waitingTime"`
	Segment     string   `json:"segment"`
}

type transferData struct {
	Segment string `json:"segment"`
	Agent   string `json:"agent"`
}

type fileData struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// wait returns the estimated wait; the seed gives minutes.
func (q queueData) wait() session.Seconds {
	m := q.Time
	if m == nil {
		m = q.WaitingTime
	}
	if m == nil || *m < 0 || *m > 1e6 {
		return session.Unknown
	}
	return session.Secs(time.Duration(*m * float64(time.Minute)))
}

func (q queueData) position() int {
	if q.Position == nil || *q.Position < 0 {
		return 0
	}
	return *q.Position
}

func (t *Translator) open(at time.Time, group string) []session.Event {
	if t.call != "" {
		return nil
	}
	t.seq++
	t.call = fmt.Sprintf("videsk-%d", t.seq)
	return []session.Event{session.CallDialing{CallBase: t.cb(at), To: group}}
}

func (t *Translator) cb(at time.Time) session.CallBase {
	return session.CallBase{At: at, CallID: t.call}
}

func (t *Translator) end(at time.Time, by session.Party) []session.Event {
	if t.call == "" {
		return nil
	}
	e := session.CallEnded{CallBase: t.cb(at), By: by, Duration: session.Unknown}
	t.call = ""
	return []session.Event{e}
}

// Decode turns one seed-000 event into session events. An undocumented
// name is wire.ErrUnknownEvent, an unreadable payload wire.ErrMalformed.
func (t *Translator) Decode(m wire.Msg, at time.Time) ([]session.Event, error) {
	b := session.Base{At: at}
	switch m.Event {
	case "token-error": // token wrong, malformed or revoked
		return []session.Event{session.AuthResult{Base: b, OK: false, Code: session.AuthInvalidToken}}, nil
	case "no-agents": // nobody connected after phone.call()
		out := []session.Event{session.QueueNoAgents{Base: b}}
		if t.call != "" {
			out = append(out, session.CallFailed{CallBase: t.cb(at), Reason: "no agents are connected"})
			t.call = ""
		}
		return out, nil
	case "queued", "queue-updated":
		var q queueData
		if err := wire.Unmarshal(Name, m, &q); err != nil {
			return nil, err
		}
		if m.Event == "queue-updated" {
			return []session.Event{session.QueueUpdated{Base: b, Position: q.position(), EstimatedWait: q.wait()}}, nil
		}
		out := t.open(at, q.Segment)
		return append(out, session.QueueJoined{Base: b, Group: q.Segment, Position: q.position(), EstimatedWait: q.wait()}), nil
	case "customer-leave": // phone.leave() while queued
		return append([]session.Event{session.QueueLeft{Base: b, By: session.ByCustomer}}, t.end(at, session.ByCustomer)...), nil
	case "dismissed": // an agent rejected the call
		if t.call == "" {
			return nil, nil
		}
		e := session.CallRejected{CallBase: t.cb(at), By: session.ByAgent}
		t.call = ""
		return []session.Event{e}, nil
	case "out-queue":
		// Optional; the seed says it fires when an agent answered, and
		// `answered` (required) carries the same fact. Leaving the queue is
		// implied by call.answered, so nothing is emitted.
		return nil, nil
	case "answered":
		out := t.open(at, "")
		return append(out, session.CallAnswered{CallBase: t.cb(at)}), nil
	case "connected-call":
		if t.call == "" {
			return nil, nil
		}
		return []session.Event{session.CallMedia{CallBase: t.cb(at), State: session.MediaConnected}}, nil
	case "agent-disconnect": // the agent's network dropped; they reconnect by themselves
		if t.call == "" {
			return nil, nil
		}
		return []session.Event{session.CallMedia{CallBase: t.cb(at), State: session.MediaLost}}, nil
	case "customer-hangup":
		// phone.hangup() ran; `ended` follows and carries the end, so this
		// only says who ended it.
		return t.end(at, session.ByCustomer), nil
	case "ended": // ended by the agent or phone.hangup(); destroy() follows (AfterEvent)
		return t.end(at, session.ByAgent), nil
	case "transferred-segment", "transferred-agent":
		var d transferData
		if err := wire.Unmarshal(Name, m, &d); err != nil {
			return nil, err
		}
		if t.call == "" {
			return nil, nil
		}
		e := session.CallTransferred{CallBase: t.cb(at), ToGroup: d.Segment, ToAgent: d.Agent}
		if m.Event == "transferred-segment" && e.ToGroup == "" {
			e.ToGroup = "segment"
		}
		return []session.Event{e}, nil
	case "connection-error":
		return []session.Event{session.ConnectionFailed{Base: b, Reason: reason(m, "network error or malformed parameters")}}, nil
	case "network-issues":
		return []session.Event{session.ConnectionDegraded{Base: b, Detail: reason(m, "network issues")}}, nil
	case "http-block":
		return []session.Event{session.AccessBlocked{Base: b, Reason: reason(m, "suspicious activity detected")}}, nil
	case "transport-disconnect":
		// Emitted twice in a normal call (after the queue and after the
		// call): the API closing its transport on purpose. It is not a lost
		// link, so nothing is emitted.
		return nil, nil
	case "beamport:create": // the agent asks for a file-transfer connection
		var f fileData
		if err := wire.Unmarshal(Name, m, &f); err != nil {
			return nil, err
		}
		return []session.Event{session.FileOffer{Base: b, Name: f.Name, Size: f.Size}}, nil
	}
	return nil, wire.Unknown(Name, m.Event)
}

func reason(m wire.Msg, def string) string {
	var v struct {
		Message string `json:"message"`
	}
	if wire.Unmarshal(Name, m, &v) == nil && v.Message != "" {
		return v.Message
	}
	var s string
	if wire.Unmarshal(Name, m, &s) == nil && s != "" {
		return s
	}
	return def
}

// AfterEvent returns the SDK calls the seed requires after an event: after
// `ended`, destroy() ("Deberás eliminar la instancia de WebRTC creada").
func AfterEvent(name string) []wire.Call {
	if name == "ended" {
		return []wire.Call{{Method: "destroy"}}
	}
	return nil
}

// Reconnect reports whether the bridge must rebuild the connection after the
// event: network-issues means disconnection or too many reconnections.
func Reconnect(name string) bool { return name == "network-issues" }

// Encode turns a command into a VideskPhone method call: call -> call(segment),
// leave -> leave(), hangup -> hangup(). A kiosk's console has no hangup verb
// (session.Check allows a kiosk call, leave, mute, unmute), so the shim turns
// leave during an answered call into phone.hangup().
func Encode(c session.Command) (wire.Call, error) {
	switch c.Verb {
	case session.VerbCall:
		if c.Group != "" {
			return wire.Call{Method: "call", Args: []any{c.Group}}, nil
		}
		return wire.Call{Method: "call"}, nil
	case session.VerbLeave:
		return wire.Call{Method: "leave"}, nil
	case session.VerbHangup:
		return wire.Call{Method: "hangup"}, nil
	}
	return wire.Call{}, wire.NoMethod(Name, string(c.Verb))
}
