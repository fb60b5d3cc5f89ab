package siplab

import "testing"

func TestKamailioStartsAndRestarts(t *testing.T) {
	k := StartKamailio(t, "MD5", User{"alice", "secret"})
	k.Stop()
	if err := k.Start(); err != nil {
		t.Fatalf("restart: %v", err)
	}
}
