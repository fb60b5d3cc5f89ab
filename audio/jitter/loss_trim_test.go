package jitter

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestTrimUnderRandomLoss: with 5 % of the packets lost, each loss is
// an underrun at its slot (the next packet is not in yet), but not a late
// packet: the surplus delay is still given back, and playout comes to the
// arrivals as without loss.
func TestTrimUnderRandomLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	b := New(Config{PartialFrames: true})
	const n = 1000
	arr := make([]time.Time, n)
	lost := make([]bool, n)
	for i := range arr {
		arr[i] = t0.Add(time.Duration(i)*frame + 30*time.Millisecond)
		lost[i] = i > 5 && rng.Float64() < 0.05
	}
	next := 0
	pop := t0.Add(7 * time.Millisecond)
	var waits []time.Duration
	losses, trims, played := 0, 0, 0
	for k := 0; k < n-5; k++ {
		for next < n && !arr[next].After(pop) {
			if !lost[next] {
				b.Push(Packet{Seq: uint16(next), Timestamp: uint32(next * 960), Payload: []byte{byte(next >> 8), byte(next)}}, arr[next])
			}
			next++
		}
		f := b.Pop(pop)
		step := frame
		switch f.Kind {
		case KindPacket:
			played++
			i := int(f.Payload[0])<<8 | int(f.Payload[1])
			waits = append(waits, pop.Sub(arr[i]))
			if f.Trim > 0 {
				trims++
				step -= f.Trim
			}
		case KindLost, KindUnderrun:
			losses++
		}
		pop = pop.Add(step)
	}
	want := 0
	for _, l := range lost[:n-5] {
		if l {
			want++
		}
	}
	if trims == 0 {
		t.Fatalf("no trim offered under loss; stats %+v", b.Stats())
	}
	// Two losses in a row are two underruns at one slot (the first
	// packet could have been late): the frame of delay that adds is given
	// back as soon as the slot proves lost. Over the last 600 packets
	// nearly all find playout at their arrival (a fifth of them waited a
	// frame more when that frame was kept until a whole window showed
	// it unneeded).
	late := 0
	tail := waits[len(waits)-600:]
	for _, w := range tail {
		if w > 3*time.Millisecond || w < 0 {
			late++
		}
	}
	if late > len(tail)/20 {
		t.Fatalf("after trimming, %d of the last %d packets waited over 3 ms; stats %+v", late, len(tail), b.Stats())
	}
	if st := b.Stats(); st.Lost > uint64(want)+2 || played+want < n-5-10 {
		t.Fatalf("%d lost (%d dropped by the test), %d played of %d; stats %+v", st.Lost, want, played, n-5, st)
	}
	t.Logf("%d trims, %d packets lost, %d of the last %d waited over 3 ms", trims, want, late, len(tail))
}
