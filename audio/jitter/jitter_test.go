package jitter

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

const frame = 20 * time.Millisecond

// arrival is one packet's fate in a simulated network.
type arrival struct {
	seq   int
	delay time.Duration // network delay
	lost  bool
}

// sim sends n packets every 20 ms (sequence from seq0, timestamps from
// 960*i) with delays from fate, pops every 20 ms at a 7 ms phase, and
// returns the kinds popped and the sequence numbers played.
type simResult struct {
	kinds  []Kind
	played []int
	delays []time.Duration // target delay after each pop
	waits  []time.Duration // for each packet played, how long it was buffered
	st     Stats
}

func sim(b *Buffer, n int, seq0 uint16, fate func(i int) arrival) simResult {
	type ev struct {
		at  time.Time
		pop bool
		a   arrival
	}
	var evs []ev
	arrived := make([]time.Time, n)
	for i := 0; i < n; i++ {
		a := fate(i)
		a.seq = i
		arrived[i] = t0.Add(time.Duration(i)*frame + a.delay)
		if !a.lost {
			evs = append(evs, ev{at: t0.Add(time.Duration(i)*frame + a.delay), a: a})
		}
	}
	for k := 0; k < n+40; k++ {
		evs = append(evs, ev{at: t0.Add(time.Duration(k)*frame + 7*time.Millisecond), pop: true})
	}
	slices.SortStableFunc(evs, func(x, y ev) int { return x.at.Compare(y.at) })
	var r simResult
	payload := []byte{0, 0}
	for _, e := range evs {
		if e.pop {
			f := b.Pop(e.at)
			r.kinds = append(r.kinds, f.Kind)
			if f.Kind == KindPacket {
				r.played = append(r.played, int(f.Payload[0])<<8|int(f.Payload[1]))
				r.waits = append(r.waits, e.at.Sub(arrived[r.played[len(r.played)-1]]))
				if got, want := f.Seq, seq0+uint16(r.played[len(r.played)-1]); got != want {
					panic("seq/payload mismatch")
				}
			}
			r.delays = append(r.delays, b.Stats().Target)
			continue
		}
		payload[0], payload[1] = byte(e.a.seq>>8), byte(e.a.seq)
		b.Push(Packet{Seq: seq0 + uint16(e.a.seq), Timestamp: uint32(e.a.seq * 960), Payload: payload}, e.at)
	}
	r.st = b.Stats()
	return r
}

func count(kinds []Kind, k Kind) int {
	n := 0
	for _, x := range kinds {
		if x == k {
			n++
		}
	}
	return n
}

func inOrder(t *testing.T, played []int) {
	t.Helper()
	for i := 1; i < len(played); i++ {
		if played[i] <= played[i-1] {
			t.Fatalf("played out of order at %d: %v", i, played[max(0, i-3):min(len(played), i+3)])
		}
	}
}

func TestSteadyStreamLowDelay(t *testing.T) {
	b := New(Config{})
	r := sim(b, 500, 65000, func(int) arrival { return arrival{delay: 30 * time.Millisecond} })
	inOrder(t, r.played)
	// Playout starts a target delay after the first packet; the second's
	// surplus is dropped once, and from then on every packet is played at
	// the first pop after it arrived (17 ms later at this phase).
	if len(r.played)+int(r.st.Dropped) != 500 || r.st.Dropped > 1 {
		t.Fatalf("played %d of 500 (stats %+v)", len(r.played), r.st)
	}
	if c := count(r.kinds[:500], KindUnderrun) + count(r.kinds[:500], KindLost); r.st.Lost != 0 || r.st.Late != 0 || c != 0 {
		t.Fatalf("steady stream: %d concealed, %+v", c, r.st)
	}
	for i, w := range r.waits[60:] {
		if w != 17*time.Millisecond {
			t.Fatalf("packet %d waited %v in the buffer, want 17ms (the next pop)", r.played[60+i], w)
		}
	}
	if r.st.Target > 20*time.Millisecond {
		t.Fatalf("steady stream target %v, want one frame", r.st.Target)
	}
}

func TestReorderedPairsNoLoss(t *testing.T) {
	b := New(Config{})
	// Every 10th packet is overtaken by the next one (arrives 25 ms later).
	r := sim(b, 500, 100, func(i int) arrival {
		if i%10 == 5 {
			return arrival{delay: 45 * time.Millisecond}
		}
		return arrival{delay: 20 * time.Millisecond}
	})
	inOrder(t, r.played)
	if r.st.Lost != 0 || len(r.played) < 495 {
		t.Fatalf("reordering lost packets: played %d, %+v", len(r.played), r.st)
	}
}

