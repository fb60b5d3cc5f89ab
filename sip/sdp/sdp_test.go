package sdp

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/agentty/agentty/audio/rtpleg"
)

// baresipOffer is an offer as baresip 1.0 writes it (opus, G.711,
// telephone-event, SDES on RTP/SAVP).
const baresipOffer = "v=0\r\n" +
	"o=- 1234 5678 IN IP4 127.0.0.1\r\n" +
	"s=-\r\n" +
	"c=IN IP4 127.0.0.1\r\n" +
	"t=0 0\r\n" +
	"m=audio 10000 RTP/SAVP 111 0 8 101\r\n" +
	"b=AS:128\r\n" +
	"a=rtpmap:111 opus/48000/2\r\n" +
	"a=fmtp:111 stereo=1;sprop-stereo=1\r\n" +
	"a=rtpmap:101 telephone-event/8000\r\n" +
	"a=fmtp:101 0-15\r\n" +
	"a=rtcp:10001\r\n" +
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|2^31\r\n" +
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd\r\n" +
	"a=sendrecv\r\n" +
	"a=ptime:20\r\n"

func plainOffer(proto, dir, extra string) string {
	return "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n" +
		"m=audio 4000 " + proto + " 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\n" + dir + extra
}

func local(codecs []string, srtp SRTPMode, dir Direction) Local {
	return Local{Addr: netip.MustParseAddr("127.0.0.1"), RTPPort: 20000, RTCPPort: 20001, Codecs: codecs, SRTP: srtp, Direction: dir, User: "agentty", SessionID: 7, Version: 1}
}

// TestAnswer: the answer to each offer, by what the far end offers and
// what our settings say.
func TestAnswer(t *testing.T) {
	for _, tc := range []struct {
		name      string
		offer     string
		local     Local
		err       error
		send      string
		tel       bool
		dir       Direction
		srtpSuite string
		remote    string
		rtcp      string
	}{
		{name: "pcmu first in our order", offer: plainOffer("RTP/AVP", "", ""), local: local([]string{"pcmu", "pcma"}, SRTPOff, ""),
			send: "PCMU", tel: true, dir: SendRecv, remote: "192.0.2.1:4000", rtcp: "192.0.2.1:4001"},
		{name: "pcma when we prefer it", offer: plainOffer("RTP/AVP", "", ""), local: local([]string{"pcma", "pcmu"}, SRTPOff, ""),
			send: "PCMA", tel: true, dir: SendRecv, remote: "192.0.2.1:4000", rtcp: "192.0.2.1:4001"},
		{name: "far end holds: sendonly->recvonly", offer: plainOffer("RTP/AVP", "a=sendonly\r\n", ""), local: local([]string{"pcmu"}, SRTPOff, ""),
			send: "PCMU", tel: true, dir: RecvOnly, remote: "192.0.2.1:4000", rtcp: "192.0.2.1:4001"},
		{name: "far end inactive", offer: plainOffer("RTP/AVP", "a=inactive\r\n", ""), local: local([]string{"pcmu"}, SRTPOff, ""),
			send: "PCMU", tel: true, dir: Inactive, remote: "192.0.2.1:4000", rtcp: "192.0.2.1:4001"},
		{name: "we hold while answering", offer: plainOffer("RTP/AVP", "", ""), local: local([]string{"pcmu"}, SRTPOff, SendOnly),
			send: "PCMU", tel: true, dir: SendOnly, remote: "192.0.2.1:4000", rtcp: "192.0.2.1:4001"},
		{name: "rtcp-mux", offer: plainOffer("RTP/AVP", "", "a=rtcp-mux\r\n"), local: local([]string{"pcmu"}, SRTPOff, ""),
			send: "PCMU", tel: true, dir: SendRecv, remote: "192.0.2.1:4000", rtcp: "192.0.2.1:4000"},
		{name: "no common codec", offer: plainOffer("RTP/AVP", "", ""), local: local([]string{"opus"}, SRTPOff, ""), err: errAny},
		{name: "savp offered, srtp off", offer: plainOffer("RTP/SAVP", "", ""), local: local([]string{"pcmu"}, SRTPOff, ""), err: ErrSRTPRequired},
		{name: "mandatory, plain offered", offer: plainOffer("RTP/AVP", "", ""), local: local([]string{"pcmu"}, SRTPMandatory, ""), err: ErrSRTPRequired},
		{name: "optional, plain offered", offer: plainOffer("RTP/AVP", "", ""), local: local([]string{"pcmu"}, SRTPOptional, ""),
			send: "PCMU", tel: true, dir: SendRecv, remote: "192.0.2.1:4000", rtcp: "192.0.2.1:4001"},
		{name: "baresip savp", offer: baresipOffer, local: local([]string{"pcmu", "pcma"}, SRTPMandatory, ""),
			send: "PCMU", tel: true, dir: SendRecv, srtpSuite: rtpleg.SuiteAES128SHA80, remote: "127.0.0.1:10000", rtcp: "127.0.0.1:10001"},
		{name: "webrtc offer", offer: strings.Replace(plainOffer("RTP/AVP", "", ""), "RTP/AVP", "UDP/TLS/RTP/SAVPF", 1), local: local(nil, SRTPMandatory, ""), err: ErrNotAcceptable},
		{name: "refused stream", offer: strings.Replace(plainOffer("RTP/AVP", "", ""), "m=audio 4000", "m=audio 0", 1), local: local(nil, SRTPOff, ""), err: ErrNotAcceptable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.local.Codecs == nil {
				tc.local.Codecs = []string{"pcmu"}
			}
			off, err := Parse([]byte(tc.offer))
			if err != nil {
				t.Fatal(err)
			}
			ans, p, err := Answer(off, tc.local)
			if tc.err != nil {
				if err == nil || (tc.err != errAny && !errors.Is(err, tc.err)) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Send.Name != tc.send || !p.Tel.IsZero() != tc.tel {
				t.Errorf("send %+v tel %+v", p.Send, p.Tel)
			}
			if ans.Audio.Direction != tc.dir || p.Sending != tc.dir.Sends() || p.Receiving != tc.dir.Receives() {
				t.Errorf("direction %s sending %v receiving %v, want %s", ans.Audio.Direction, p.Sending, p.Receiving, tc.dir)
			}
			if p.Remote.String() != tc.remote || p.RemoteRTCP.String() != tc.rtcp {
				t.Errorf("remote %v rtcp %v", p.Remote, p.RemoteRTCP)
			}
			if (p.SRTP != nil) != (tc.srtpSuite != "") || p.SRTP != nil && p.SRTP.Suite != tc.srtpSuite {
				t.Errorf("srtp %+v, want %q", p.SRTP, tc.srtpSuite)
			}
			b, err := ans.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse(b)
			if err != nil {
				t.Fatalf("answer does not parse: %v\n%s", err, b)
			}
			if back.Audio.Proto != off.Audio.Proto || back.Audio.Direction != tc.dir {
				t.Errorf("answer proto %s dir %s\n%s", back.Audio.Proto, back.Audio.Direction, b)
			}
		})
	}
}

