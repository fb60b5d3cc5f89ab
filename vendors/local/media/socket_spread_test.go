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
