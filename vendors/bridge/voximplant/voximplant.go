// Package voximplant translates the Voximplant Web SDK (seed 001, client
// events of VoxImplant.getInstance()) to agentty's session model and back.
//
// The shim registers client.on(VoxImplant.Events.NAME, fn) for every event
// the seed lists and relays {event: NAME, data: e} with the SDK's event
// object reduced to its documented fields (a MediaStream or Call object is
// replaced by plain fields: IncomingCall relays {call: {id, number,
// displayName}}). Seed 001 lists client events only; a call's own end comes
// from the SDK's CallEvents, which the shim relays as "Call.Connected",
// "Call.Disconnected" (with by: "agent" when agentty hung up), "Call.Failed"
// with {id, code, reason}, and "Call.ActiveUpdated" with {id, active}
// (CallEvents.ActiveUpdated in the SDK's voximplant.d.ts, fired by
// setActive: hold and retrieve).
package voximplant

import (
	"errors"
	"strconv"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

var errNoActive = errors.New("no active field")

// Name is the backend name.
const Name = "voximplant"

// Capabilities: an ACD operator's phone. Transfer is absent: the SDK's
// transferCall joins two existing calls, which the console's transfer verb
// does not name. The seed documents no supervisor verbs.
func Capabilities() []session.Verb {
	return []session.Verb{
		session.VerbCheckIn, session.VerbCheckOut, session.VerbReady, session.VerbNotReady, session.VerbDone,
		session.VerbDial, session.VerbAnswer, session.VerbReject, session.VerbHangup,
		session.VerbHold, session.VerbRetrieve, session.VerbDTMF, session.VerbMute, session.VerbUnmute,
	}
}

// Events lists every client event seed 001 documents, in its order, then the
// call events the shim adds.
var Events = []string{
	"ACDError", "ACDStatusUpdated", "AuthResult", "ConnectionClosed",
	"ConnectionEstablished", "ConnectionFailed", "IncomingCall", "MicAccessResult",
	"PlaybackError", "PlaybackFinished", "Reconnected", "Reconnecting",
	"RefreshTokenResult", "SDKReady",
	"Call.Connected", "Call.Disconnected", "Call.Failed", "Call.ActiveUpdated",
}

// Translator remembers the SDK version (SDKReady), the reconnect attempt and
// whether the operator is signed in to the ACD. One goroutine only.
type Translator struct {
	version   string
	attempt   int
	checkedIn bool
}

type authData struct {
	Result      bool   `json:"result"`
	Code        *int   `json:"code"`
	DisplayName string `json:"displayName"`
}

type callData struct {
	Call struct {
		ID          string `json:"id"`
		Number      string `json:"number"`
		DisplayName string `json:"displayName"`
	} `json:"call"`
	ID     string `json:"id"`
	Code   int    `json:"code"`
	Reason string `json:"reason"`
	By     string `json:"by"`     // Call.Disconnected: "agent" when agentty hung up
	Active *bool  `json:"active"` // Call.ActiveUpdated
}

// AuthCode maps AuthResult/RefreshTokenResult codes (seed 001: 401 invalid
// token, 404 invalid username, 500 internal error, 701 refresh token expired).
func AuthCode(code int) session.AuthCode {
	switch code {
	case 401:
		return session.AuthInvalidToken
	case 404:
		return session.AuthUnknownUser
	case 701:
		return session.AuthTokenExpired
	}
	return session.AuthInternal
}

// ACDState maps the SDK's OperatorACDStatuses to agent states.
func ACDState(s string) session.AgentState {
	switch s {
	case "OFFLINE":
		return session.AgentOffline
	case "READY":
		return session.AgentReady
	case "IN_SERVICE", "INSERVICE", "DIALING":
		return session.AgentBusy
	case "AFTER_SERVICE":
		return session.AgentWrapUp
	case "DND":
		return session.AgentRest
	case "ONLINE", "TIMEOUT", "BANNED":
		return session.AgentNotReady
	}
	return session.AgentUnknown
}

// Decode turns one seed-001 event into session events.
func (t *Translator) Decode(m wire.Msg, at time.Time) ([]session.Event, error) {
	b := session.Base{At: at}
	switch m.Event {
	case "ACDError": // same credentials in another browser or window
		return []session.Event{session.ACDConflict{Base: b, Reason: field(m, "the same operator is signed in elsewhere")}}, nil
	case "ACDStatusUpdated":
		var d struct {
			Status string `json:"status"`
		}
		if err := wire.Unmarshal(Name, m, &d); err != nil {
			return nil, err
		}
		st := ACDState(d.Status)
		if st == session.AgentUnknown {
			return nil, wire.Malformed(Name, m.Event, strconvErr(d.Status))
		}
		var out []session.Event
		switch {
		case st == session.AgentOffline && t.checkedIn:
			t.checkedIn = false
			return []session.Event{session.AgentCheckedOut{Base: b, OK: true}}, nil
		case st == session.AgentOffline:
			return nil, nil
		case !t.checkedIn:
			t.checkedIn = true
			out = append(out, session.AgentCheckedIn{Base: b, OK: true})
		}
		return append(out, session.AgentStateChanged{Base: b, State: st}), nil
	case "AuthResult":
		var d authData
		if err := wire.Unmarshal(Name, m, &d); err != nil {
			return nil, err
		}
		e := session.AuthResult{Base: b, OK: d.Result, DisplayName: d.DisplayName, Role: session.RoleAgent}
		if !d.Result {
			c := 500
			if d.Code != nil {
				c = *d.Code
			}
			e.Code, e.Role = AuthCode(c), ""
		}
		return []session.Event{e}, nil
	case "ConnectionClosed":
		return []session.Event{session.ConnectionLost{Base: b, Reason: "connection closed"}}, nil
	case "ConnectionEstablished":
		t.attempt = 0
		return []session.Event{session.ConnectionEstablished{Base: b, Vendor: Name, Version: t.version, Capabilities: Capabilities()}}, nil
	case "ConnectionFailed":
		return []session.Event{session.ConnectionFailed{Base: b, Reason: field(m, "ConnectionFailed (the SDK gave no message)")}}, nil
	case "IncomingCall":
		var d callData
		if err := wire.Unmarshal(Name, m, &d); err != nil {
			return nil, err
		}
		if d.Call.ID == "" {
			return nil, wire.Malformed(Name, m.Event, strconvErr("no call id"))
		}
		return []session.Event{session.CallRinging{CallBase: session.CallBase{At: at, CallID: d.Call.ID},
			Direction: session.DirInbound, From: d.Call.Number, Contact: d.Call.DisplayName}}, nil
	case "MicAccessResult":
		var d struct {
			Result bool `json:"result"`
		}
		if err := wire.Unmarshal(Name, m, &d); err != nil {
			return nil, err
		}
		return []session.Event{session.MediaMic{Base: b, Granted: d.Result}}, nil
	case "PlaybackError", "PlaybackFinished":
		// The SDK's own ringtone/sound playback; agentty plays its own
		// sounds, so these carry nothing for the session.
		return nil, nil
	case "Reconnected":
		e := session.ConnectionRestored{Base: b, Attempt: t.attempt}
		t.attempt = 0
		return []session.Event{e}, nil
	case "Reconnecting":
		t.attempt++
		return []session.Event{session.ConnectionReconnecting{Base: b, Attempt: t.attempt}}, nil
	case "RefreshTokenResult":
		var d authData
		if err := wire.Unmarshal(Name, m, &d); err != nil {
			return nil, err
		}
		if d.Result {
			return nil, nil // new tokens; the session's state does not change
		}
		c := 500
		if d.Code != nil {
			c = *d.Code
		}
		return []session.Event{session.AuthResult{Base: b, OK: false, Code: AuthCode(c)}}, nil
	case "SDKReady": // init() finished; the version rides on connection.established
		var d struct {
			Version string `json:"version"`
		}
		if err := wire.Unmarshal(Name, m, &d); err != nil {
			return nil, err
		}
		t.version = d.Version
		return nil, nil
	case "Call.Connected", "Call.Disconnected", "Call.Failed", "Call.ActiveUpdated":
		var d callData
		if err := wire.Unmarshal(Name, m, &d); err != nil {
			return nil, err
		}
		cb := session.CallBase{At: at, CallID: d.ID}
		switch m.Event {
		case "Call.Connected":
			return []session.Event{session.CallAnswered{CallBase: cb}}, nil
		case "Call.Disconnected":
			by := session.ByUnknown // the far end or the cloud: the SDK does not say
			if d.By == "agent" {
				by = session.ByAgent
			}
			return []session.Event{session.CallEnded{CallBase: cb, By: by, Duration: session.Unknown}}, nil
		case "Call.ActiveUpdated":
			if d.Active == nil {
				return nil, wire.Malformed(Name, m.Event, errNoActive)
			}
			if *d.Active {
				return []session.Event{session.CallRetrieved{CallBase: cb}}, nil
			}
			return []session.Event{session.CallHeld{CallBase: cb}}, nil
		}
		r := d.Reason
		if r == "" {
			r = "call failed (" + strconv.Itoa(d.Code) + ")"
		}
		return []session.Event{session.CallFailed{CallBase: cb, Reason: r}}, nil
	}
	return nil, wire.Unknown(Name, m.Event)
}

type strconvErr string

func (e strconvErr) Error() string { return "unexpected " + strconv.Quote(string(e)) }

func field(m wire.Msg, def string) string {
	var v struct {
		Message string `json:"message"`
		Reason  string `json:"reason"`
	}
	if wire.Unmarshal(Name, m, &v) == nil {
		if v.Message != "" {
			return v.Message
		}
		if v.Reason != "" {
			return v.Reason
		}
	}
	return def
}

// Encode turns a command into an SDK call. Client methods are named as on
// the Client ("setOperatorACDStatus", "call"); Call methods are prefixed
// "call." and take the call id first, which the shim resolves to its Call
// object.
func Encode(c session.Command) (wire.Call, error) {
	call := func(method string, args ...any) (wire.Call, error) {
		return wire.Call{Method: "call." + method, Args: append([]any{c.CallID}, args...)}, nil
	}
	switch c.Verb {
	case session.VerbCheckIn:
		return wire.Call{Method: "setOperatorACDStatus", Args: []any{"ONLINE"}}, nil
	case session.VerbCheckOut:
		return wire.Call{Method: "setOperatorACDStatus", Args: []any{"OFFLINE"}}, nil
	case session.VerbReady, session.VerbDone: // after service ends by going READY
		return wire.Call{Method: "setOperatorACDStatus", Args: []any{"READY"}}, nil
	case session.VerbNotReady:
		// ONLINE is signed in and not taking calls, which ACDState reads
		// back as not_ready; DND would read back as rest.
		return wire.Call{Method: "setOperatorACDStatus", Args: []any{"ONLINE"}}, nil
	case session.VerbDial:
		return wire.Call{Method: "call", Args: []any{map[string]any{"number": c.Number}}}, nil
	case session.VerbAnswer:
		return call("answer")
	case session.VerbReject:
		return call("reject")
	case session.VerbHangup:
		return call("hangup")
	case session.VerbHold:
		return call("setActive", false)
	case session.VerbRetrieve:
		return call("setActive", true)
	case session.VerbDTMF:
		return call("sendTone", c.Digits)
	case session.VerbMute:
		return call("muteMicrophone")
	case session.VerbUnmute:
		return call("unmuteMicrophone")
	}
	return wire.Call{}, wire.NoMethod(Name, string(c.Verb))
}
