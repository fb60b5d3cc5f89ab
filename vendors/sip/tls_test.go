package sip

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/vendors"
)

// Over TLS: alice registers on Kamailio's TLS port (trusting the lab's
// throwaway certificate through tls_ca), calls baresip bob (on UDP, so
// Kamailio bridges the transports) and hears him; bob then calls her
// back, which reaches her over TLS.
func TestTLSRegisterAndCall(t *testing.T) {
	k := siplab.StartKamailioTLS(t, "MD5", alice, bob)
	b := startBob(t, k)
	a := newAgent(t, k, alice, 500, map[string]string{"transport": "tls", "domain": k.TLSAddr(), "tls_ca": k.CAFile})
	loc, err := k.Lookup(alice.Name)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(loc, "transport=tls") || !strings.Contains(loc, "tls:"+k.TLSAddr()) {
		t.Fatalf("alice is not registered over TLS:\n%s", loc)
	}
	t.Logf("location:\n%s", loc)
	talkToBob(t, b, a)
	a.MustDo("hangup")
	a.WaitFor("idle", idle)
	if _, err := b.Command("dial", "sip:"+alice.Name+"@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("bob rings alice over TLS", ringing)
	a.MustDo("answer")
	a.WaitFor("talking to bob", talking)
	siplab.WaitTone(t, a.lastDev(t), 1000, 5*time.Second)
}

// Without the lab's CA the certificate is refused: connect fails and
// says why.
func TestTLSUntrustedCertificate(t *testing.T) {
	k := siplab.StartKamailioTLS(t, "MD5", alice)
	v, err := vendors.New("sip", vendors.Config{Options: map[string]string{"user": alice.Name, "password": alice.Password,
		"domain": k.TLSAddr(), "transport": "tls"}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	err = connectWithin(quiet(v), 5*time.Second)
	if err == nil {
		t.Fatal("connected to a server whose certificate nobody trusts")
	}
	t.Logf("connect: %v", err)
	if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("the error does not say the certificate is the cause: %v", err)
	}
}
