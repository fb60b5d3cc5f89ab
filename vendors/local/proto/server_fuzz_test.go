package proto

import (
	"testing"

	"github.com/agentty/agentty/session"
)

// FuzzDecodeServer: the client's decoding of whatever a server (or a
// man in the middle) sends never panics; an event that decodes re-encodes
// to a frame that decodes to an event of the same type, call and sequence,
// and the reducer takes it without panicking.
func FuzzDecodeServer(f *testing.F) {
	for _, s := range []string{
		`{"t":"welcome","v":1,"session":"ana","resumed":true}`,
		`{"t":"event","seq":7,"event":{"type":"call.ringing","at":"2026-11-21T09:00:00Z","call_id":"c1","from":"lobby"}}`,
		`{"t":"event","seq":8,"event":{"type":"connection.synced","at":"2026-11-21T09:00:00Z","restarted":true,"calls":[]}}`,
		`{"t":"event","seq":1,"event":{"type":"agent.roster","agents":[{"id":"a","state":"ready"}]}}`,
		`{"t":"reply","id":3,"ok":false,"code":"refused","error":"no"}`,
		`{"t":"signal","signal":{"call_id":"c1","kind":"offer","sdp":"v=0"}}`,
		`{"t":"event","event":null}`, `{"t":"error"}`, `[]`, `{"t":"event","event":{"type":"nope"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, e, err := DecodeServer(data)
		if err != nil || e == nil {
			return
		}
		b, err := EncodeEvent(fr.Seq, e)
		if err != nil {
			return // an event the codec cannot write (NaN in a float) is dropped, not sent
		}
		fr2, e2, err := DecodeServer(b)
		if err != nil {
			t.Fatalf("re-decode of %s: %v", b, err)
		}
		if fr2.Seq != fr.Seq || e2.Type() != e.Type() {
			t.Fatalf("round trip: %d %s then %d %s", fr.Seq, e.Type(), fr2.Seq, e2.Type())
		}
		if ce, ok := e.(session.CallEvent); ok {
			if ce2 := e2.(session.CallEvent); ce2.Call() != ce.Call() {
				t.Fatalf("call id %q then %q", ce.Call(), ce2.Call())
			}
		}
		_ = session.Apply(session.State{}, e)
	})
}
