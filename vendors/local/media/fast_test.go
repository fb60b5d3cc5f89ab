package media_test

import (
	"bytes"
	"net"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/pion/dtls/v3"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/rtc"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/media"
	"github.com/agentty/agentty/vendors/local/proto"
)

// rawPhone is a bare pion peer connection answering the centre: it sends
// PCMU packets filled with one byte and counts those it receives filled
// with another.
type rawPhone struct {
	pc    *webrtc.PeerConnection
	track *webrtc.TrackLocalStaticRTP
	got   chan byte // the fill of each packet received
	cand  *net.UDPAddr
}

var candidateRE = regexp.MustCompile(`a=candidate:\S+ 1 udp \d+ (127\.0\.0\.1) (\d+) typ host`)

// answer makes a phone for the centre's offer; server makes it take the
// DTLS server's role, so that the centre is the client.
func answer(t *testing.T, offer string, server bool, profiles []dtls.SRTPProtectionProfile) (*rawPhone, string) {
	t.Helper()
	se := rtc.HostOnly(true)
	if profiles != nil {
		se.SetSRTPProtectionProfiles(profiles...)
	}
	if server {
		if err := se.SetAnsweringDTLSRole(webrtc.DTLSRoleServer); err != nil {
			t.Fatal(err)
		}
	}
	api, err := rtc.NewAPI(rtc.APIConfig{Codecs: []string{audio.NamePCMU}, LoopbackOnly: true, SettingEngine: se})
	if err != nil {
		t.Fatal(err)
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	p := &rawPhone{pc: pc, got: make(chan byte, 1024)}
	if m := candidateRE.FindStringSubmatch(offer); m != nil {
		port, _ := strconv.Atoi(m[2])
		p.cand = &net.UDPAddr{IP: net.ParseIP(m[1]), Port: port}
	}
	p.track, err = webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMU, ClockRate: 8000}, "audio", "phone")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pc.AddTrack(p.track); err != nil {
		t.Fatal(err)
	}
	pc.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		for {
			pkt, _, err := tr.ReadRTP()
			if err != nil {
				return
			}
			if len(pkt.Payload) > 0 {
				select {
				case p.got <- pkt.Payload[0]:
				default:
				}
			}
		}
	})
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		t.Fatal(err)
	}
	ans, err := pc.CreateAnswer(nil)
	if err != nil {
		t.Fatal(err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(ans); err != nil {
		t.Fatal(err)
	}
	<-gathered
	return p, pc.LocalDescription().SDP
}

// talk has both phones send a packet each every 20 ms, each filled with
// its own byte, until each has heard n from the other, filled with the
// other's.
func talk(t *testing.T, what string, n int, k, a *rawPhone, seq *uint16) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(15 * time.Second)
	kGot, aGot := 0, 0
	for kGot < n || aGot < n {
		select {
		case b := <-k.got:
			if b != 0x22 {
				t.Fatalf("%s: the kiosk heard a packet filled with %#x, want 0x22", what, b)
			}
			kGot++
		case b := <-a.got:
			if b != 0x11 {
				t.Fatalf("%s: the agent heard a packet filled with %#x, want 0x11", what, b)
			}
			aGot++
		case <-tick.C:
			*seq++
			for _, p := range []struct {
				ph   *rawPhone
				fill byte
			}{{k, 0x11}, {a, 0x22}} {
				h := rtp.Header{Version: 2, PayloadType: 0, SequenceNumber: *seq, Timestamp: uint32(*seq) * 160, SSRC: uint32(p.fill)}
				if err := p.ph.track.WriteRTP(&rtp.Packet{Header: h, Payload: bytes.Repeat([]byte{p.fill}, 160)}); err != nil {
					t.Fatal(err)
				}
			}
		case <-deadline:
			t.Fatalf("%s: the kiosk heard %d, the agent %d packets of %d within 15 s", what, kGot, aGot, n)
		}
	}
}

