package srtpkeys

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/pion/dtls/v3"
	"github.com/pion/dtls/v3/pkg/crypto/selfsign"
	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
)

// shake runs a real DTLS handshake on loopback between a server
// whose secrets srv catches and a client whose key log goes to cli (nil:
// none), and returns the client's connection state.
func shake(t *testing.T, suite dtls.CipherSuiteID, profile dtls.SRTPProtectionProfile, srv, cli *Catcher) dtls.State {
	t.Helper()
	cert, err := selfsign.GenerateSelfSigned()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := func() *dtls.Config {
		return &dtls.Config{Certificates: []tls.Certificate{cert}, InsecureSkipVerify: true,
			CipherSuites: []dtls.CipherSuiteID{suite}, SRTPProtectionProfiles: []dtls.SRTPProtectionProfile{profile}}
	}
	scfg := cfg()
	scfg.ServerHelloMessageHook = srv.serverHello
	scfg.KeyLogWriter = srv
	server, err := dtls.Server(sc, cc.LocalAddr(), scfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	ccfg := cfg()
	if cli != nil {
		ccfg.KeyLogWriter = cli
	}
	client, err := dtls.Client(cc, sc.LocalAddr(), ccfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	done := make(chan error, 1)
	go func() { done <- server.HandshakeContext(ctx) }()
	if err := client.HandshakeContext(ctx); err != nil {
		t.Fatalf("client handshake: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("server handshake: %v", err)
	}
	st, ok := client.ConnectionState()
	if !ok {
		t.Fatal("no client state")
	}
	return st
}

// TestKeysMatchPions checks the caught keys against pion's own exporter
// on the other end of a real handshake, for both PRF hashes and both
// kinds of SRTP profile: the exported material is equal, and a packet
// the catcher's context encrypts decrypts with the client's keys, and
// the other way round.
func TestKeysMatchPions(t *testing.T) {
	for _, tc := range []struct {
		name    string
		suite   dtls.CipherSuiteID
		profile dtls.SRTPProtectionProfile
		srtp    srtp.ProtectionProfile
	}{
		{"gcm-sha256", dtls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, dtls.SRTP_AEAD_AES_128_GCM, srtp.ProtectionProfileAeadAes128Gcm},
		{"sha384-cm", dtls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, dtls.SRTP_AES128_CM_HMAC_SHA1_80, srtp.ProtectionProfileAes128CmHmacSha1_80},
		{"cbc-sha", dtls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, dtls.SRTP_AES128_CM_HMAC_SHA1_80, srtp.ProtectionProfileAes128CmHmacSha1_80},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ready := make(chan struct{}, 2)
			c := &Catcher{ready: func() { ready <- struct{}{} }}
			st := shake(t, tc.suite, tc.profile, c, nil)
			select {
			case <-ready:
			default:
				t.Fatal("ready was not called by the handshake's end")
			}
			want, err := st.ExportKeyingMaterial("EXTRACTOR-dtls_srtp", nil, 60)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.ExportKeyingMaterial("EXTRACTOR-dtls_srtp", nil, 60)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("exported %x\nwant     %x", got, want)
			}
			in, out, err := c.Contexts(64)
			if err != nil {
				t.Fatal(err)
			}
			cfg := srtp.Config{Profile: tc.srtp}
			if err := cfg.ExtractSessionKeysFromDTLS(&st, true); err != nil {
				t.Fatal(err)
			}
			cin, err := srtp.CreateContext(cfg.Keys.RemoteMasterKey, cfg.Keys.RemoteMasterSalt, tc.srtp)
			if err != nil {
				t.Fatal(err)
			}
			cout, err := srtp.CreateContext(cfg.Keys.LocalMasterKey, cfg.Keys.LocalMasterSalt, tc.srtp)
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, "server to client", out, cin)
			roundTrip(t, "client to server", cout, in)
			if len(ready) != 0 {
				t.Fatal("ready was called twice")
			}
		})
	}
}

func roundTrip(t *testing.T, what string, enc, dec *srtp.Context) {
	t.Helper()
	h := rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: 65530, Timestamp: 960, SSRC: 0x1234}
	plain, err := (&rtp.Packet{Header: h, Payload: []byte("twenty milliseconds of speech")}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := enc.EncryptRTP(nil, plain, nil)
	if err != nil {
		t.Fatal(err)
	}
	opened, err := dec.DecryptRTP(nil, sealed, nil)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !bytes.Equal(opened, plain) {
		t.Fatalf("%s: opened %x, want %x", what, opened, plain)
	}
}

// TestClientSideIsIncomplete checks that a Catcher on the DTLS client's
// side (no server hello of its own) never claims keys.
func TestClientSideIsIncomplete(t *testing.T) {
	called := false
	cli := &Catcher{ready: func() { called = true }}
	shake(t, dtls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, dtls.SRTP_AEAD_AES_128_GCM, &Catcher{ready: func() {}}, cli)
	if called {
		t.Fatal("ready called on the client's side")
	}
	if _, _, err := cli.Contexts(64); !errors.Is(err, ErrIncomplete) {
		t.Fatalf("Contexts on the client's side: %v, want ErrIncomplete", err)
	}
}

// TestBadKeyLog checks that a key log line it cannot read makes the keys
// unrecoverable (an error, never wrong keys).
func TestBadKeyLog(t *testing.T) {
	c := &Catcher{ready: func() { t.Fatal("ready after a bad line") }}
	c.hello, c.profile, c.suite = true, srtp.ProtectionProfileAeadAes128Gcm, dtls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
	if _, err := c.Write([]byte("CLIENT_RANDOM zz 00\n")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Contexts(64); err == nil {
		t.Fatal("Contexts after a bad key log line: no error")
	}
}

func FuzzKeyLog(f *testing.F) {
	f.Add([]byte("CLIENT_RANDOM 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 0011\n"))
	f.Add([]byte("CLIENT_RANDOM 00\nCLIENT_RANDOM"))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c := &Catcher{ready: func() {}}
		c.hello, c.profile, c.suite = true, srtp.ProtectionProfileAeadAes128Gcm, dtls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
		if n, err := c.Write(b); n != len(b) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
		_, _ = c.ExportKeyingMaterial("EXTRACTOR-dtls_srtp", nil, 60)
	})
}
