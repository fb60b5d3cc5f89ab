package jitter

import (
	"testing"
	"time"
)

// TestWaitedSumsPlayedPackets: Stats.Played counts the packets Pop
// returned and Stats.Waited sums their time in the buffer, so that
// Waited/Played is the mean wait the latency bench reports.
func TestWaitedSumsPlayedPackets(t *testing.T) {
	b := New(Config{})
	r := sim(b, 200, 100, func(i int) arrival { return arrival{seq: i, delay: 5 * time.Millisecond} })
	if r.st.Played != uint64(len(r.played)) || r.st.Played == 0 {
		t.Fatalf("Played %d, want the %d packets played", r.st.Played, len(r.played))
	}
	var sum time.Duration
	for _, w := range r.waits {
		sum += w
	}
	if r.st.Waited != sum {
		t.Fatalf("Waited %v, want the sum of the waits %v", r.st.Waited, sum)
	}
}
