package voximplant

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

func TestDecode(t *testing.T) {
	T := func(ts ...session.EventType) []session.EventType { return ts }
	rows := []struct {
		event, data string
		want        []session.EventType
	}{
		{"ACDError", `{"message":"in use"}`, T(session.TypeACDConflict)},
		{"ACDStatusUpdated", `{"status":"READY"}`, T(session.TypeAgentCheckedIn, session.TypeAgentState)},
		{"AuthResult", `{"result":true,"displayName":"Ana"}`, T(session.TypeAuthResult)},
		{"ConnectionClosed", `{}`, T(session.TypeConnectionLost)},
		{"ConnectionEstablished", `{}`, T(session.TypeConnectionEstablished)},
		{"ConnectionFailed", `{"message":"Connection failed"}`, T(session.TypeConnectionFailed)},
		{"IncomingCall", `{"call":{"id":"c1","number":"+34911","displayName":"Bob"}}`, T(session.TypeCallRinging)},
		{"MicAccessResult", `{"result":false}`, T(session.TypeMediaMic)},
		{"PlaybackError", `{}`, nil},
		{"PlaybackFinished", `{}`, nil},
		{"Reconnected", `{}`, T(session.TypeConnectionRestored)},
		{"Reconnecting", `{}`, T(session.TypeConnectionReconnecting)},
		{"RefreshTokenResult", `{"result":false,"code":701}`, T(session.TypeAuthResult)},
		{"SDKReady", `{"version":"4.13.1-3005"}`, nil},
		{"Call.Connected", `{"id":"c1"}`, T(session.TypeCallAnswered)},
		{"Call.Disconnected", `{"id":"c1"}`, T(session.TypeCallEnded)},
		{"Call.Disconnected", `{"id":"c1","by":"agent"}`, T(session.TypeCallEnded)},
		{"Call.ActiveUpdated", `{"id":"c1","active":false}`, T(session.TypeCallHeld)},
		{"Call.ActiveUpdated", `{"id":"c1","active":true}`, T(session.TypeCallRetrieved)},
		{"Call.Failed", `{"id":"c1","code":486,"reason":"Busy Here"}`, T(session.TypeCallFailed)},
	}
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.event] = true
		var tr Translator
		got, err := tr.Decode(wire.Msg{Event: r.event, Data: json.RawMessage(r.data)}, at)
		if err != nil {
			t.Errorf("%s: %v", r.event, err)
		}
		if !slices.Equal(types(got), r.want) {
			t.Errorf("%s: got %v, want %v", r.event, types(got), r.want)
		}
	}
	for _, e := range Events {
		if !seen[e] {
			t.Errorf("seed event %q has no row", e)
		}
	}
}

func TestAuthCodes(t *testing.T) {
	for code, want := range map[int]session.AuthCode{401: session.AuthInvalidToken, 404: session.AuthUnknownUser,
		500: session.AuthInternal, 701: session.AuthTokenExpired} {
		var tr Translator
		evs, err := tr.Decode(wire.Msg{Event: "AuthResult", Data: json.RawMessage(`{"result":false,"code":` + itoa(code) + `}`)}, at)
		if err != nil {
			t.Fatal(err)
		}
		if a := evs[0].(session.AuthResult); a.OK || a.Code != want {
			t.Errorf("%d: %+v", code, a)
		}
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestSessionFlow(t *testing.T) {
	var tr Translator
	var s session.State
	msgs := []wire.Msg{
		{Event: "SDKReady", Data: json.RawMessage(`{"version":"4.13.1-3005"}`)},
		{Event: "ConnectionEstablished"},
		{Event: "AuthResult", Data: json.RawMessage(`{"result":true,"displayName":"Ana"}`)},
		{Event: "ACDStatusUpdated", Data: json.RawMessage(`{"status":"READY"}`)},
		{Event: "IncomingCall", Data: json.RawMessage(`{"call":{"id":"c1","number":"+34911"}}`)},
		{Event: "Call.Connected", Data: json.RawMessage(`{"id":"c1"}`)},
		{Event: "Call.Disconnected", Data: json.RawMessage(`{"id":"c1"}`)},
		{Event: "Reconnecting"}, {Event: "Reconnected"},
	}
	for _, m := range msgs {
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
	if s.Version != "4.13.1-3005" || s.Vendor != Name {
		t.Errorf("state %+v", s)
	}
	if len(s.Recent) != 1 {
		t.Errorf("recent = %+v", s.Recent)
	}
}

func TestUnknownAndMalformed(t *testing.T) {
	var tr Translator
	if _, err := tr.Decode(wire.Msg{Event: "Nope"}, at); !errors.Is(err, wire.ErrUnknownEvent) {
		t.Errorf("unknown: %v", err)
	}
	for _, m := range []wire.Msg{
		{Event: "AuthResult", Data: json.RawMessage(`{"result":"yes"}`)},
		{Event: "ACDStatusUpdated", Data: json.RawMessage(`{"status":"WHAT"}`)},
		{Event: "IncomingCall", Data: json.RawMessage(`{}`)},
	} {
		if _, err := tr.Decode(m, at); !errors.Is(err, wire.ErrMalformed) {
			t.Errorf("%s: %v", m.Event, err)
		}
	}
}

func TestEncode(t *testing.T) {
	for _, v := range Capabilities() {
		c, err := Encode(session.Command{Verb: v, CallID: "c1", Number: "1", Digits: "1"})
		if err != nil || c.Method == "" {
			t.Errorf("%s: %v %v", v, c, err)
		}
	}
	if c, _ := Encode(session.Command{Verb: session.VerbHold, CallID: "c1"}); c.Method != "call.setActive" || c.Args[0] != "c1" || c.Args[1] != false {
		t.Errorf("hold = %+v", c)
	}
	if _, err := Encode(session.Command{Verb: session.VerbListen}); !errors.Is(err, wire.ErrNoMethod) {
		t.Errorf("listen: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, e := range Events {
		f.Add(e, `{"result":false,"code":401,"status":"READY","call":{"id":"x"},"id":"x"}`)
	}
	f.Fuzz(func(t *testing.T, name, data string) {
		var tr Translator
		evs, err := tr.Decode(wire.Msg{Event: name, Data: json.RawMessage(data)}, at)
		if err != nil {
			return
		}
		for _, e := range evs {
			if _, err := session.MarshalEvent(e); err != nil {
				t.Fatalf("%s: %v", e.Type(), err)
			}
		}
	})
}
