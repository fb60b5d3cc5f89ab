// Package phonesdk translates the vendor-neutral npm phone-sdk 0.2.6
// (seed 004, "话务条接入文档") to agentty's session model and back.
//
// The shim calls the Agent API's methods by name and listens with
// agent.on(NAME, fn) for every event the seed lists, relaying {event: NAME,
// data: <listener argument>}. The seed says methods have no result callback:
// "调用结果服务端会以事件的形式另行通知" (results arrive as events), so
// Encode's calls return nothing and the events below carry the outcome.
package phonesdk

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

// Name is the backend name.
const Name = "phonesdk"

// Capabilities: the agent verbs the seed has methods for, and its
// supervisor verbs (listen 监听, joinTalk 插话, disconnectCall 拆话,
// pause/restore of another agent, logoutAgent 强制注销). Answer, reject,
// mute and rest have no method: the agent answers on the phone itself.
func Capabilities() []session.Verb {
	return []session.Verb{
		session.VerbCheckIn, session.VerbCheckOut, session.VerbReady, session.VerbNotReady,
		session.VerbDial, session.VerbHangup, session.VerbHold, session.VerbRetrieve,
		session.VerbTransfer, session.VerbDTMF,
		session.VerbListen, session.VerbBarge, session.VerbIntercept,
		session.VerbPause, session.VerbRestore, session.VerbLogout,
	}
}

// Methods lists every method seed 004 documents.
var Methods = []string{"connect", "checkIn", "checkOut", "dialout", "transGroupDTMF", "hangup",
	"pause", "restore", "hold", "retrieve", "dialTrans", "listen", "logoutAgent", "joinTalk", "disconnectCall"}

// Events lists every event seed 004 documents (onConnect is named in
// connect's text), in its order.
var Events = []string{
	"onConnect", "onCheckIn", "onCheckOut", "onCallInRing", "onCallOutRing", "onThreePartCallInRing",
	"onThreePartCallOutRing", "onCallout", "onInCall", "onCallIn", "onCallOut", "onIdle",
	"onDisconnect", "onDialOver", "onThreePart", "onPause", "onRestore", "onHold", "onRetrieve",
	"onGetOrgAgtgrps", "onGetAgtGroups", "onAllAgtInfo", "onGetAgentRights",
}

// Translator tracks the current call (the SDK names none: phonesdk-1, ...),
// whether it was answered (onInCall and onCallIn/onCallOut both report it)
// and the two group lists. One goroutine only.
type Translator struct {
	seq      int
	call     string
	answered bool
	checkIn  []session.Group
	transfer []session.Group
}

type result struct {
	Result  *bool  `json:"result"`
	Message string `json:"message"`
}

func (r result) ok() bool { return r.Result == nil || *r.Result }

type ringInfo struct {
	PhoneNumber string `json:"phoneNumber"` // 来电号码
	Area        string `json:"area"`        // 来电区号
	AgentID     string `json:"agentId"`     // 收到响铃分机号
}

func (t *Translator) cb(at time.Time) session.CallBase {
	return session.CallBase{At: at, CallID: t.call}
}

func (t *Translator) open(at time.Time) session.CallBase {
	t.seq++
	t.call, t.answered = fmt.Sprintf("phonesdk-%d", t.seq), false
	return t.cb(at)
}

