package app

import (
	"errors"
	"testing"

	"github.com/agentty/agentty/session"
)

// TestResolveDialSameEverywhere is the live bug of issue 18: "dial *72"
// searched contacts in the console and "dial +34 917 ..." reached the
// backend with its spaces from headless mode.
func TestResolveDialSameEverywhere(t *testing.T) {
	searched := false
	search := func(string) ([]string, error) { searched = true; return []string{"+1"}, nil }
	c, err := ResolveDial(session.Command{Verb: session.VerbDial, Number: "*72"}, search)
	if err != nil || c.Number != "*72" || searched {
		t.Errorf("dial *72: %v %q searched=%v", err, c.Number, searched)
	}
	c, err = ResolveDial(session.Command{Verb: session.VerbDial, Number: "+34 917 370 192"}, search)
	if err != nil || c.Number != "+34917370192" {
		t.Errorf("dial with spaces: %v %q", err, c.Number)
	}
	c, err = ResolveDial(session.Command{Verb: session.VerbDial, Number: "bob"}, search)
	if err != nil || c.Number != "+1" || !searched {
		t.Errorf("dial bob: %v %q", err, c.Number)
	}
	_, err = ResolveDial(session.Command{Verb: session.VerbDial, Number: "zed"}, func(string) ([]string, error) { return nil, nil })
	if !errors.Is(err, ErrNoContact) {
		t.Errorf("dial zed: %v", err)
	}
}

func TestCallerID(t *testing.T) {
	lookup := func(n string) (string, bool) { return "Ana", n == "+1" }
	e := CallerID(session.CallRinging{From: "+1", Direction: session.DirInbound}, lookup)
	if e.(session.CallRinging).Contact != "Ana" {
		t.Errorf("inbound: %+v", e)
	}
	e = CallerID(session.CallRinging{From: "me", To: "+1", Direction: session.DirOutbound}, lookup)
	if e.(session.CallRinging).Contact != "Ana" {
		t.Errorf("outbound: %+v", e)
	}
}
