package app_test

import (
	"strings"
	"testing"

	"github.com/agentty/agentty/app"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/fake"
)

// A sip: target is dialled as it is, never looked up in the contacts; a
// backend that dials numbers only refuses it with one sentence, before it
// reaches the backend.
func TestSIPURITargets(t *testing.T) {
	searched := 0
	search := func(string) ([]string, error) { searched++; return []string{"+34 666 777 888"}, nil }
	const uri = "sip:2001@pbx.example"

	a := &app.Session{Search: search}
	if a.Searches(session.Command{Verb: session.VerbDial, Number: uri}) {
		t.Errorf("dial %s would search the contacts", uri)
	}
	evs := run(t, a, fake.NewPhone(nil, ""), "dial "+uri)
	var failed []string
	for _, e := range evs {
		switch e := e.(type) {
		case session.CallDialing:
			t.Errorf("a numbers-only phone dialled %s", e.To)
		case session.CommandFailed:
			failed = append(failed, e.Command+": "+e.Reason)
		}
	}
	if len(failed) != 1 || !strings.Contains(failed[0], "dials numbers only, not SIP addresses ("+uri+")") {
		t.Errorf("refusals %q", failed)
	}

	b := &app.Session{Search: search}
	evs = run(t, b, fake.NewPhone(nil, "").DialURIs(), "dial "+uri, "transfer sips:carol@pbx.example")
	var dialled, transferred []string
	for _, e := range evs {
		switch e := e.(type) {
		case session.CallDialing:
			dialled = append(dialled, e.To)
		case session.CallTransferred:
			transferred = append(transferred, e.ToNumber)
		case session.CommandFailed:
			t.Errorf("refused: %s: %s", e.Command, e.Reason)
		}
	}
	if len(dialled) != 1 || dialled[0] != uri || len(transferred) != 1 || transferred[0] != "sips:carol@pbx.example" {
		t.Errorf("dialled %v, transferred %v", dialled, transferred)
	}
	if searched != 0 {
		t.Errorf("searched the contacts %d times for a SIP address", searched)
	}
}