var errAny = errors.New("any error")

// TestOfferAnswerNegotiate: our offer answered by our own Answer gives
// each side matching params: the same codec, each side's key the other's
// remote key, directions mirrored for a hold.
func TestOfferAnswerNegotiate(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		mode                 SRTPMode
		offerDir, answerWant Direction
		aSend, aRecv         bool
		bSend, bRecv         bool
	}{
		{"plain sendrecv", SRTPOff, SendRecv, SendRecv, true, true, true, true},
		{"optional srtp", SRTPOptional, SendRecv, SendRecv, true, true, true, true},
		{"mandatory srtp hold", SRTPMandatory, SendOnly, SendRecv, true, false, false, true},
		{"inactive", SRTPOff, Inactive, SendRecv, false, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := local([]string{"pcma", "pcmu"}, tc.mode, tc.offerDir)
			b := local([]string{"pcmu", "pcma"}, tc.mode, tc.answerWant)
			b.RTPPort, b.RTCPPort = 30000, 30001
			off, err := Offer(a)
			if err != nil {
				t.Fatal(err)
			}
			ob, _ := off.Marshal()
			offParsed, err := Parse(ob)
			if err != nil {
				t.Fatalf("%v\n%s", err, ob)
			}
			ans, pb, err := Answer(offParsed, b)
			if err != nil {
				t.Fatal(err)
			}
			ab, _ := ans.Marshal()
			ansParsed, err := Parse(ab)
			if err != nil {
				t.Fatal(err)
			}
			pa, err := Negotiate(off, ansParsed)
			if err != nil {
				t.Fatal(err)
			}
			if pa.Send.Name != "PCMU" || pb.Send.Name != "PCMU" {
				t.Errorf("send a %s b %s, want the answerer's first (PCMU)", pa.Send.Name, pb.Send.Name)
			}
			if pa.Sending != tc.aSend || pa.Receiving != tc.aRecv || pb.Sending != tc.bSend || pb.Receiving != tc.bRecv {
				t.Errorf("a %v/%v b %v/%v", pa.Sending, pa.Receiving, pb.Sending, pb.Receiving)
			}
			if pa.Remote.Port() != 30000 || pb.Remote.Port() != 20000 {
				t.Errorf("remotes %v %v", pa.Remote, pb.Remote)
			}
			if tc.mode == SRTPOff {
				if pa.SRTP != nil || pb.SRTP != nil {
					t.Error("srtp without srtp")
				}
				return
			}
			if pa.SRTP == nil || pb.SRTP == nil || !bytes.Equal(pa.SRTP.Local, pb.SRTP.Remote) || !bytes.Equal(pb.SRTP.Local, pa.SRTP.Remote) {
				t.Errorf("keys a %+v b %+v", pa.SRTP, pb.SRTP)
			}
			wantProto := ProtoAVP
			if tc.mode == SRTPMandatory {
				wantProto = ProtoSAVP
			}
			if offParsed.Audio.Proto != wantProto {
				t.Errorf("proto %s, want %s", offParsed.Audio.Proto, wantProto)
			}
		})
	}
}

