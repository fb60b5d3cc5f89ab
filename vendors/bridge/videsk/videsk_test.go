package videsk

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

// TestDecode has one row per event seed 000 documents; inCall starts the
// row with a live call (after `answered`).
func TestDecode(t *testing.T) {
	T := func(ts ...session.EventType) []session.EventType { return ts }
	rows := []struct {
		event, data string
		inCall      bool
		want        []session.EventType
	}{
		{"token-error", ``, false, T(session.TypeAuthResult)},
		{"no-agents", ``, false, T(session.TypeQueueNoAgents)},
		{"queued", `{"position":3,"time":2}`, false, T(session.TypeCallDialing, session.TypeQueueJoined)},
		{"queue-updated", `{"position":2,"time":1.5}`, true, T(session.TypeQueueUpdated)},
		{"customer-leave", ``, true, T(session.TypeQueueLeft, session.TypeCallEnded)},
		{"dismissed", ``, true, T(session.TypeCallRejected)},
		{"out-queue", ``, true, nil},
		{"answered", ``, false, T(session.TypeCallDialing, session.TypeCallAnswered)},
		{"connected-call", ``, true, T(session.TypeCallMedia)},
		{"agent-disconnect", ``, true, T(session.TypeCallMedia)},
		{"customer-hangup", ``, true, T(session.TypeCallEnded)},
		{"ended", ``, true, T(session.TypeCallEnded)},
		{"transferred-segment", `{"segment":"ventas"}`, true, T(session.TypeCallTransferred)},
		{"transferred-agent", `{"agent":"ana"}`, true, T(session.TypeCallTransferred)},
		{"connection-error", `"bad params"`, false, T(session.TypeConnectionFailed)},
		{"network-issues", ``, false, T(session.TypeConnectionDegraded)},
		{"http-block", ``, false, T(session.TypeAccessBlocked)},
		{"transport-disconnect", ``, false, nil},
		{"beamport:create", `{"name":"a.pdf","size":10}`, true, T(session.TypeFileOffer)},
	}
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.event] = true
		t.Run(r.event, func(t *testing.T) {
			var tr Translator
			if r.inCall {
				tr.Decode(wire.Msg{Event: "answered"}, at)
			}
			got, err := tr.Decode(wire.Msg{Event: r.event, Data: json.RawMessage(r.data)}, at)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(types(got), r.want) {
				t.Errorf("got %v, want %v", types(got), r.want)
			}
		})
	}
	for _, e := range Events {
		if !seen[e] {
			t.Errorf("seed event %q has no row", e)
		}
	}
}

func TestQueueWaitMinutes(t *testing.T) {
	var tr Translator
	evs, _ := tr.Decode(wire.Msg{Event: "queued", Data: json.RawMessage(`{"position":4,"time":2}`)}, at)
	q := evs[1].(session.QueueJoined)
	if q.Position != 4 || q.EstimatedWait.D() != 2*time.Minute {
		t.Errorf("got %+v", q)
	}
	evs, _ = tr.Decode(wire.Msg{Event: "queue-updated", Data: json.RawMessage(`{}`)}, at)
	if u := evs[0].(session.QueueUpdated); u.EstimatedWait != session.Unknown {
		t.Errorf("disabled wait = %v, want unknown", u.EstimatedWait)
	}
}

// TestKioskFlow applies a whole kiosk call through the session reducer.
func TestKioskFlow(t *testing.T) {
	var tr Translator
	s := session.State{}
	var all []session.Event
	for _, m := range []wire.Msg{
		{Event: "queued", Data: json.RawMessage(`{"position":2,"time":3}`)},
		{Event: "queue-updated", Data: json.RawMessage(`{"position":1,"time":1}`)},
		{Event: "answered"}, {Event: "connected-call"}, {Event: "agent-disconnect"},
		{Event: "ended"}, {Event: "transport-disconnect"},
	} {
		evs, err := tr.Decode(m, at)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, evs...)
	}
	for _, e := range all {
		var err error
		s, err = session.Transition(s, e)
		if err != nil {
			t.Fatalf("%s: %v", e.Type(), err)
		}
	}
	if len(s.Calls) != 0 || len(s.Recent) != 1 || s.Recent[0].Phase != session.PhaseEnded {
		t.Errorf("calls = %+v, recent = %+v", s.Calls, s.Recent)
	}
	if c := AfterEvent("ended"); len(c) != 1 || c[0].Method != "destroy" {
		t.Errorf("after ended = %v", c)
	}
	if !Reconnect("network-issues") || Reconnect("queued") {
		t.Error("reconnect rule")
	}
}

func TestUnknownAndMalformed(t *testing.T) {
	var tr Translator
	if _, err := tr.Decode(wire.Msg{Event: "nope"}, at); !errors.Is(err, wire.ErrUnknownEvent) {
		t.Errorf("unknown: %v", err)
	}
	if _, err := tr.Decode(wire.Msg{Event: "queued", Data: json.RawMessage(`[`)}, at); !errors.Is(err, wire.ErrMalformed) {
		t.Errorf("malformed: %v", err)
	}
}

func TestEncode(t *testing.T) {
	for _, r := range []struct {
		c    session.Command
		want string
	}{
		{session.Command{Verb: session.VerbCall, Group: "ventas"}, "call"},
		{session.Command{Verb: session.VerbLeave}, "leave"},
		{session.Command{Verb: session.VerbHangup}, "hangup"},
	} {
		c, err := Encode(r.c)
		if err != nil || c.Method != r.want {
			t.Errorf("%v: %v %v", r.c, c, err)
		}
	}
	if _, err := Encode(session.Command{Verb: session.VerbBarge}); !errors.Is(err, wire.ErrNoMethod) {
		t.Errorf("barge: %v", err)
	}
	for _, v := range Capabilities() {
		if _, err := Encode(session.Command{Verb: v}); err != nil {
			t.Errorf("capability %s has no method: %v", v, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, e := range Events {
		f.Add(e, `{"position":1,"time":2,"segment":"s","name":"n","size":3}`)
	}
	f.Add("queued", `[`)
	f.Fuzz(func(t *testing.T, name, data string) {
		var tr Translator
		for range 2 {
			evs, err := tr.Decode(wire.Msg{Event: name, Data: json.RawMessage(data)}, at)
			if err == nil {
				for _, e := range evs {
					if _, err := session.MarshalEvent(e); err != nil {
						t.Fatalf("%s: %v", e.Type(), err)
					}
				}
			}
		}
	})
}
