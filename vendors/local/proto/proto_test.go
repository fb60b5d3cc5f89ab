package proto

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

func TestDecodeClient(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"hello", `{"t":"hello","v":1,"token":"at_x"}`, true},
		{"hello without token", `{"t":"hello","v":1}`, false},
		{"cmd", `{"t":"cmd","id":3,"cmd":{"verb":"hold"}}`, true},
		{"cmd without id", `{"t":"cmd","cmd":{"verb":"hold"}}`, false},
		{"cmd unknown verb", `{"t":"cmd","id":1,"cmd":{"verb":"fly"}}`, false},
		{"cmd bad dtmf", `{"t":"cmd","id":1,"cmd":{"verb":"dtmf","digits":"x"}}`, false},
		{"cmd transfer", `{"t":"cmd","id":1,"cmd":{"verb":"transfer","target":{"kind":"group","id":"sales"}}}`, true},
		{"cmd barge without agent", `{"t":"cmd","id":1,"cmd":{"verb":"barge"}}`, false},
		{"signal", `{"t":"signal","signal":{"call_id":"c1","kind":"offer","sdp":"v=0"}}`, true},
		{"signal bad kind", `{"t":"signal","signal":{"call_id":"c1","kind":"x"}}`, false},
		{"not json", `{"t":`, false},
		{"no kind", `{}`, false},
		{"server kind", `{"t":"event"}`, false},
		{"array", `[]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeClient([]byte(tt.in))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrBadFrame) {
				t.Errorf("error %v does not wrap ErrBadFrame", err)
			}
		})
	}
}

func TestEventRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	e := session.CallRinging{CallBase: session.CallBase{At: at, CallID: "c1"}, Direction: session.DirInbound, From: "kiosk-1", Team: "sales"}
	b, err := EncodeEvent(7, e)
	if err != nil {
		t.Fatal(err)
	}
	f, got, err := DecodeServer(b)
	if err != nil {
		t.Fatal(err)
	}
	if f.Seq != 7 || got != e {
		t.Fatalf("got seq %d %#v, want 7 %#v", f.Seq, got, e)
	}
}

func FuzzDecodeClient(f *testing.F) {
	for _, s := range []string{
		`{"t":"hello","v":1,"token":"at_x","resume":4}`,
		`{"t":"cmd","id":3,"cmd":{"verb":"checkin","groups":["a","b"]}}`,
		`{"t":"cmd","id":3,"cmd":{"verb":"transfer","target":{"kind":"number","id":"+1 555"}}}`,
		`{"t":"signal","signal":{"call_id":"c1","kind":"ice","candidate":"a"}}`,
		`{"t":"cmd","id":-1}`, `null`, `{"t":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := DecodeClient(data)
		if err != nil {
			return
		}
		// A frame that decodes re-encodes to one that decodes the same.
		again, err := DecodeClient(Encode(fr))
		if err != nil {
			t.Fatalf("re-decode of %s: %v", Encode(fr), err)
		}
		a, _ := json.Marshal(fr)
		b, _ := json.Marshal(again)
		if !bytes.Equal(a, b) {
			t.Fatalf("round trip changed the frame:\n%s\n%s", a, b)
		}
	})
}