// Decode turns one seed-004 event into session events.
func (t *Translator) Decode(m wire.Msg, at time.Time) ([]session.Event, error) {
	b := session.Base{At: at}
	var r result
	switch m.Event {
	case "onConnect", "onCheckIn", "onCheckOut", "onPause", "onRestore", "onHold":
		if err := readResult(m, &r); err != nil {
			return nil, err
		}
	}
	switch m.Event {
	case "onConnect": // connect's outcome ("通过onConnect事件确认初始化结果")
		if !r.ok() {
			return []session.Event{session.ConnectionFailed{Base: b, Reason: orDefault(r.Message, "connect failed")}}, nil
		}
		return []session.Event{session.ConnectionEstablished{Base: b, Vendor: Name, Capabilities: Capabilities()}}, nil
	case "onCheckIn": // checkInfo.result / checkInfo.message
		return []session.Event{session.AgentCheckedIn{Base: b, OK: r.ok(), Message: r.Message}}, nil
	case "onCheckOut":
		return []session.Event{session.AgentCheckedOut{Base: b, OK: r.ok(), Message: r.Message}}, nil
	case "onCallInRing", "onThreePartCallInRing": // ringInfo.phoneNumber / area / agentId
		var ri ringInfo
		if err := wire.Unmarshal(Name, m, &ri); err != nil {
			return nil, err
		}
		if t.call != "" && !t.answered && m.Event == "onThreePartCallInRing" {
			return nil, nil
		}
		return []session.Event{session.CallRinging{CallBase: t.open(at), Direction: session.DirInbound, From: ri.PhoneNumber, To: ri.AgentID}}, nil
	case "onCallOutRing", "onThreePartCallOutRing", "onCallout":
		// Outbound ringing / dial placed; payloads are undocumented. The
		// first of them opens the call, the rest repeat the fact.
		if t.call != "" && !t.answered {
			return nil, nil
		}
		var ri ringInfo
		_ = wire.Unmarshal(Name, m, &ri) // optional, may be absent or a bare value
		return []session.Event{session.CallDialing{CallBase: t.open(at), To: ri.PhoneNumber}}, nil
	case "onInCall", "onCallIn", "onCallOut": // connected; reported once per call
		if t.call == "" || t.answered {
			return nil, nil
		}
		t.answered = true
		return []session.Event{session.CallAnswered{CallBase: t.cb(at)}}, nil
	case "onIdle", "onDisconnect":
		// Both "中断通话之后收到此事件" (after the call is cut): the call
		// ends; with no call onIdle says the agent is idle again.
		if t.call != "" {
			e := session.CallEnded{CallBase: t.cb(at), Duration: session.Unknown}
			t.call = ""
			return []session.Event{e}, nil
		}
		if m.Event == "onIdle" {
			return []session.Event{session.AgentStateChanged{Base: b, State: session.AgentReady}}, nil
		}
		return nil, nil
	case "onDialOver": // dialling over, message says why it failed
		var msg string
		if err := json.Unmarshal(orNull(m.Data), &msg); err != nil {
			_ = readResult(m, &r)
			msg = r.Message
		}
		if t.call == "" {
			t.open(at)
		}
		e := session.CallFailed{CallBase: t.cb(at), Reason: orDefault(msg, "dialling failed")}
		t.call = ""
		return []session.Event{e}, nil
	case "onThreePart": // three-way call connected
		if t.call == "" {
			return nil, nil
		}
		return []session.Event{session.CallConference{CallBase: t.cb(at), Parties: []string{"agent", "customer", "supervisor"}}}, nil
	case "onPause", "onRestore": // pauseInfo/restoreInfo.result, .message
		if !r.ok() {
			return []session.Event{session.CommandFailed{Base: b, Command: strings.ToLower(m.Event[2:]), Reason: orDefault(r.Message, "refused")}}, nil
		}
		st := session.AgentNotReady
		if m.Event == "onRestore" {
			st = session.AgentReady
		}
		return []session.Event{session.AgentStateChanged{Base: b, State: st, Reason: r.Message}}, nil
	case "onHold": // holdInfo.result, .message
		if !r.ok() || t.call == "" {
			return []session.Event{session.CommandFailed{Base: b, Command: "hold", Reason: orDefault(r.Message, "hold refused")}}, nil
		}
		return []session.Event{session.CallHeld{CallBase: t.cb(at)}}, nil
	case "onRetrieve":
		if t.call == "" {
			return nil, nil
		}
		return []session.Event{session.CallRetrieved{CallBase: t.cb(at)}}, nil
	case "onGetOrgAgtgrps", "onGetAgtGroups": // groups (Array)
		gs, err := groups(m)
		if err != nil {
			return nil, err
		}
		if m.Event == "onGetOrgAgtgrps" {
			t.transfer = gs
		} else {
			t.checkIn = gs
		}
		return []session.Event{session.AgentGroups{Base: b, CheckIn: t.checkIn, Transfer: t.transfer}}, nil
	case "onAllAgtInfo":
		rs, err := roster(m, at)
		if err != nil {
			return nil, err
		}
		return []session.Event{session.AgentRoster{Base: b, Agents: rs}}, nil
	case "onGetAgentRights": // rights (Array)
		var raw []string
		if err := wire.Unmarshal(Name, m, &raw); err != nil {
			return nil, err
		}
		var out []session.Right
		for _, s := range raw {
			if v := rightOf(s); v != "" {
				out = append(out, v)
			}
		}
		return []session.Event{session.AgentRights{Base: b, Rights: out}}, nil
	}
	return nil, wire.Unknown(Name, m.Event)
}

// Encode turns a command into a phone-sdk method call (seed 004 方法).
func Encode(c session.Command) (wire.Call, error) {
	call := func(m string, args ...any) (wire.Call, error) { return wire.Call{Method: m, Args: args}, nil }
	switch c.Verb {
	case session.VerbCheckIn: // checkIn(groupIds), several joined with ","
		return call("checkIn", strings.Join(c.Groups, ","))
	case session.VerbCheckOut:
		return call("checkOut")
	case session.VerbDial:
		return call("dialout", c.Number)
	case session.VerbDTMF:
		return call("transGroupDTMF", c.Digits)
	case session.VerbHangup:
		return call("hangup")
	case session.VerbNotReady: // pause() without agentId pauses oneself
		return call("pause")
	case session.VerbReady: // restore() without agentId restores oneself
		return call("restore")
	case session.VerbHold:
		return call("hold")
	case session.VerbRetrieve:
		return call("retrieve")
	case session.VerbTransfer: // dialTrans: its parameters are undocumented; the target's id
		return call("dialTrans", c.Target.ID)
	case session.VerbListen:
		return call("listen", c.Agent)
	case session.VerbBarge: // joinTalk 插话: three-way with customer and agent
		return call("joinTalk", c.Agent)
	case session.VerbIntercept: // disconnectCall 拆话: the supervisor takes the customer
		return call("disconnectCall", c.Agent)
	case session.VerbPause:
		return call("pause", c.Agent)
	case session.VerbRestore:
		return call("restore", c.Agent)
	case session.VerbLogout:
		return call("logoutAgent", c.Agent)
	}
	return wire.Call{}, wire.NoMethod(Name, string(c.Verb))
}

// Answers names the events that report a command's outcome (seed 004:
// methods have no callback, "调用结果服务端会以事件的形式另行通知"); the
// bridge's Send waits for one of them.
func Answers(v session.Verb) []string {
	switch v {
	case session.VerbCheckIn:
		return []string{"onCheckIn"}
	case session.VerbCheckOut:
		return []string{"onCheckOut"}
	case session.VerbReady, session.VerbRestore:
		return []string{"onRestore"}
	case session.VerbNotReady, session.VerbPause:
		return []string{"onPause"}
	case session.VerbHold:
		return []string{"onHold"}
	case session.VerbRetrieve:
		return []string{"onRetrieve"}
	case session.VerbDial:
		return []string{"onCallOutRing", "onCallout", "onDialOver"}
	case session.VerbHangup, session.VerbTransfer:
		return []string{"onIdle", "onDisconnect"}
	}
	return nil
}
