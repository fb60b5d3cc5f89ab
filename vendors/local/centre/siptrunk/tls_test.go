package siptrunk

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/agentty/agentty/audio/rtpleg"
	"github.com/agentty/agentty/internal/selfcert"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/sdp"
	"github.com/agentty/agentty/vendors/local/store"
)

// writeCert writes a throwaway self-signed certificate for 127.0.0.1 and
// its key; it returns their paths and the certificate.
func writeCert(t *testing.T) (certPath, keyPath string, c selfcert.Cert) {
	t.Helper()
	c, err := selfcert.New("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certPath, c.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, c.KeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return certPath, keyPath, c
}

// tlsCaller is a sipgo phone that calls over TLS, trusting only pool. It
// does not listen: the centre's requests must come back on its connection.
type tlsCaller struct {
	ua   *sipgo.UserAgent
	srv  *sipgo.Server
	dua  *sipgo.DialogUA
	sess *sipgo.DialogClientSession
	bye  chan struct{}
}

func newTLSCaller(t *testing.T, c selfcert.Cert) *tlsCaller {
	t.Helper()
	ua, err := sipgo.NewUA(sipgo.WithUserAgent("tls-caller"), sipgo.WithUserAgentHostname("127.0.0.1"),
		sipgo.WithUserAgenTLSConfig(&tls.Config{RootCAs: c.Pool(), MinVersion: tls.VersionTLS12}))
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := sipgo.NewServer(ua)
	cli, err := sipgo.NewClient(ua, sipgo.WithClientHostname("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	tc := &tlsCaller{ua: ua, srv: srv, bye: make(chan struct{})}
	params := sip.NewParams()
	params.Add("transport", "tls")
	tc.dua = &sipgo.DialogUA{Client: cli, ContactHDR: sip.ContactHeader{Address: sip.Uri{User: "caller", Host: "127.0.0.1", Port: 5999, UriParams: params}}}
	srv.OnBye(func(req *sip.Request, tx sip.ServerTransaction) {
		if tc.sess != nil {
			_ = tc.sess.ReadBye(req, tx)
		}
		close(tc.bye)
	})
	t.Cleanup(func() { srv.Close(); ua.Close() })
	return tc
}

// dial sends an INVITE to number at the centre's TLS address; it returns
// the final status.
func (tc *tlsCaller) dial(t *testing.T, at netip.AddrPort, number string) int {
	t.Helper()
	ports, err := rtpleg.Listen(netip.MustParseAddr("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ports.Close() })
	offer, err := sdp.Offer(sdp.Local{Addr: netip.MustParseAddr("127.0.0.1"), RTPPort: ports.RTP().Port(), RTCPPort: ports.RTCP().Port(),
		Codecs: []string{"pcmu"}, User: "caller", SessionID: 1, Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	body, err := offer.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	params := sip.NewParams()
	params.Add("transport", "tls")
	req := sip.NewRequest(sip.INVITE, sip.Uri{User: number, Host: at.Addr().String(), Port: int(at.Port()), UriParams: params})
	req.SetBody(body)
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	req.AppendHeader(sip.NewHeader("P-Asserted-Identity", "<sip:+34600000099@127.0.0.1>"))
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	sess, err := tc.dua.WriteInvite(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	tc.sess = sess
	if err := sess.WaitAnswer(ctx, sipgo.AnswerOptions{}); err != nil {
		var e *sipgo.ErrDialogResponse
		if errors.As(err, &e) {
			return e.Res.StatusCode
		}
		t.Fatal(err)
	}
	if err := sess.Ack(ctx); err != nil {
		t.Fatal(err)
	}
	return 200
}

// TestTLSListener: a plain TCP client that writes SIP to the TLS port gets
// no SIP answer and its connection closed, and the centre serves on; a
// sipgo client over TLS (trusting the test's self-signed certificate)
// dials 900, joins the queue and reaches a ready agent, who answers and
// hangs up: the centre's BYE reaches the caller over its own TLS
// connection, and the record is answered, channel sip.
func TestTLSListener(t *testing.T) {
	certPath, keyPath, cert := writeCert(t)
	l := newLab(t, Config{ListenTLS: "127.0.0.1:0", TLSCert: certPath, TLSKey: keyPath, RTPTimeout: -1})
	defer func() {
		if t.Failed() {
			l.log.dump(t)
		}
	}()
	at := l.trunk.TLSAddr()
	if !at.IsValid() || at.Port() == 0 {
		t.Fatalf("TLS address %v", at)
	}

	plain, err := net.Dial("tcp", at.String())
	if err != nil {
		t.Fatal(err)
	}
	_ = plain.SetDeadline(time.Now().Add(wait))
	if _, err := io.WriteString(plain, "INVITE sip:900@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(plain)
	plain.Close()
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the TLS port kept a plain TCP connection open")
	}
	if strings.Contains(string(got), "SIP/2.0") {
		t.Fatalf("the TLS port answered plain SIP: %q", got)
	}

	a := l.agent("ana", 1400, "")
	a.goReady()
	c := newTLSCaller(t, cert)
	if code := c.dial(t, at, "900"); code != 200 {
		t.Fatalf("status %d over TLS, want 200", code)
	}
	a.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	if rc, _ := a.State.Ringing(); !strings.Contains(rc.Remote(), "+34600000099") {
		t.Errorf("agent sees the call from %q", rc.Remote())
	}
	a.MustDo("answer")
	a.WaitFor("talking", func(st session.State) bool { _, ok := st.Talking(); return ok })
	a.MustDo("hangup")
	select {
	case <-c.bye:
	case <-timeout():
		t.Fatal("the TLS caller got no BYE after the agent hung up")
	}
	r := l.record("answered record", func(r store.CallRecord) bool { return r.Disposition == "answered" })
	if r.Channel != "sip" || r.From != "+34600000099" || r.Agent != "ana" {
		t.Errorf("record %+v", r)
	}
	if n := len(l.calls()); n != 1 {
		t.Errorf("%d call records, want 1 (none for the plain TCP client)", n)
	}
}

// TestTLSBadCertificate: a missing certificate, a key that is not one, or
// listen_tls without them stops New with one line naming the files.
func TestTLSBadCertificate(t *testing.T) {
	certPath, keyPath, _ := writeCert(t)
	for _, cfg := range []Config{
		{ListenTLS: "127.0.0.1:0", TLSCert: "/nonexistent/cert.pem", TLSKey: keyPath},
		{ListenTLS: "127.0.0.1:0", TLSCert: certPath, TLSKey: certPath},
		{ListenTLS: "127.0.0.1:0"},
		{ListenTLS: "localhost", TLSCert: certPath, TLSKey: keyPath},
	} {
		cfg.Listen, cfg.Centre = "127.0.0.1:0", nopCentre{}
		tr, err := New(cfg)
		if err == nil {
			tr.Close()
			t.Errorf("%+v: no error", cfg)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "tls") {
			t.Errorf("error %q: want one line about tls", msg)
		}
	}
}

// nopCentre is a Centre that is never called (New fails first).
type nopCentre struct{}

func (nopCentre) TrunkCall(context.Context, string, string, string, func(string), func(session.Event)) (string, error) {
	return "", errors.New("nop")
}
func (nopCentre) TrunkEnd(context.Context, string, string) error { return nil }
func (nopCentre) SimLeave(context.Context, string) error         { return nil }
func (nopCentre) TrunkDTMF(context.Context, string, string) error {
	return nil
}
