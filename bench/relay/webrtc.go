package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/dtls/v3"
	"github.com/pion/dtls/v3/pkg/crypto/fingerprint"
	"github.com/pion/dtls/v3/pkg/crypto/selfsign"
	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
	"github.com/pion/stun/v4"
)

// A caller's WebRTC leg without a peer connection: it answers the
// centre's offer with one host candidate (its shared socket), answers the
// centre's ICE connectivity checks (the centre offers, so it controls and
// nominates; RFC 8445 7.3), runs DTLS as client once the centre has
// nominated the pair (the answer says a=setup:active), checks the
// centre's certificate against the offer's fingerprint, and keys one SRTP
// context for sending and one, with replay protection, for receiving
// (RFC 5764).

// rtcCert is the callers' certificate, one for every leg.
type rtcCert struct {
	tls tls.Certificate
	fp  string // sha-256 fingerprint, as SDP writes it
}

func newRTCCert() (rtcCert, error) {
	c, err := selfsign.GenerateSelfSigned()
	if err != nil {
		return rtcCert{}, err
	}
	x, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil {
		return rtcCert{}, err
	}
	fp, err := fingerprint.Fingerprint(x, crypto.SHA256)
	if err != nil {
		return rtcCert{}, err
	}
	return rtcCert{tls: c, fp: fp}, nil
}

// rtcLeg is a caller leg's WebRTC state.
type rtcLeg struct {
	ufrag, pwd string // ours
	centreFP   string // the centre's certificate fingerprint (the offer's)
	conn       *legConn
	started    atomic.Bool // the DTLS handshake has begun

	mu   sync.Mutex
	dtls *dtls.Conn

	// set before the leg's ready flag
	tx, rx *srtp.Context
	// the sender's and the reader's goroutine's, each its own
	txHdr, rxHdr rtp.Header
}

// offer is what the callers take from the centre's offer.
type offer struct {
	ufrag, pwd, fp, mid string
	port                int   // the centre's host candidate on 127.0.0.1
	opusPT              uint8 // the offer's Opus payload type, 0 when none
}

func parseOffer(sdp string) (offer, error) {
	var o offer
	for line := range strings.SplitSeq(sdp, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "a=ice-ufrag:"):
			o.ufrag = line[len("a=ice-ufrag:"):]
		case strings.HasPrefix(line, "a=ice-pwd:"):
			o.pwd = line[len("a=ice-pwd:"):]
		case strings.HasPrefix(line, "a=fingerprint:sha-256 "):
			o.fp = line[len("a=fingerprint:sha-256 "):]
		case strings.HasPrefix(line, "a=rtpmap:") && strings.Contains(strings.ToLower(line), " opus/48000"):
			pt, _ := strconv.Atoi(strings.Fields(line[len("a=rtpmap:"):])[0])
			o.opusPT = uint8(pt)
		case strings.HasPrefix(line, "a=mid:"):
			o.mid = line[len("a=mid:"):]
		case strings.HasPrefix(line, "a=candidate:") && o.port == 0:
			// foundation component transport priority address port typ host
			f := strings.Fields(line)
			if len(f) >= 8 && f[1] == "1" && strings.EqualFold(f[2], "udp") && f[4] == "127.0.0.1" && f[7] == "host" {
				o.port, _ = strconv.Atoi(f[5])
			}
		}
	}
	if o.ufrag == "" || o.pwd == "" || o.fp == "" || o.port == 0 {
		return o, errors.New("offer without ICE credentials, fingerprint or a 127.0.0.1 host candidate")
	}
	if o.mid == "" {
		o.mid = "0"
	}
	return o, nil
}

