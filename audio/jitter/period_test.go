package jitter

import (
	"testing"
	"time"
)

// TestLearnsThePacketPeriod: a far end packing 30 ms (or 10 ms) per packet
// is popped at that period once two pairs of packets agree; one timestamp
// jump (silence suppression) or a lone odd pair changes nothing.
func TestLearnsThePacketPeriod(t *testing.T) {
	for _, tc := range []struct {
		name string
		step uint32 // 8 kHz timestamp units per packet
		want time.Duration
	}{
		{"10 ms", 80, 10 * time.Millisecond},
		{"20 ms", 160, 20 * time.Millisecond},
		{"30 ms", 240, 30 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := New(Config{ClockRate: 8000})
			for i := range 3 {
				b.Push(Packet{Seq: uint16(i), Timestamp: uint32(i) * tc.step, Payload: []byte{1}}, t0)
			}
			if st := b.Stats(); st.Frame != tc.want || st.Target < tc.want {
				t.Fatalf("period %v target %v, want %v and a target of at least a packet", st.Frame, st.Target, tc.want)
			}
		})
	}
	b := New(Config{ClockRate: 8000})
	ts := uint32(0)
	for i, step := range []uint32{160, 160, 8000, 160, 240, 160} { // a 1 s jump, one odd pair
		b.Push(Packet{Seq: uint16(i), Timestamp: ts, Payload: []byte{1}}, t0)
		ts += step
	}
	if got := b.Stats().Frame; got != 20*time.Millisecond {
		t.Fatalf("period %v after a jump and an odd pair, want 20ms", got)
	}
}
