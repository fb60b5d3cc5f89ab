package jitter

import "time"

// Pop returns what to play for the current frame period. The consumer calls
// it once per period (paced by the device or a ticker) with the current time.
func (b *Buffer) Pop(now time.Time) Frame {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.out != nil {
		b.free = append(b.free, b.out)
		b.out = nil
	}
	if !b.started {
		if len(b.pkts) == 0 || now.Sub(b.startAt) < b.st.Target {
			return Frame{Kind: KindWaiting}
		}
		b.started = true
		b.next = b.highest
		for k := range b.pkts {
			b.next = min(b.next, k)
		}
		b.minAvail, b.pops = 1<<30, 0
	}
	avail := b.highest - b.next + 1
	b.trackDepth(avail)
	target := b.frames(b.st.Target)
	switch {
	case avail > b.frames(b.cfg.MaxDelay):
		b.drop()
		avail--
	case b.pops >= 50:
		// For a whole second the buffer never held fewer than minAvail
		// frames: all but two of them were delay nobody needed.
		for excess := b.minAvail - 2; excess > 0 && avail > target; excess-- {
			b.drop()
			avail--
		}
		b.minAvail, b.pops = 1<<30, 0
	}
	b.st.Depth = int(max(0, avail))
	if s, ok := b.pkts[b.next]; ok {
		delete(b.pkts, b.next)
		b.next++
		b.underruns = 0
		b.out = s
		return Frame{Kind: KindPacket, Seq: s.seq, Timestamp: s.ts, Payload: s.buf}
	}
	b.st.Concealed++
	if b.highest >= b.next {
		b.st.Lost++
		b.next++
		b.underruns = 0
		f := Frame{Kind: KindLost, Seq: uint16(b.next - 1)}
		if s, ok := b.pkts[b.next]; ok {
			f.Next = s.buf
		}
		return f
	}
	b.underruns++
	if time.Duration(b.underruns)*b.cfg.Frame >= b.cfg.ResetAfter {
		b.reset()
		b.st.Resets++
	}
	return Frame{Kind: KindUnderrun, Seq: uint16(b.next)}
}

func (b *Buffer) trackDepth(avail int64) {
	b.pops++
	b.minAvail = min(b.minAvail, int(avail))
}

// drop discards the frame at the playout point to shrink the delay.
func (b *Buffer) drop() {
	if s, ok := b.pkts[b.next]; ok {
		delete(b.pkts, b.next)
		b.free = append(b.free, s)
	}
	b.next++
	b.st.Dropped++
}

// reset forgets playout state (keeps counters and the jitter estimate).
func (b *Buffer) reset() {
	for k, s := range b.pkts {
		delete(b.pkts, k)
		b.free = append(b.free, s)
	}
	b.started, b.haveAny, b.underruns = false, false, 0
	b.base = time.Time{}
	b.relN = 0
}

// Stats returns a snapshot of the counters.
func (b *Buffer) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.st
	s.Jitter = time.Duration(b.jitter * float64(time.Second))
	return s
}