func randomString(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// newRTCLeg makes a leg for the centre's offer and returns the answer.
func (cs *clientSet) newRTCLeg(call, offerSDP string) (string, error) {
	o, err := parseOffer(offerSDP)
	if err != nil {
		return "", err
	}
	var b [4]byte
	rand.Read(b[:])
	ssrc := binary.BigEndian.Uint32(b[:]) | 1
	if cs.codec.name == "opus" && o.opusPT == 0 {
		return "", errors.New("offer without Opus")
	}
	pt, rtpmap := cs.codec.answer(o)
	r := &rtcLeg{ufrag: randomString(16), pwd: randomString(32), centreFP: o.fp}
	l := cs.addLeg(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: o.port}, ssrc, r)
	l.pt = pt
	cs.mu.Lock()
	if cs.byCall == nil {
		cs.byCall = map[string]*cleg{}
	}
	cs.byCall[call] = l
	cs.mu.Unlock()
	r.conn = newLegConn(l)
	local := l.localAddr()
	var sb strings.Builder
	fmt.Fprintf(&sb, "v=0\r\no=- %d 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", ssrc)
	fmt.Fprintf(&sb, "a=group:BUNDLE %s\r\na=msid-semantic:WMS *\r\n", o.mid)
	fmt.Fprintf(&sb, "m=audio %d UDP/TLS/RTP/SAVPF %d\r\nc=IN IP4 %s\r\n", local.Port, pt, local.IP)
	fmt.Fprintf(&sb, "a=mid:%s\r\na=ice-ufrag:%s\r\na=ice-pwd:%s\r\n", o.mid, r.ufrag, r.pwd)
	fmt.Fprintf(&sb, "a=fingerprint:sha-256 %s\r\na=setup:active\r\na=rtcp-mux\r\n", cs.cert.fp)
	fmt.Fprintf(&sb, "%sa=sendrecv\r\na=msid:bench audio\r\n", rtpmap)
	fmt.Fprintf(&sb, "a=ssrc:%d cname:bench\r\na=ssrc:%d msid:bench audio\r\n", ssrc, ssrc)
	fmt.Fprintf(&sb, "a=candidate:1 1 udp 2130706431 %s %d typ host\r\na=end-of-candidates\r\n", local.IP, local.Port)
	return sb.String(), nil
}

// stun answers one of the centre's connectivity checks; the first check
// that nominates the pair starts the DTLS handshake. The socket's reader
// goroutine only.
func (r *rtcLeg) stun(l *cleg, p []byte) {
	m := &stun.Message{Raw: append([]byte(nil), p...)}
	if err := m.Decode(); err != nil || m.Type != stun.BindingRequest {
		return
	}
	var user stun.Username
	if err := user.GetFrom(m); err != nil || !strings.HasPrefix(user.String(), r.ufrag+":") {
		return
	}
	if err := stun.NewShortTermIntegrity(r.pwd).Check(m); err != nil {
		return
	}
	resp, err := stun.Build(stun.NewTransactionIDSetter(m.TransactionID), stun.BindingSuccess,
		&stun.XORMappedAddress{IP: l.remote.IP, Port: l.remote.Port}, stun.NewShortTermIntegrity(r.pwd), stun.Fingerprint)
	if err != nil {
		return
	}
	l.sock.sendTo(resp.Raw, l.addr, l.remote.Port)
	if m.Contains(stun.AttrUseCandidate) && r.started.CompareAndSwap(false, true) {
		go r.handshake(l)
	}
}

// handshake runs DTLS as client and keys SRTP; the leg is ready after.
func (r *rtcLeg) handshake(l *cleg) {
	c, err := dtls.ClientWithOptions(r.conn, l.remote,
		dtls.WithCertificates(l.cs.cert.tls),
		dtls.WithSRTPProtectionProfiles(dtls.SRTP_AEAD_AES_256_GCM, dtls.SRTP_AEAD_AES_128_GCM, dtls.SRTP_AES128_CM_HMAC_SHA1_80),
		dtls.WithExtendedMasterSecret(dtls.RequireExtendedMasterSecret),
		dtls.WithInsecureSkipVerify(true), // self-signed: the fingerprint is the check
		dtls.WithVerifyPeerCertificate(r.verify))
	if err != nil {
		log.Printf("relay clients: dtls: %v", err)
		return
	}
	r.mu.Lock()
	r.dtls = c
	r.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.HandshakeContext(ctx); err != nil {
		l.cs.fail(fmt.Errorf("leg %v: dtls handshake: %w", l.localAddr(), err))
		return
	}
	if err := r.key(c); err != nil {
		log.Printf("relay clients: srtp: %v", err)
		return
	}
	l.ready.Store(true)
}

