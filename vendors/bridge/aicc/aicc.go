// Package aicc translates the Huawei AICC lightweight connection bar
// (seed 003) to agentty's session model.
//
// The shim registers for every event of seed 003's Table 1 exactly as the
// seed shows: window.frames["ccbarclient"].postMessage(JSON.stringify(
// {name: "eventpost", param: [...]}), $aicc_ContextPath) (Subscribe builds
// that message), and listens with window.addEventListener('message', cb). The
// seed does not document the posted payload's fields; the shim relays
// {event: <event identifier>, data: <the rest>} and call events read the call
// id from `callId`/`callid` and the numbers from `caller`/`called` when
// present, numbering calls aicc-1, aicc-2, ... otherwise.
package aicc

import (
	"fmt"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

// Name is the backend name.
const Name = "aicc"

// Capabilities is empty: seed 003 documents no command to the bar, only its
// events. The agent changes state and answers in the bar itself; agentty's
// console follows and shows it, and Check refuses each verb with a reason.
func Capabilities() []session.Verb {
	return []session.Verb{}
}

// Events lists seed 003's Table 1, in its order.
var Events = []string{
	"AgentState_Busy", "AgentState_Work", "AgentState_Ready",
	"AgentState_SetNotReady_Success", "AgentState_CancelNotReady_Success",
	"AgentState_SetRest_Success", "AgentState_CancelRest_Success", "AgentState_Rest_Timeout",
	"AgentState_SetWork_Success", "AgentState_CancelWork_Success",
	"AgentEvent_Talking", "AgentEvent_Customer_Alerting", "AgentEvent_Call_Out_Fail",
	"AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneAlerting",
}

// States maps the AgentState_* identifiers to agent states (seed 003
// Table 1 "Function" column).
var States = map[string]session.AgentState{
	"AgentState_Busy":                   session.AgentBusy,     // handling a call
	"AgentState_Work":                   session.AgentWrapUp,   // enters wrap-up
	"AgentState_Ready":                  session.AgentReady,    // idle
	"AgentState_SetNotReady_Success":    session.AgentNotReady, // entered busy (not ready)
	"AgentState_CancelNotReady_Success": session.AgentReady,    // left busy
	"AgentState_SetRest_Success":        session.AgentRest,     // rest granted
	"AgentState_CancelRest_Success":     session.AgentReady,    // rest cancelled
	"AgentState_SetWork_Success":        session.AgentWrapUp,   // working (after-call work)
	"AgentState_CancelWork_Success":     session.AgentReady,    // left working
}

// Subscribe is the eventpost registration of seed 003 for every event.
func Subscribe() map[string]any {
	return map[string]any{"name": "eventpost", "param": Events}
}

// Translator tracks sign-in (the first state event) and the current call.
// One goroutine only.
type Translator struct {
	signedIn bool
	seq      int
	call     string
}

type callData struct {
	CallID  string `json:"callId"`
	Callid  string `json:"callid"`
	Caller  string `json:"caller"`
	Called  string `json:"called"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

func (d callData) id() string {
	if d.CallID != "" {
		return d.CallID
	}
	return d.Callid
}

func (t *Translator) callID(d callData, open bool) string {
	if id := d.id(); id != "" {
		t.call = id
		return id
	}
	if open || t.call == "" {
		t.seq++
		t.call = fmt.Sprintf("aicc-%d", t.seq)
	}
	return t.call
}

// Decode turns one seed-003 event into session events.
func (t *Translator) Decode(m wire.Msg, at time.Time) ([]session.Event, error) {
	b := session.Base{At: at}
	if st, ok := States[m.Event]; ok {
		var out []session.Event
		if !t.signedIn {
			t.signedIn = true
			out = append(out, session.AgentCheckedIn{Base: b, OK: true})
		}
		return append(out, session.AgentStateChanged{Base: b, State: st}), nil
	}
	if m.Event == "AgentState_Rest_Timeout" { // a reminder; the agent stays in rest
		return []session.Event{session.AgentRestTimeout{Base: b}}, nil
	}
	var d callData
	switch m.Event {
	case "AgentEvent_Talking", "AgentEvent_Customer_Alerting", "AgentEvent_Call_Out_Fail",
		"AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneAlerting":
		if err := wire.Unmarshal(Name, m, &d); err != nil {
			return nil, err
		}
	default:
		return nil, wire.Unknown(Name, m.Event)
	}
	switch m.Event {
	case "AgentOther_PhoneAlerting": // the agent's phone rings
		cb := session.CallBase{At: at, CallID: t.callID(d, true)}
		return []session.Event{session.CallRinging{CallBase: cb, Direction: session.DirInbound, From: d.Caller, To: d.Called}}, nil
	case "AgentEvent_Talking":
		return []session.Event{session.CallAnswered{CallBase: session.CallBase{At: at, CallID: t.callID(d, false)}}}, nil
	case "AgentEvent_Customer_Alerting":
		// Seed 003: "Holding Success ... the current agent is in the
		// holding state", despite the identifier's name.
		return []session.Event{session.CallHeld{CallBase: session.CallBase{At: at, CallID: t.callID(d, false)}}}, nil
	case "AgentEvent_Call_Out_Fail":
		r := d.Reason
		if r == "" {
			r = "the outbound call failed; the number may be incorrect"
		}
		return []session.Event{session.CallFailed{CallBase: session.CallBase{At: at, CallID: t.callID(d, true)}, Reason: r}}, nil
	}
	by := session.ByAgent
	if m.Event == "AgentEvent_Customer_Release" {
		by = session.ByCustomer
	}
	id := t.callID(d, false)
	t.call = ""
	return []session.Event{session.CallEnded{CallBase: session.CallBase{At: at, CallID: id}, By: by, Duration: session.Unknown}}, nil
}

// Encode refuses every command: seed 003 documents none (see Capabilities).
func Encode(c session.Command) (wire.Call, error) {
	return wire.Call{}, wire.NoMethod(Name, string(c.Verb))
}
