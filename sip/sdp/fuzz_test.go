package sdp

import (
	"testing"
)

// FuzzNegotiate parses arbitrary SDP, answers it, and reads the answer
// back: no panic, and an answer that was made parses and negotiates.
func FuzzNegotiate(f *testing.F) {
	f.Add([]byte(baresipOffer))
	f.Add([]byte(plainOffer("RTP/AVP", "a=sendonly\r\n", "a=rtcp-mux\r\n")))
	f.Add([]byte(plainOffer("RTP/SAVP", "a=inactive\r\n", "a=rtcp:9 IN IP4 10.0.0.1\r\n")))
	f.Fuzz(func(t *testing.T, b []byte) {
		off, err := Parse(b)
		if err != nil {
			return
		}
		for _, mode := range []SRTPMode{SRTPOff, SRTPOptional, SRTPMandatory} {
			l := local([]string{"pcmu", "pcma"}, mode, "")
			ans, p, err := Answer(off, l)
			if err != nil {
				continue
			}
			if p.Send.IsZero() || len(p.Recv) == 0 {
				t.Fatalf("params %+v", p)
			}
			out, err := ans.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse(out)
			if err != nil {
				t.Fatalf("answer does not parse: %v\n%s", err, out)
			}
			if _, err := Negotiate(off, back); err != nil && mode == SRTPOff {
				t.Fatalf("our own answer does not negotiate: %v\n%s", err, out)
			}
		}
	})
}
