package session_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// A sip: or sips: URI is a dial and transfer target as it is (not a
// contact's name, not a syntax error); tel: too.
func TestSIPURITargets(t *testing.T) {
	for _, s := range []string{"sip:2001@pbx.example", "SIPS:carol@pbx.example;transport=tls", "tel:+34917370192"} {
		tg, err := session.ParseTarget(s)
		if err != nil || tg != (session.Target{Kind: session.TargetNumber, ID: s}) {
			t.Errorf("ParseTarget(%q) = %+v, %v; want the number %q", s, tg, err, s)
		}
		c, err := session.ParseCommand("transfer " + s)
		if err != nil || c.Target.ID != s || c.String() != "transfer "+s {
			t.Errorf("transfer %s: %+v %v (%q)", s, c, err, c.String())
		}
		if !session.IsSIPURI(s) != strings.HasPrefix(s, "tel:") {
			t.Errorf("IsSIPURI(%q) = %v", s, session.IsSIPURI(s))
		}
	}
	for _, s := range []string{"sip:", "tel:", "sips:"} {
		if tg, err := session.ParseTarget(s); err == nil {
			t.Errorf("ParseTarget(%q) = %+v, want an error", s, tg)
		}
	}
	c, err := session.ParseCommand("dial sip:2001@pbx.example")
	if err != nil || c.Number != "sip:2001@pbx.example" {
		t.Errorf("dial: %+v %v", c, err)
	}
}

// Check refuses a SIP address with one sentence when the backend dials
// numbers only (connection.established without uris), and lets it through
// when the backend dials URIs.
func TestCheckSIPURIByBackend(t *testing.T) {
	uris := session.ConnectionEstablished{Base: base(90), Vendor: "sipphone", Capabilities: session.Verbs(), URIs: true}
	for _, tc := range []struct{ fixture, cmd string }{
		{"ready", "dial sip:2001@pbx.example"},
		{"ready", "dial SIPS:2001@pbx.example"},
		{"talking", "transfer sip:carol@pbx.example"},
		{"talking", "consult sip:carol@pbx.example"},
	} {
		c, err := session.ParseCommand(tc.cmd)
		if err != nil {
			t.Fatalf("%s: %v", tc.cmd, err)
		}
		err = session.Check(build(t, fx(t, tc.fixture)...), c)
		var ce *session.CheckError
		if !errors.Is(err, session.ErrUnsupported) || !errors.As(err, &ce) || !strings.Contains(ce.Reason(), "dials numbers only, not SIP addresses") || strings.Contains(ce.Reason(), "\n") {
			t.Errorf("%s: %s on a numbers-only backend: %v", tc.fixture, tc.cmd, err)
		}
		if err := session.Check(build(t, join(fx(t, tc.fixture), evs(uris))...), c); err != nil {
			t.Errorf("%s: %s on a backend that dials URIs: %v", tc.fixture, tc.cmd, err)
		}
	}
	// Numbers, agents and groups are not SIP addresses.
	for _, cmd := range []string{"transfer 555", "transfer agent:bo", "transfer tel:+34917370192"} {
		c, _ := session.ParseCommand(cmd)
		if err := session.Check(build(t, fx(t, "talking")...), c); err != nil {
			t.Errorf("%s: %v", cmd, err)
		}
	}
}

func TestQualityOf(t *testing.T) {
	got := session.QualityOf(0.071, 12500*time.Microsecond, 80*time.Millisecond, 3.9)
	if want := (session.Quality{LossPct: 7.1, JitterMS: 12.5, RTTMS: 80, MOS: 3.9}); got.JitterMS != want.JitterMS || got.RTTMS != want.RTTMS || got.MOS != want.MOS || got.LossPct < 7.0999 || got.LossPct > 7.1001 {
		t.Errorf("QualityOf = %+v, want %+v", got, want)
	}
}
