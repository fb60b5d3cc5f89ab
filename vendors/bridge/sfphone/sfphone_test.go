package sfphone

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

var at = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// seed reads testdata/seed002.json: the four messages of seed 002, verbatim.
func seed(t testing.TB) []wire.Msg {
	b, err := os.ReadFile("testdata/seed002.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw []struct {
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	var out []wire.Msg
	for _, r := range raw {
		out = append(out, wire.Msg{Event: r.Type, Data: r.Data})
	}
	return out
}

func TestSeedMessages(t *testing.T) {
	want := map[string]session.EventType{
		"phone:calling": session.TypeCallDialing, "phone:ringing": session.TypeCallRinging,
		"phone:accepted": session.TypeCallAnswered, "phone:terminated": session.TypeCallEnded,
	}
	var tr Translator
	for _, m := range seed(t) {
		evs, err := tr.Decode(m, at)
		if err != nil || len(evs) != 1 || evs[0].Type() != want[m.Event] {
			t.Errorf("%s: %v %v", m.Event, evs, err)
		}
		if e, ok := evs[0].(session.CallEnded); ok {
			if e.Duration.D() != 22*time.Second || e.Wait.D() != 8*time.Second || e.Total.D() != 30*time.Second {
				t.Errorf("terminated: %+v", e)
			}
		}
	}
}

// TestInboundFlow: contacts pushed, ringing with caller ID from them,
// accepted, terminated with the seed's duration, through the reducer.
func TestInboundFlow(t *testing.T) {
	var tr Translator
	push := wire.Msg{Event: "contacts", Data: json.RawMessage(`{"contacts":[{"id":"id1","name":"John Doe","phones":["+34917370192"]},{"id":"id2","name":"Jennifer Doe","phones":["+34666555444","+34666777888"]}]}`)}
	msgs := append([]wire.Msg{push}, seed(t)[1:]...)
	var s session.State
	var ringing session.CallRinging
	for _, m := range msgs {
		evs, err := tr.Decode(m, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if r, ok := e.(session.CallRinging); ok {
				ringing = r
			}
			if s, err = session.Transition(s, e); err != nil {
				t.Fatalf("%s: %v", e.Type(), err)
			}
		}
	}
	if ringing.Contact != "John Doe" || ringing.Team != "Dev_Team" {
		t.Errorf("ringing = %+v", ringing)
	}
	if len(tr.Pushed) != 2 || len(s.Recent) != 1 || s.Recent[0].Duration.D() != 22*time.Second {
		t.Errorf("pushed %d, recent %+v", len(tr.Pushed), s.Recent)
	}
}

func TestVCFAndMalformed(t *testing.T) {
	var tr Translator
	evs, err := tr.Decode(wire.Msg{Event: "vcf", Data: json.RawMessage(`{"text":"BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:B\nEND:VCARD\n"}`)}, at)
	if err != nil || evs[0].(session.ContactsPushed).Count != 2 {
		t.Errorf("vcf: %v %v", evs, err)
	}
	if _, err := tr.Decode(wire.Msg{Event: "phone:ringing", Data: json.RawMessage(`{}`)}, at); !errors.Is(err, wire.ErrMalformed) {
		t.Errorf("no id: %v", err)
	}
	if _, err := tr.Decode(wire.Msg{Event: "phone:what"}, at); !errors.Is(err, wire.ErrUnknownEvent) {
		t.Errorf("unknown: %v", err)
	}
}

func TestEncode(t *testing.T) {
	c, err := Encode(session.Command{Verb: session.VerbDial, Number: "+34911085460"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"type": c.Method, "data": c.Args[0]})
	if string(b) != `{"data":{"number":"+34911085460"},"type":"click2call"}` {
		t.Errorf("click2call = %s", b)
	}
	if _, err := Encode(session.Command{Verb: session.VerbHold}); !errors.Is(err, wire.ErrNoMethod) {
		t.Errorf("hold: %v", err)
	}
	if p := PushContacts([]Contact{{ID: "id1", Name: "John Doe", Phones: []string{"+34666555444"}}}); p.Method != "contacts" {
		t.Errorf("push = %+v", p)
	}
	if !slices.Equal(Capabilities(), []session.Verb{session.VerbDial}) {
		t.Error(Capabilities())
	}
}

// FuzzDecode: no panic; a phone message's data survives decode -> encode ->
// decode unchanged.
func FuzzDecode(f *testing.F) {
	for _, m := range seed(f) {
		f.Add(m.Event, string(m.Data))
	}
	f.Add("contacts", `{"contacts":[{"id":"1","name":"x","phones":["1"]}]}`)
	f.Fuzz(func(t *testing.T, name, data string) {
		var tr Translator
		evs, err := tr.Decode(wire.Msg{Event: name, Data: json.RawMessage(data)}, at)
		if err != nil {
			return
		}
		for _, e := range evs {
			if _, err := session.MarshalEvent(e); err != nil {
				t.Fatal(err)
			}
		}
		var d PhoneData
		if json.Unmarshal([]byte(data), &d) == nil && d.ID != "" {
			b, _ := json.Marshal(d)
			var d2 PhoneData
			if err := json.Unmarshal(b, &d2); err != nil || d2 != d {
				t.Fatalf("round trip: %+v != %+v (%v)", d2, d, err)
			}
		}
	})
}
