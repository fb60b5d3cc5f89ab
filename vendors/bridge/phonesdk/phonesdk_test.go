package phonesdk

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

var at = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func types(evs []session.Event) []session.EventType {
	var out []session.EventType
	for _, e := range evs {
		out = append(out, e.Type())
	}
	return out
}

func TestDecodeEveryEvent(t *testing.T) {
	T := func(ts ...session.EventType) []session.EventType { return ts }
	rows := []struct {
		event, data string
		live        bool // a call is up and answered first
		want        []session.EventType
	}{
		{"onConnect", `{"result":true}`, false, T(session.TypeConnectionEstablished)},
		{"onCheckIn", `{"result":true,"message":""}`, false, T(session.TypeAgentCheckedIn)},
		{"onCheckOut", `{"result":false,"message":"on call"}`, false, T(session.TypeAgentCheckedOut)},
		{"onCallInRing", `{"phoneNumber":"13800000000","area":"010","agentId":"8001"}`, false, T(session.TypeCallRinging)},
		{"onCallOutRing", ``, false, T(session.TypeCallDialing)},
		{"onThreePartCallInRing", ``, true, T(session.TypeCallRinging)},
		{"onThreePartCallOutRing", ``, true, T(session.TypeCallDialing)},
		{"onCallout", ``, false, T(session.TypeCallDialing)},
		{"onInCall", ``, false, nil}, // no call: nothing to answer
		{"onCallIn", ``, false, nil},
		{"onCallOut", ``, false, nil},
		{"onIdle", ``, true, T(session.TypeCallEnded)},
		{"onDisconnect", ``, true, T(session.TypeCallEnded)},
		{"onDialOver", `"空号"`, false, T(session.TypeCallFailed)},
		{"onThreePart", ``, true, T(session.TypeCallConference)},
		{"onPause", `{"result":true,"message":"已暂停"}`, false, T(session.TypeAgentState)},
		{"onRestore", `{"result":false,"message":"not paused"}`, false, T(session.TypeCommandFailed)},
		{"onHold", `{"result":true}`, true, T(session.TypeCallHeld)},
		{"onRetrieve", ``, true, T(session.TypeCallRetrieved)},
		{"onGetOrgAgtgrps", `[{"id":"g1","name":"Sales"},"g2"]`, false, T(session.TypeAgentGroups)},
		{"onGetAgtGroups", `["g1"]`, false, T(session.TypeAgentGroups)},
		{"onAllAgtInfo", `[{"agentId":"8002","name":"Li","state":"busy"}]`, false, T(session.TypeAgentRoster)},
		{"onGetAgentRights", `["listen","joinTalk","x"]`, false, T(session.TypeAgentRights)},
	}
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.event] = true
		var tr Translator
		if r.live {
			tr.Decode(wire.Msg{Event: "onCallInRing"}, at)
			tr.Decode(wire.Msg{Event: "onCallIn"}, at)
		}
		got, err := tr.Decode(wire.Msg{Event: r.event, Data: json.RawMessage(r.data)}, at)
		if err != nil || !slices.Equal(types(got), r.want) {
			t.Errorf("%s: got %v %v, want %v", r.event, types(got), err, r.want)
		}
	}
	for _, e := range Events {
		if !seen[e] {
			t.Errorf("seed event %q has no row", e)
		}
	}
}

// TestAgentFlow: connect, check in, ring, answer (onInCall then onCallIn:
// one answer), hold, retrieve, idle, through the reducer.
func TestAgentFlow(t *testing.T) {
	var tr Translator
	var s session.State
	s, _ = session.Transition(s, session.AuthResult{Base: session.Base{At: at}, OK: true, Role: session.RoleSupervisor})
	for _, m := range []wire.Msg{
		{Event: "onConnect", Data: json.RawMessage(`true`)},
		{Event: "onCheckIn", Data: json.RawMessage(`{"result":true}`)},
		{Event: "onCallInRing", Data: json.RawMessage(`{"phoneNumber":"13800000000","agentId":"8001"}`)},
		{Event: "onInCall"}, {Event: "onCallIn"},
		{Event: "onHold", Data: json.RawMessage(`{"result":true}`)}, {Event: "onRetrieve"},
		{Event: "onIdle"},
	} {
		evs, err := tr.Decode(m, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if s, err = session.Transition(s, e); err != nil {
				t.Fatalf("%s -> %s: %v", m.Event, e.Type(), err)
			}
		}
	}
	if len(s.Recent) != 1 || s.Recent[0].From != "13800000000" || s.Recent[0].Answered.IsZero() {
		t.Errorf("recent = %+v", s.Recent)
	}
}

func TestEncodeEveryMethod(t *testing.T) {
	c := session.Command{Groups: []string{"g1", "g2"}, Number: "13800000000", Digits: "1",
		Target: session.Target{Kind: session.TargetGroup, ID: "g9"}, Agent: "8002"}
	got := map[string]bool{}
	for _, v := range Capabilities() {
		c.Verb = v
		call, err := Encode(c)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		got[call.Method] = true
	}
	for _, m := range Methods {
		if !got[m] && m != "connect" { // connect is the bridge's Connect
			t.Errorf("method %s unreachable", m)
		}
	}
	c.Verb = session.VerbCheckIn
	if call, _ := Encode(c); call.Args[0] != "g1,g2" {
		t.Errorf("checkIn args %v", call.Args)
	}
	if _, err := Encode(session.Command{Verb: session.VerbAnswer}); !errors.Is(err, wire.ErrNoMethod) {
		t.Error(err)
	}
	var tr Translator
	if _, err := tr.Decode(wire.Msg{Event: "onNope"}, at); !errors.Is(err, wire.ErrUnknownEvent) {
		t.Error(err)
	}
	if _, err := tr.Decode(wire.Msg{Event: "onAllAgtInfo", Data: json.RawMessage(`{}`)}, at); !errors.Is(err, wire.ErrMalformed) {
		t.Error(err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, e := range Events {
		f.Add(e, `{"result":true,"phoneNumber":"1"}`)
	}
	f.Add("onGetAgtGroups", `[1,{"id":"x"}]`)
	f.Fuzz(func(t *testing.T, name, data string) {
		var tr Translator
		for _, n := range []string{"onCallInRing", name, name} {
			evs, err := tr.Decode(wire.Msg{Event: n, Data: json.RawMessage(data)}, at)
			if err != nil {
				continue
			}
			for _, e := range evs {
				if c, ok := e.(session.CallEvent); ok && c.Call() == "" {
					t.Fatalf("%s: empty call id", e.Type())
				}
				if _, err := session.MarshalEvent(e); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}
