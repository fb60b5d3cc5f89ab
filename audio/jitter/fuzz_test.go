package jitter

import (
	"testing"
	"time"
)

// FuzzBuffer drives the buffer with arbitrary pushes and pops: it must not
// panic, must play sequence numbers in increasing (extended) order and its
// counters must stay consistent.
func FuzzBuffer(f *testing.F) {
	f.Add([]byte{0, 1, 2, 255, 3, 4, 255, 255, 9, 255})
	f.Add([]byte{255, 255, 200, 100, 255, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		b := New(Config{ClockRate: 8000})
		now := t0
		base := uint16(65500)
		var last int64 = -1 << 40
		var popped uint64
		for _, op := range ops {
			now = now.Add(time.Duration(op%7) * time.Millisecond)
			if op == 255 {
				fr := b.Pop(now)
				if fr.Kind == KindPacket {
					popped++
					ext := int64(fr.Seq - base)
					if ext <= last && b.Stats().Resets == 0 {
						t.Fatalf("played %d after %d", ext, last)
					}
					last = ext
				}
				now = now.Add(20 * time.Millisecond)
				continue
			}
			seq := base + uint16(op)
			b.Push(Packet{Seq: seq, Timestamp: uint32(op) * 160, Payload: []byte{op}}, now)
		}
		st := b.Stats()
		if popped > st.Received {
			t.Fatalf("popped %d of %d received", popped, st.Received)
		}
	})
}