// TestOwnSRTPBesidePions: one leg where the centre is the DTLS server
// runs its own SRTP, the other (its phone took the server's role) stays
// on pion's; packets flow both ways between them. The first leg's phone
// offers AES-GCM (srtpgcm's contexts) or only AES-CM with HMAC-SHA1
// (pion's). Forged SRTP is sent to the first leg's socket from another
// address: with a socket per leg, the leg tries it and rejects it; on
// the shared sockets it is no leg's (pion's mux drops it). The call
// carries on either way.
func TestOwnSRTPBesidePions(t *testing.T) {
	gcm := []dtls.SRTPProtectionProfile{dtls.SRTP_AEAD_AES_128_GCM}
	cm := []dtls.SRTPProtectionProfile{dtls.SRTP_AES128_CM_HMAC_SHA1_80}
	for _, tc := range []struct {
		name        string
		profiles    []dtls.SRTPProtectionProfile
		gcm, perLeg bool
	}{
		{"gcm", gcm, true, false},
		{"cm", cm, false, false},
		{"gcm-per-leg", gcm, true, true},
		{"cm-per-leg", cm, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) { ownBesidePions(t, tc.profiles, tc.gcm, tc.perLeg) })
	}
}

func ownBesidePions(t *testing.T, profiles []dtls.SRTPProtectionProfile, gcm, perLeg bool) {
	m, err := media.New(media.Config{Loopback: true, Codecs: []string{audio.NamePCMU}, SocketPerLeg: perLeg})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	offers := make(chan proto.Signal, 4)
	parties := make(chan string, 4)
	m.Start(func(user string, s proto.Signal) {
		if s.Kind == "offer" {
			parties <- user
			offers <- s
		}
	})
	m.Op(acd.MediaOp{Kind: acd.MediaConnected, CallID: "c1", Legs: []string{"k", "a"}})
	phones := map[string]*rawPhone{}
	for range 2 {
		var user string
		var o proto.Signal
		select {
		case user = <-parties:
			o = <-offers
		case <-time.After(10 * time.Second):
			t.Fatal("no offer within 10 s")
		}
		var ps []dtls.SRTPProtectionProfile
		if user == "k" {
			ps = profiles
		}
		p, sdp := answer(t, o.SDP, user == "a", ps)
		phones[user] = p
		m.Signal(user, proto.Signal{CallID: o.CallID, Kind: "answer", SDP: sdp})
	}
	k, a := phones["k"], phones["a"]
	var seq uint16
	talk(t, "the call", 50, k, a, &seq)
	st := m.Stats()
	if st.OwnLegs != 1 || st.OwnIn == 0 || st.OwnOut == 0 || st.OwnRejected != 0 {
		t.Fatalf("want one leg on its own SRTP, both ways, nothing rejected: %+v", st)
	}
	if want := map[bool]int64{true: 1, false: 0}[gcm]; st.OwnGCMLegs != want {
		t.Fatalf("%d legs on srtpgcm's contexts, want %d", st.OwnGCMLegs, want)
	}

	// Forged SRTP to the kiosk's leg: RTP-looking, not authentic.
	if k.cand == nil {
		t.Fatal("no host candidate in the kiosk's offer")
	}
	c, err := net.DialUDP("udp4", nil, k.cand)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 5 {
		forged := append([]byte{0x80, 0, 0, byte(i), 0, 0, 0, 0, 0, 0, 0, 0x11}, bytes.Repeat([]byte{0x11}, 170)...)
		if _, err := c.Write(forged); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for perLeg && m.Stats().OwnRejected < 5 {
		if time.Now().After(deadline) {
			t.Fatalf("forged packets rejected: %d of 5 within 10 s", m.Stats().OwnRejected)
		}
		// Keep the call going meanwhile: the wait is on packets.
		talk(t, "forged packets coming", 1, k, a, &seq)
	}
	talk(t, "after forged packets", 20, k, a, &seq)
	st = m.Stats()
	t.Logf("stats %+v", st)
	if !perLeg && st.OwnRejected != 0 {
		t.Fatalf("on the shared sockets, %d packets from elsewhere were tried as a leg's", st.OwnRejected)
	}
}