// TestReofferKeepsKey: a re-offer with Local.Key reuses the key.
func TestReofferKeepsKey(t *testing.T) {
	l := local([]string{"pcmu"}, SRTPMandatory, "")
	o1, err := Offer(l)
	if err != nil {
		t.Fatal(err)
	}
	l.Key, l.Direction, l.Version = o1.Audio.Crypto[0].Key, SendOnly, 2
	o2, err := Offer(l)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(o1.Audio.Crypto[0].Key, o2.Audio.Crypto[0].Key) || o2.Audio.Direction != SendOnly {
		t.Fatalf("re-offer %+v", o2.Audio)
	}
}

func TestCrypto(t *testing.T) {
	for _, tc := range []struct {
		in     string
		ok     bool
		usable bool
	}{
		{"1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|2^31", true, true},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|2^20|1:4", true, false},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:AAECAw", true, false},
		{"1 F8_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd", true, false},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd UNENCRYPTED_SRTP", true, false},
		{"x AES_CM_128_HMAC_SHA1_80 inline:AAEC", false, false},
		{"1 AES_CM_128_HMAC_SHA1_80", false, false},
		{"1 AES_CM_128_HMAC_SHA1_80 uri:x", false, false},
	} {
		c, err := ParseCrypto(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("%q: err %v", tc.in, err)
			continue
		}
		if err == nil && c.usable() != tc.usable {
			t.Errorf("%q: usable %v", tc.in, c.usable())
		}
		if err == nil {
			back, err := ParseCrypto(c.String())
			if err != nil || !bytes.Equal(back.Key, c.Key) || back.Lifetime != c.Lifetime || back.MKI != c.MKI {
				t.Errorf("%q: round trip %+v %v", tc.in, back, err)
			}
		}
	}
}

func TestDirection(t *testing.T) {
	for _, tc := range []struct{ offered, want, got Direction }{
		{SendRecv, SendRecv, SendRecv},
		{SendOnly, SendRecv, RecvOnly},
		{RecvOnly, SendRecv, SendOnly},
		{Inactive, SendRecv, Inactive},
		{SendRecv, SendOnly, SendOnly},
		{SendOnly, SendOnly, Inactive},
		{"", "", SendRecv},
	} {
		if g := Answering(tc.offered, tc.want); g != tc.got {
			t.Errorf("%s answered wanting %s: %s, want %s", tc.offered, tc.want, g, tc.got)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=video 4000 RTP/AVP 96\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 host.example\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
	} {
		if _, err := Parse([]byte(in)); !errors.Is(err, ErrBadSDP) {
			t.Errorf("%q: err %v, want ErrBadSDP", in, err)
		}
	}
}

// TestAnswerKeepsOtherStreams: a video line in the offer is refused in
// place, so the answer has as many m= lines.
func TestAnswerKeepsOtherStreams(t *testing.T) {
	in := "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n" +
		"m=video 5000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\nm=audio 4000 RTP/AVP 0\r\n"
	off, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	ans, _, err := Answer(off, local([]string{"pcmu"}, SRTPOff, ""))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ans.Marshal()
	s := string(b)
	if i, j := strings.Index(s, "m=video 0"), strings.Index(s, "m=audio 20000"); i < 0 || j < i {
		t.Fatalf("answer:\n%s", s)
	}
}