func TestRandomLossIsCountedAndConcealed(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	b := New(Config{})
	lost := 0
	r := sim(b, 1000, 0, func(i int) arrival {
		if i > 0 && i < 990 && rng.Float64() < 0.05 {
			lost++
			return arrival{lost: true}
		}
		return arrival{delay: 10 * time.Millisecond}
	})
	inOrder(t, r.played)
	// A burst of two looks like an underrun at first (playout waits one
	// frame), and the extra frame of delay is dropped a second later.
	if int(r.st.Lost) != lost || len(r.played)+int(r.st.Dropped) != 1000-lost || r.st.Dropped > 3 {
		t.Fatalf("lost %d, counted %d, played %d (%+v)", lost, r.st.Lost, len(r.played), r.st)
	}
	// With no jitter the buffer holds nothing spare: a loss is first
	// concealed as an underrun, and the slot is known lost at the next
	// pop, which plays on with no added delay. Two losses in a row look
	// like a late packet (one more concealment, one frame more delay).
	if c := count(r.kinds[:1000], KindLost) + count(r.kinds[:1000], KindUnderrun); c < lost || c > lost+3 {
		t.Fatalf("pops concealed %d times, want %d (+3 at most)", c, lost)
	}
}

// TestDelayFollowsJitter: 60 ms of jitter raises the target delay and keeps
// concealment rare; when the jitter goes away the delay comes back down.
func TestDelayFollowsJitter(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	b := New(Config{})
	r := sim(b, 1500, 0, func(i int) arrival {
		if i < 750 {
			return arrival{delay: 10*time.Millisecond + time.Duration(rng.IntN(60))*time.Millisecond}
		}
		return arrival{delay: 10 * time.Millisecond}
	})
	inOrder(t, r.played)
	mid := r.delays[700]
	if mid < 50*time.Millisecond || mid > 120*time.Millisecond {
		t.Errorf("target under 60 ms of jitter = %v, want 50..120 ms", mid)
	}
	if end := r.delays[1450]; end > 30*time.Millisecond {
		t.Errorf("target after jitter stopped = %v, want <= 30 ms", end)
	}
	if r.st.Dropped == 0 {
		t.Errorf("delay never shrank: %+v", r.st)
	}
	for _, w := range r.waits[len(r.waits)-100:] {
		if w >= frame {
			t.Fatalf("after the jitter stopped a packet still waited %v in the buffer", w)
		}
	}
	conceal := count(r.kinds[100:740], KindUnderrun) + count(r.kinds[100:740], KindLost)
	if conceal > 640/20 {
		t.Errorf("concealed %d of 640 frames under jitter (> 5%%)", conceal)
	}
	if r.st.Late > 30 {
		t.Errorf("%d late packets", r.st.Late)
	}
	t.Logf("jitter phase target %v, end target %v, stats %+v", mid, r.delays[1450], r.st)
}

