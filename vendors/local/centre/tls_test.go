package centre

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/proto"
)

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns a
// pool that trusts it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "agentty test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// echoMedia answers every offer, as a media layer would.
type echoMedia struct {
	NopMedia
	send func(string, proto.Signal)
	ops  chan acd.MediaOp
}

func (m *echoMedia) Start(send func(string, proto.Signal)) { m.send = send }
func (m *echoMedia) Op(op acd.MediaOp) {
	select {
	case m.ops <- op:
	default:
	}
}
func (m *echoMedia) Signal(user string, s proto.Signal) {
	if s.Kind == "offer" {
		m.send(user, proto.Signal{CallID: s.CallID, Kind: "answer", SDP: "v=0 answer"})
	}
}

func TestTLSAndSignalling(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	media := &echoMedia{ops: make(chan acd.MediaOp, 64)}
	c := newCentre(t, ServerConfig{TLSCert: certFile, TLSKey: keyFile, Media: media})
	if !strings.HasPrefix(c.url, "wss://") {
		t.Fatalf("url %s", c.url)
	}
	got := make(chan proto.Signal, 1)
	tok := c.token(session.RoleAgent, "a")
	cl, err := local.NewClient(local.ClientConfig{Server: c.url, Token: tok, TLS: &tls.Config{RootCAs: pool},
		OnSignal: func(s proto.Signal) { got <- s }})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := cl.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if err := cl.Send(ctx, session.Command{Verb: session.VerbCheckIn}); err != nil {
		t.Fatal(err)
	}
	if err := cl.Send(ctx, session.Command{Verb: session.VerbReady}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.srv.SimCall(ctx, "+1", "general", nil); err != nil {
		t.Fatal(err)
	}
	if err := cl.Send(ctx, session.Command{Verb: session.VerbAnswer}); err != nil {
		t.Fatal(err)
	}
	var id string
	select {
	case op := <-media.ops:
		if op.Kind != acd.MediaConnected || len(op.Legs) != 2 {
			t.Errorf("media op %+v", op)
		}
		id = op.CallID
	case <-ctx.Done():
		t.Fatal("media layer not told the call connected")
	}
	// Signals cross only for a call in progress that the user is in.
	if err := cl.Signal(ctx, proto.Signal{CallID: id, Kind: "offer", SDP: "v=0 offer"}); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		if s.Kind != "answer" || s.CallID != id {
			t.Errorf("signal back %+v", s)
		}
	case <-ctx.Done():
		t.Fatal("no answer signal")
	}
	plain, _ := local.NewClient(local.ClientConfig{Server: c.url, Token: tok}) // system roots: refused
	defer plain.Close()
	if err := plain.Connect(ctx); err == nil {
		t.Errorf("self-signed certificate trusted without the pool")
	}
}
