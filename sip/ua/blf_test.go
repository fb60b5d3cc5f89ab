package ua

import (
	"context"
	"testing"
	"time"
)

// alice watches baresip bob through Kamailio's presence server: idle,
// ringing while carol calls him, on a call once he answers, idle after.
func TestWatchColleagueThroughKamailio(t *testing.T) {
	_, b, alice, carol := threeParties(t)
	states := make(chan PeerState, 16)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := alice.Watch(ctx, []string{"bob"}, func(user string, st PeerState) {
		if user == "bob" {
			states <- st
		}
	}); err != nil {
		t.Fatal(err)
	}
	want := func(st PeerState) {
		t.Helper()
		deadline := time.After(15 * time.Second)
		for {
			select {
			case got := <-states:
				if got == st {
					return
				}
				t.Logf("bob is %q", got)
			case <-deadline:
				t.Fatalf("bob never %q", st)
			}
		}
	}
	want(PeerIdle)
	c, err := carol.Dial(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_INCOMING", 5*time.Second)
	want(PeerRinging)
	if _, err := b.Command("accept", ""); err != nil {
		t.Fatal(err)
	}
	want(PeerOnCall)
	carol.want(t, "answered")
	if err := c.Hangup(ctx); err != nil {
		t.Fatal(err)
	}
	want(PeerIdle)
}
