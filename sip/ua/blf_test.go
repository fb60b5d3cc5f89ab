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

// TestStaleDialogNotifyDropped: Kamailio's presence workers may send a
// watcher's NOTIFYs out of order; a document numbered at or below the
// last one applied in the same subscription is dropped, and a new
// subscription (another notifier tag) starts counting again.
func TestStaleDialogNotifyDropped(t *testing.T) {
	wt := &watch{dialogs: map[string]DialogEntry{}}
	doc := func(v int, state string) DialogInfo {
		return DialogInfo{Version: v, Full: true, Dialogs: []DialogEntry{{ID: "d1", State: state, Direction: "recipient"}}}
	}
	steps := []struct {
		v       int
		state   string
		tag     string
		want    PeerState
		applied bool
	}{
		{1, "early", "a", PeerRinging, true},
		{3, "confirmed", "a", PeerOnCall, true},
		{2, "early", "a", "", false}, // late: the call is still on
		{3, "early", "a", "", false}, // a repeat
		{0, "early", "b", PeerRinging, true},
	}
	for i, s := range steps {
		st, ok := wt.apply(doc(s.v, s.state), s.tag)
		if ok != s.applied || (ok && st != s.want) {
			t.Fatalf("step %d (version %d, %s): %q, %v; want %q, %v", i, s.v, s.state, st, ok, s.want, s.applied)
		}
		if ok {
			wt.state = st
		}
	}
}
