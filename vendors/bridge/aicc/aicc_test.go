package aicc

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

func TestDecodeEveryEvent(t *testing.T) {
	want := map[string]session.EventType{
		"AgentState_Rest_Timeout":      session.TypeAgentRestTimeout,
		"AgentEvent_Talking":           session.TypeCallAnswered,
		"AgentEvent_Customer_Alerting": session.TypeCallHeld,
		"AgentEvent_Call_Out_Fail":     session.TypeCallFailed,
		"AgentEvent_Call_Release":      session.TypeCallEnded,
		"AgentEvent_Customer_Release":  session.TypeCallEnded,
		"AgentOther_PhoneAlerting":     session.TypeCallRinging,
	}
	for st := range States {
		want[st] = session.TypeAgentState
	}
	for _, e := range Events {
		w, ok := want[e]
		if !ok {
			t.Errorf("%s: no mapping", e)
			continue
		}
		tr := Translator{signedIn: true}
		evs, err := tr.Decode(wire.Msg{Event: e, Data: json.RawMessage(`{"callId":"7"}`)}, at)
		if err != nil || len(evs) != 1 || evs[0].Type() != w {
			t.Errorf("%s: %v %v, want %s", e, evs, err, w)
		}
	}
	if len(want) != len(Events) {
		t.Errorf("%d mappings for %d events", len(want), len(Events))
	}
}

// TestReadyAlertingTalkingRelease is the seed-003 flow through the reducer.
func TestReadyAlertingTalkingRelease(t *testing.T) {
	var tr Translator
	s := session.State{}
	s, _ = session.Transition(s, session.ConnectionEstablished{Base: session.Base{At: at}, Vendor: Name, Capabilities: Capabilities()})
	s, _ = session.Transition(s, session.AuthResult{Base: session.Base{At: at}, OK: true, Role: session.RoleAgent})
	for _, name := range []string{"AgentState_Ready", "AgentOther_PhoneAlerting", "AgentState_Busy", "AgentEvent_Talking",
		"AgentEvent_Customer_Release", "AgentState_Work", "AgentState_Ready"} {
		evs, err := tr.Decode(wire.Msg{Event: name, Data: json.RawMessage(`{"caller":"88001"}`)}, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if s, err = session.Transition(s, e); err != nil {
				t.Fatalf("%s -> %s: %v", name, e.Type(), err)
			}
		}
	}
	if len(s.Recent) != 1 || s.Recent[0].From != "88001" || s.Recent[0].EndedBy != session.ByCustomer || s.Agent.State != session.AgentReady {
		t.Errorf("recent %+v agent %+v", s.Recent, s.Agent)
	}
}

func TestSubscribeAndRefusals(t *testing.T) {
	sub := Subscribe()
	if sub["name"] != "eventpost" || !slices.Equal(sub["param"].([]string), Events) {
		t.Errorf("subscribe = %v", sub)
	}
	if _, err := Encode(session.Command{Verb: session.VerbReady}); !errors.Is(err, wire.ErrNoMethod) {
		t.Error(err)
	}
	var tr Translator
	if _, err := tr.Decode(wire.Msg{Event: "AgentState_Nope"}, at); !errors.Is(err, wire.ErrUnknownEvent) {
		t.Error(err)
	}
	if _, err := tr.Decode(wire.Msg{Event: "AgentEvent_Talking", Data: json.RawMessage(`7`)}, at); !errors.Is(err, wire.ErrMalformed) {
		t.Error(err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, e := range Events {
		f.Add(e, `{"callId":"1","caller":"2"}`)
	}
	f.Fuzz(func(t *testing.T, name, data string) {
		var tr Translator
		for range 2 {
			evs, err := tr.Decode(wire.Msg{Event: name, Data: json.RawMessage(data)}, at)
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
