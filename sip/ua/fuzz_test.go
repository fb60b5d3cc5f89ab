package ua

import "testing"

func FuzzParseDTMFRelay(f *testing.F) {
	f.Add([]byte("Signal=5\r\nDuration=160\r\n"))
	f.Add([]byte("signal= 11\n"))
	f.Add([]byte("Duration=1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDTMFRelay(b)
		if err == nil && d == 0 {
			t.Fatal("no digit and no error")
		}
	})
}

func FuzzParseSipfrag(f *testing.F) {
	f.Add([]byte("SIP/2.0 200 OK\r\n"))
	f.Add([]byte("SIP/2.0 100 Trying"))
	f.Add([]byte("SIP/2.0 486 Busy Here\r\nVia: x\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		code, _, err := ParseSipfrag(b)
		if err == nil && (code < 100 || code > 699) {
			t.Fatalf("code %d accepted", code)
		}
	})
}

func FuzzParseReplaces(f *testing.F) {
	f.Add("abc@host;to-tag=1;from-tag=2")
	f.Add("x;from-tag=a;to-tag=b;early-only")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseReplaces(s)
		if err == nil && (r.CallID == "" || r.ToTag == "" || r.FromTag == "") {
			t.Fatalf("incomplete %+v accepted", r)
		}
	})
}

func FuzzParseDialogInfo(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="3" state="full" entity="sip:202@127.0.0.1">
  <dialog id="a1" call-id="c1" local-tag="x" remote-tag="y" direction="recipient">
    <state>early</state>
    <remote><identity>sip:203@127.0.0.1</identity></remote>
  </dialog>
</dialog-info>`))
	f.Add([]byte(`<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="partial" entity="sip:1@h"/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := ParseDialogInfo(b)
		if err != nil {
			return
		}
		if info.Entity == "" {
			t.Fatal("no entity accepted")
		}
		m := map[string]DialogEntry{}
		for _, d := range info.Dialogs {
			if d.ID == "" {
				t.Fatal("dialog without id accepted")
			}
			m[d.ID] = d
		}
		switch peerState(m) {
		case PeerIdle, PeerRinging, PeerOnCall:
		default:
			t.Fatal("no state")
		}
	})
}

// The states a watcher derives from dialog-info documents.
func TestPeerState(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		want PeerState
	}{
		{`<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:b@h"/>`, PeerIdle},
		{`<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="1" state="full" entity="sip:b@h"><dialog id="1" direction="recipient"><state>early</state></dialog></dialog-info>`, PeerRinging},
		{`<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="1" state="full" entity="sip:b@h"><dialog id="1" direction="initiator"><state>early</state></dialog></dialog-info>`, PeerOnCall},
		{`<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="1" state="full" entity="sip:b@h"><dialog id="1"><state>confirmed</state></dialog><dialog id="2" direction="recipient"><state>early</state></dialog></dialog-info>`, PeerOnCall},
		{`<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="1" state="full" entity="sip:b@h"><dialog id="1"><state>terminated</state></dialog></dialog-info>`, PeerIdle},
	} {
		info, err := ParseDialogInfo([]byte(tc.doc))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]DialogEntry{}
		for _, d := range info.Dialogs {
			m[d.ID] = d
		}
		if got := peerState(m); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.doc, got, tc.want)
		}
	}
	for _, bad := range []string{"", "<x/>", `<dialog-info state="full"/>`, `<dialog-info entity="sip:a@b" state="odd"/>`, `<dialog-info entity="sip:a@b" state="full"><dialog><state>early</state></dialog></dialog-info>`} {
		if _, err := ParseDialogInfo([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseReferTo(f *testing.F) {
	f.Add("<sip:203@127.0.0.1:5060?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>")
	f.Add("sip:carol@lab.test")
	f.Add("<sips:x@y;transport=tls>")
	f.Fuzz(func(t *testing.T, s string) {
		uri, rep, err := ParseReferTo(s)
		if err != nil {
			return
		}
		if uri.Host == "" || uri.Headers != nil {
			t.Fatalf("target %+v", uri)
		}
		if rep != nil && (rep.CallID == "" || rep.ToTag == "" || rep.FromTag == "") {
			t.Fatalf("replaces %+v", rep)
		}
	})
}
