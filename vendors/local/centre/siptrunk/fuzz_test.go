package siptrunk

import (
	"net/netip"
	"testing"

	"github.com/emiago/sipgo/sip"

	"github.com/agentty/agentty/audio/rtpleg"
	"github.com/agentty/agentty/sip/sdp"
)

// FuzzOffer: whatever an INVITE carries as its offer, the trunk answers
// with a status (200 with an answer that parses again, or 400/488) and
// never panics; the answer's codec is one we offer.
func FuzzOffer(f *testing.F) {
	f.Add([]byte("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"))
	f.Add([]byte("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/SAVP 8\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n"))
	f.Add([]byte("v=0\r\nm=audio 0 RTP/AVP 18\r\n"))
	f.Add([]byte{})
	local := sdp.Local{Addr: netip.MustParseAddr("127.0.0.1"), Codecs: []string{"pcmu", "pcma"}, SRTP: sdp.SRTPOptional, User: "agentty", SessionID: 1, Version: 1}
	listen := func() (*rtpleg.Ports, error) { return rtpleg.Listen(netip.MustParseAddr("127.0.0.1")) }
	f.Fuzz(func(t *testing.T, body []byte) {
		ans, p, ports, _, code, err := negotiate(body, local, listen)
		switch code {
		case 200:
			if err != nil || ans == nil || ports == nil {
				t.Fatalf("200 with err %v", err)
			}
			ports.Close()
			b, err := ans.Marshal()
			if err != nil {
				t.Fatalf("answer does not marshal: %v", err)
			}
			if _, err := sdp.Parse(b); err != nil {
				t.Fatalf("answer does not parse again: %v\n%s", err, b)
			}
			if n := p.Send.Name; n != "PCMU" && n != "PCMA" {
				t.Fatalf("send codec %q", n)
			}
		case 400, 488, 500:
			if err == nil || ports != nil {
				t.Fatalf("%d without an error, or with ports", code)
			}
		default:
			t.Fatalf("status %d", code)
		}
	})
}

// FuzzCallerID: any P-Asserted-Identity value gives a number or "" and
// never panics.
func FuzzCallerID(f *testing.F) {
	for _, s := range []string{`"Ana" <sip:+34600000001@example.com>`, `sip:100@host`, `<tel:+1>`, `<sip:@>`, `<<>>`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		req := sip.NewRequest(sip.INVITE, sip.Uri{User: "900", Host: "127.0.0.1"})
		req.AppendHeader(sip.NewHeader("P-Asserted-Identity", v))
		_ = callerID(req)
	})
}
