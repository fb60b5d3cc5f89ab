package media

import "testing"

// TestSharedSocketsInTurn: the calls take the groups of shared sockets in
// turn, so that no one mux's reader carries every leg's packets.
func TestSharedSocketsInTurn(t *testing.T) {
	u, err := openSharedUDP(true, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer u.close()
	if len(u.groups) != 3 || len(u.conns) != 3 {
		t.Fatalf("%d groups, %d sockets; want 3 and 3", len(u.groups), len(u.conns))
	}
	for i := range 7 {
		if g := u.nextGroup(); g != i%3 || u.mux(g) != u.groups[i%3].mux {
			t.Fatalf("call %d got group %d, want %d", i, g, i%3)
		}
	}
}

// TestACallsLegsShareAGroup: every leg of a call gets its call's group,
// so that what one leg's socket reads is forwarded on the same socket
// (one sendmmsg for a batch's forwards); the next call the next group.
func TestACallsLegsShareAGroup(t *testing.T) {
	u, err := openSharedUDP(true, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer u.close()
	a, b := &call{id: "a"}, &call{id: "b"}
	first := u.muxFor(a)
	if u.muxFor(a) != first || u.muxFor(a) != first {
		t.Fatal("a call's second and third legs got another group than its first")
	}
	if u.muxFor(b) == first {
		t.Fatal("the next call got the same group")
	}
	if a.udpGroup != 1 || b.udpGroup != 2 {
		t.Fatalf("groups %d and %d, want 1 and 2 (1 + the group)", a.udpGroup, b.udpGroup)
	}
}
