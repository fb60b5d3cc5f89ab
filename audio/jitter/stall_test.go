package jitter

import (
	"testing"
	"time"
)

// stallRun sends a packet every 20 ms with 3 ms of network delay and pops
// as a sound card does (a frame, less what the buffer trims, per pop);
// the consumer stalls for stall every every. It returns the mean wait of
// the played packets over the last 5 s of 20 s.
func stallRun(t *testing.T, partial bool, stall, every time.Duration) time.Duration {
	t.Helper()
	d, _ := stallLossRun(t, partial, stall, every, 0)
	return d
}

// stallLossRun is stallRun with every lossEvery-th packet lost (0: none);
// it also returns the buffer's counters.
func stallLossRun(t *testing.T, partial bool, stall, every time.Duration, lossEvery int) (time.Duration, Stats) {
	t.Helper()
	b := New(Config{PartialFrames: partial})
	const n = 1000 // 20 s
	next := 0      // next packet to push
	push := func(now time.Time) {
		for ; next < n && t0.Add(time.Duration(next)*frame+3*time.Millisecond).Before(now); next++ {
			if lossEvery > 0 && next%lossEvery == lossEvery-1 {
				continue
			}
			b.Push(Packet{Seq: uint16(next), Timestamp: uint32(960 * next), Payload: []byte{1}}, t0.Add(time.Duration(next)*frame+3*time.Millisecond))
		}
	}
	now := t0.Add(7 * time.Millisecond)
	stalled := time.Duration(0)
	var waited time.Duration
	var played uint64
	for now.Before(t0.Add(n * frame)) {
		push(now)
		f := b.Pop(now)
		if now.After(t0.Add(15*time.Second)) && played == 0 {
			st := b.Stats()
			waited, played = st.Waited, st.Played
		}
		step := frame
		if f.Kind == KindPacket {
			step -= f.Trim
		}
		now = now.Add(step)
		if stall > 0 && now.Sub(t0)-stalled >= every {
			now = now.Add(stall) // the consumer is held up: nothing pops
			stalled = now.Sub(t0)
		}
	}
	st := b.Stats()
	if st.Played == played {
		t.Fatal("nothing played")
	}
	return (st.Waited - waited) / time.Duration(st.Played-played), st
}

// TestStallTrimAddsNoLoss: with one packet in 20 lost (5 %) and no
// stalls, a sound card's buffer conceals exactly the lost packets and
// keeps a low delay.
func TestStallTrimAddsNoLoss(t *testing.T) {
	wait, st := stallLossRun(t, true, 0, 0, 20)
	t.Logf("mean wait %v, %+v", wait, st)
	// The last packet (999) is missing too: with nothing after it, it is
	// an underrun rather than a loss, concealed all the same.
	if st.Concealed != 50 || st.Lost < 49 {
		t.Errorf("lost %d concealed %d, want the 50 packets not sent concealed, no more", st.Lost, st.Concealed)
	}
	if wait > 10*time.Millisecond {
		t.Errorf("mean wait %v, want under 10 ms", wait)
	}
}

// TestStallsDoNotStackDelay: a sound card's player held up for 90 ms
// every 700 ms (a busy machine) comes back to the delay it had, instead of
// stacking every stall on the last; a steady consumer is unchanged.
func TestStallsDoNotStackDelay(t *testing.T) {
	steady := stallRun(t, true, 0, 0)
	stalled := stallRun(t, true, 90*time.Millisecond, 700*time.Millisecond)
	whole := stallRun(t, false, 90*time.Millisecond, 700*time.Millisecond)
	t.Logf("mean wait: steady %v, stalled %v (whole-frame consumer %v)", steady, stalled, whole)
	if steady > 10*time.Millisecond {
		t.Errorf("steady mean wait %v, want under 10 ms", steady)
	}
	if stalled > steady+60*time.Millisecond {
		t.Errorf("with stalls the mean wait is %v, want within 60 ms of the steady %v", stalled, steady)
	}
}