func TestLateAndDuplicate(t *testing.T) {
	b := New(Config{})
	p := func(seq uint16) Packet { return Packet{Seq: seq, Timestamp: uint32(seq) * 960, Payload: []byte{1}} }
	now := t0
	b.Push(p(10), now)
	b.Push(p(10), now)
	b.Push(p(12), now)
	now = now.Add(frame)
	if f := b.Pop(now); f.Kind != KindPacket || f.Seq != 10 {
		t.Fatalf("pop 1 = %+v", f)
	}
	if f := b.Pop(now); f.Kind != KindLost || f.Seq != 11 || len(f.Next) != 1 {
		t.Fatalf("pop 2 = %+v", f)
	}
	b.Push(p(11), now) // too late now
	if f := b.Pop(now); f.Kind != KindPacket || f.Seq != 12 {
		t.Fatalf("pop 3 = %+v", f)
	}
	if f := b.Pop(now); f.Kind != KindUnderrun {
		t.Fatalf("pop 4 = %+v", f)
	}
	st := b.Stats()
	if st.Duplicate != 1 || st.Late != 1 || st.Lost != 1 || st.Concealed != 2 || st.Received != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestWaitingThenResetAfterSilence(t *testing.T) {
	b := New(Config{ResetAfter: 100 * time.Millisecond})
	if f := b.Pop(t0); f.Kind != KindWaiting {
		t.Fatalf("empty buffer pop = %v", f.Kind)
	}
	b.Push(Packet{Seq: 1, Payload: []byte{1}}, t0)
	if f := b.Pop(t0.Add(frame)); f.Kind != KindPacket {
		t.Fatalf("pop = %v", f.Kind)
	}
	for i := 0; i < 5; i++ {
		b.Pop(t0.Add(frame))
	}
	if st := b.Stats(); st.Resets != 1 {
		t.Fatalf("no reset after silence: %+v", st)
	}
	// A new talk spurt far ahead restarts cleanly.
	b.Push(Packet{Seq: 40000, Timestamp: 1 << 30, Payload: []byte{2}}, t0.Add(time.Second))
	if f := b.Pop(t0.Add(time.Second + frame)); f.Kind != KindPacket || f.Seq != 40000 {
		t.Fatalf("after restart pop = %+v", f)
	}
}

func TestMaxDelayOverflowDrops(t *testing.T) {
	b := New(Config{MaxDelay: 100 * time.Millisecond})
	for i := 0; i < 30; i++ {
		b.Push(Packet{Seq: uint16(i), Timestamp: uint32(i * 960), Payload: []byte{1}}, t0)
	}
	for i := 0; i < 30; i++ {
		b.Pop(t0.Add(time.Second))
	}
	if st := b.Stats(); st.Dropped == 0 {
		t.Fatalf("burst beyond max delay not dropped: %+v", st)
	}
}

func TestKindString(t *testing.T) {
	for k, s := range map[Kind]string{KindUnknown: "unknown", KindWaiting: "waiting", KindPacket: "packet", KindLost: "lost", KindUnderrun: "underrun"} {
		if k.String() != s {
			t.Errorf("%d = %q", k, k.String())
		}
	}
}

// TestTrimBringsPlayoutToTheArrival: a consumer that plays only part of a
// frame when offered Trim pops that much sooner from then on. With packets
// arriving 17 ms before the fixed pop phase, the waits fall to the margin
// (2 ms plus the jitter, none here) within a few seconds and nothing is
// concealed; with 4 ms of jitter the margin grows and still nothing is.
func TestTrimBringsPlayoutToTheArrival(t *testing.T) {
	for _, tc := range []struct {
		name    string
		jitter  int // ms, uniform
		maxWait time.Duration
	}{
		{"steady", 0, 3 * time.Millisecond},
		{"4 ms of jitter", 4, 10 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, 6))
			b := New(Config{PartialFrames: true})
			const n = 500
			arr := make([]time.Time, n)
			for i := range arr {
				d := 30 * time.Millisecond
				if tc.jitter > 0 {
					d += time.Duration(rng.IntN(tc.jitter*1000)) * time.Microsecond
				}
				arr[i] = t0.Add(time.Duration(i)*frame + d)
			}
			next := 0 // next packet to push
			pop := t0.Add(7 * time.Millisecond)
			var waits []time.Duration
			concealed, trims := 0, 0
			for k := 0; k < n-5; k++ {
				for next < n && !arr[next].After(pop) {
					b.Push(Packet{Seq: uint16(next), Timestamp: uint32(next * 960), Payload: []byte{byte(next >> 8), byte(next)}}, arr[next])
					next++
				}
				f := b.Pop(pop)
				step := frame
				switch f.Kind {
				case KindPacket:
					i := int(f.Payload[0])<<8 | int(f.Payload[1])
					waits = append(waits, pop.Sub(arr[i]))
					if f.Trim > 0 {
						trims++
						step -= f.Trim
					}
				case KindLost, KindUnderrun:
					if k > 2 {
						concealed++
					}
				}
				pop = pop.Add(step)
			}
			if concealed != 0 {
				t.Fatalf("%d frames concealed", concealed)
			}
			if trims == 0 {
				t.Fatal("no trim offered")
			}
			for _, w := range waits[len(waits)-100:] {
				if w > tc.maxWait || w < 0 {
					t.Fatalf("after trimming a packet waited %v (want <= %v); stats %+v", w, tc.maxWait, b.Stats())
				}
			}
			t.Logf("%d trims, last waits %v", trims, waits[len(waits)-5:])
		})
	}
}
