package sip

import (
	"testing"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
)

// A far-end hold: baresip bob holds the call (re-INVITE sendonly through
// Kamailio); the console sees it as held by the far end while the call
// stays ours to hold (still talking), then resumed when bob resumes.
func TestFarEndHoldShown(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice, bob)
	b := startBob(t, k)
	a := newAgent(t, k, alice, 500, nil)
	talkToBob(t, b, a)
	if _, err := b.Command("hold", ""); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("held by bob", func(s session.State) bool { c, ok := s.Talking(); return ok && c.RemoteHeld })
	if _, err := b.Command("resume", ""); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("resumed by bob", func(s session.State) bool { c, ok := s.Talking(); return ok && !c.RemoteHeld })
}
