package jitter

import (
	"testing"
	"time"
)

// TestQuantumTrimsWholePeriods: a consumer that takes audio a period at a
// time (Config.Quantum) is offered surplus delay in whole periods only;
// without a quantum any surplus beyond minTrim is offered.
func TestQuantumTrimsWholePeriods(t *testing.T) {
	const frame = 10 * time.Millisecond
	t0 := time.Unix(1000, 0)
	for _, tc := range []struct {
		slack, quantum, want time.Duration
	}{
		{6 * time.Millisecond, 0, 4 * time.Millisecond}, // slack less the 2 ms margin
		{6 * time.Millisecond, 5 * time.Millisecond, 0}, // 4 ms is less than a period
		{14 * time.Millisecond, 0, 12 * time.Millisecond},
		{14 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond},
	} {
		b := New(Config{Frame: frame, MinDelay: time.Millisecond, PartialFrames: true, Quantum: tc.quantum})
		var got time.Duration
		for k := 0; k < 2*shrinkWindow && got == 0; k++ {
			arr := t0.Add(time.Duration(k) * frame)
			b.Push(Packet{Seq: uint16(k), Timestamp: uint32(k * 480), Payload: []byte{1}}, arr)
			f := b.Pop(arr.Add(tc.slack))
			if f.Kind != KindPacket {
				t.Fatalf("slack %v: pop %d is %v", tc.slack, k, f.Kind)
			}
			got = f.Trim
		}
		if got != tc.want {
			t.Errorf("slack %v, quantum %v: trim %v, want %v", tc.slack, tc.quantum, got, tc.want)
		}
	}
}

// TestReady: a consumer may wait for the next slot's packet while Ready
// is false; a later packet makes the slot a loss it need not wait for.
func TestReady(t *testing.T) {
	t0 := time.Unix(1000, 0)
	b := New(Config{Frame: 10 * time.Millisecond, MinDelay: time.Millisecond})
	if !b.Ready() {
		t.Fatal("not ready before playout starts")
	}
	b.Push(Packet{Seq: 1, Timestamp: 480, Payload: []byte{1}}, t0)
	if f := b.Pop(t0.Add(10 * time.Millisecond)); f.Kind != KindPacket {
		t.Fatalf("first pop %v", f.Kind)
	}
	if b.Ready() {
		t.Fatal("ready with nothing for slot 2")
	}
	b.Push(Packet{Seq: 3, Timestamp: 1440, Payload: []byte{3}}, t0.Add(20*time.Millisecond))
	if !b.Ready() {
		t.Fatal("not ready with slot 3 in (slot 2 is lost)")
	}
	if f := b.Pop(t0.Add(20 * time.Millisecond)); f.Kind != KindLost {
		t.Fatalf("slot 2: %v, want lost", f.Kind)
	}
}

// TestLateStartSkipsStalePackets: a consumer whose first pop comes 680 ms
// after the first packet (a sound card slow to open) starts with the
// packets that arrived within the target and a frame, not 680 ms behind;
// one that starts on time plays from the first packet.
func TestLateStartSkipsStalePackets(t *testing.T) {
	t0 := time.Unix(1000, 0)
	const frame = 10 * time.Millisecond
	fill := func(b *Buffer, n int) {
		for i := range n {
			b.Push(Packet{Seq: uint16(i), Timestamp: uint32(480 * i), Payload: []byte{byte(i)}}, t0.Add(time.Duration(i)*frame))
		}
	}
	late := New(Config{Frame: frame, MinDelay: frame})
	fill(late, 68)
	f := late.Pop(t0.Add(680 * time.Millisecond))
	st := late.Stats()
	t.Logf("late start: first frame seq %d, target %v, dropped %d", f.Seq, st.Target, st.Dropped)
	if f.Kind != KindPacket || f.Seq < 65 {
		t.Fatalf("late start played %v seq %d, want one of the packets of the last target and frame (seq 65 to 67)", f.Kind, f.Seq)
	}
	if st.Depth > 3 {
		t.Fatalf("late start: depth %d frames after the first pop", st.Depth)
	}

	onTime := New(Config{Frame: frame, MinDelay: frame})
	fill(onTime, 1)
	if f := onTime.Pop(t0.Add(frame)); f.Kind != KindPacket || f.Seq != 0 {
		t.Fatalf("on-time start played %v seq %d, want the first packet", f.Kind, f.Seq)
	}
}