// verify checks the centre's certificate against the offer's fingerprint.
func (r *rtcLeg) verify(raw [][]byte, _ [][]*x509.Certificate) error {
	if len(raw) == 0 {
		return errors.New("no certificate")
	}
	x, err := x509.ParseCertificate(raw[0])
	if err != nil {
		return err
	}
	fp, err := fingerprint.Fingerprint(x, crypto.SHA256)
	if err != nil {
		return err
	}
	if !strings.EqualFold(fp, r.centreFP) {
		return errors.New("certificate does not match the offer's fingerprint")
	}
	return nil
}

// key makes the leg's SRTP contexts from the DTLS session (RFC 5764 4.2).
func (r *rtcLeg) key(c *dtls.Conn) error {
	dp, ok := c.SelectedSRTPProtectionProfile()
	if !ok {
		return errors.New("no SRTP protection profile")
	}
	var profile srtp.ProtectionProfile
	switch dp {
	case dtls.SRTP_AEAD_AES_256_GCM:
		profile = srtp.ProtectionProfileAeadAes256Gcm
	case dtls.SRTP_AEAD_AES_128_GCM:
		profile = srtp.ProtectionProfileAeadAes128Gcm
	case dtls.SRTP_AES128_CM_HMAC_SHA1_80:
		profile = srtp.ProtectionProfileAes128CmHmacSha1_80
	default:
		return fmt.Errorf("protection profile %v", dp)
	}
	state, ok := c.ConnectionState()
	if !ok {
		return errors.New("no DTLS state")
	}
	cfg := srtp.Config{Profile: profile}
	if err := cfg.ExtractSessionKeysFromDTLS(&state, true); err != nil {
		return err
	}
	return r.keyWith(profile, cfg.Keys.LocalMasterKey, cfg.Keys.LocalMasterSalt, cfg.Keys.RemoteMasterKey, cfg.Keys.RemoteMasterSalt)
}

// keyWith makes the leg's contexts: tx encrypts with the local key, rx
// decrypts with the remote one, with replay protection.
func (r *rtcLeg) keyWith(profile srtp.ProtectionProfile, lkey, lsalt, rkey, rsalt []byte) error {
	tx, err := srtp.CreateContext(lkey, lsalt, profile)
	if err != nil {
		return err
	}
	rx, err := srtp.CreateContext(rkey, rsalt, profile, srtp.SRTPReplayProtection(64))
	if err != nil {
		return err
	}
	r.tx, r.rx = tx, rx
	return nil
}

// anchorLeg is a udp anchor's leg that encrypts and decrypts as a webrtc
// leg does (-anchorsrtp), with one fixed key for every leg (the bare loop
// hands each leg's packets, unread, to the other leg of its call, which
// decrypts them with the same key). The callers then do the same work
// per packet on both paths: on a machine they share with the relay, less
// work on one path left the relay more of the machine on that path.
func anchorLeg() (*rtcLeg, error) {
	key, salt := make([]byte, 32), make([]byte, 12)
	for i := range key {
		key[i] = byte(i)
	}
	r := &rtcLeg{}
	return r, r.keyWith(srtp.ProtectionProfileAeadAes256Gcm, key, salt, key, salt)
}

func (r *rtcLeg) close() {
	r.mu.Lock()
	c := r.dtls
	r.mu.Unlock()
	if c != nil {
		c.Close()
	}
	if r.conn != nil {
		r.conn.Close()
	}
}
