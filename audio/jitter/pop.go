package jitter

import "time"

const (
	// shrinkWindow is how many pops the slack is watched over before
	// surplus delay is dropped (a second of 20 ms packets, half a second of 10 ms ones).
	shrinkWindow = 50
	// minMargin is the slack always kept on top of the measured jitter:
	// the consumer's own wake-up is not punctual either.
	minMargin = 2 * time.Millisecond
	maxSlack  = time.Duration(1<<63 - 1)
	// minTrim is the least surplus worth offering as Frame.Trim.
	minTrim = 2 * time.Millisecond
	// MaxTrim is the most offered with one frame (a consumer keeps some
	// of every frame it shortens); a larger surplus is spread over the
	// frames that follow.
	MaxTrim = 12 * time.Millisecond
)

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
		b.skipStale(now)
		b.minSlack, b.pops = maxSlack, 0
	}
	avail := b.highest - b.next + 1
	b.pops++
	b.afterStall(now)
	switch {
	case avail > b.frames(b.cfg.MaxDelay):
		b.drop()
		avail--
	case b.pops >= shrinkWindow:
		// For a whole window every packet waited at least minSlack
		// before it was played: beyond a margin for the jitter, that was
		// delay nobody needed. A consumer that plays part frames is
		// given it back a little per frame (Frame.Trim); for another,
		// whole frames of it are dropped.
		margin := minMargin + time.Duration(b.jitter*float64(time.Second))
		surplus := b.minSlack - margin
		switch {
		case b.minSlack == maxSlack || b.trim > 0:
			// nothing was played, or the last surplus is still being trimmed
		case b.cfg.PartialFrames:
			if t := b.quantize(surplus); t >= minTrim {
				b.trim = t
			}
		default:
			for ; surplus >= b.cfg.Frame && avail > 1; surplus -= b.cfg.Frame {
				b.drop()
				avail--
			}
		}
		b.minSlack, b.pops = maxSlack, 0
	}
	if b.concealedNext && b.highest > b.next {
		if _, ok := b.pkts[b.next]; !ok {
			// The last pop concealed this slot as an underrun and later
			// packets have come since: it was lost, and its concealment
			// has been played already. Play on from the next slot, with
			// no extra delay. A lost packet was not a late one: the
			// window's slack is what it was before the underrun, so that
			// under random loss the surplus delay is still given back.
			b.st.Lost++
			b.next++
			avail--
			b.minSlack = b.slackBefore
			// Each underrun after the first at this slot played a frame
			// more while waiting for a packet that never came: that
			// delay is nobody's, and a consumer that plays part frames
			// is given it back at once, as after a stall.
			if extra := b.underruns - 1; extra > 0 && b.cfg.PartialFrames {
				b.trim = b.quantize(time.Duration(extra) * b.cfg.Frame)
			}
		}
	}
	b.concealedNext = false
	b.st.Depth = int(max(0, avail))
	if s, ok := b.pkts[b.next]; ok {
		delete(b.pkts, b.next)
		b.next++
		b.underruns = 0
		b.out = s
		b.minSlack = min(b.minSlack, now.Sub(s.arr))
		b.st.Played++
		b.st.Waited += now.Sub(s.arr)
		f := Frame{Kind: KindPacket, Seq: s.seq, Timestamp: s.ts, Payload: s.buf, Trim: min(b.trim, MaxTrim)}
		b.trim -= f.Trim
		return f
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
	b.concealedNext = true
	if b.underruns == 0 {
		b.slackBefore = b.minSlack
	}
	b.underruns++
	b.trim = 0                // no delay to spare now
	b.minSlack = -b.cfg.Frame // late (unless lost): no delay to spare in this window
	if time.Duration(b.underruns)*b.cfg.Frame >= b.cfg.ResetAfter {
		b.reset()
		b.st.Resets++
	}
	return Frame{Kind: KindUnderrun, Seq: uint16(b.next)}
}

// Ready reports whether Pop has more for the next slot than an underrun:
// silence before playout starts, the packet, or a loss it can tell (a later
// packet is in). A consumer that can wait for a late packet until its
// sink runs dry (device.Scheduler) waits while Ready is false.
func (b *Buffer) Ready() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.started || b.highest >= b.next
}

// afterStall gives back, to a consumer that plays part frames (a sound
// card), the delay a stall of that consumer added. A sound card plays
// silence while its player is held up (a busy machine), and the packets
// that arrived meanwhile are then all in the buffer: every pop after is
// late by the stall. The surplus-watching shrink would give it back only
// after a whole second without an underrun, which on a busy machine may
// never come; each stall then stacked on the last, up to MaxDelay. Here a
// pop that comes two frames or more after the last offers the stall
// (less a frame and the margin) as Frame.Trim at once. An underrun cancels
// what is left of it.
func (b *Buffer) afterStall(now time.Time) {
	last := b.lastPop
	b.lastPop = now
	if !b.cfg.PartialFrames || last.IsZero() {
		return
	}
	if gap := now.Sub(last); gap >= 2*b.cfg.Frame {
		b.trim = max(b.trim, b.quantize(gap-b.cfg.Frame-minMargin))
	}
}

// quantize rounds a surplus down to whole quanta (Config.Quantum).
func (b *Buffer) quantize(d time.Duration) time.Duration {
	if q := b.cfg.Quantum; q > 0 {
		return d / q * q
	}
	return d
}

// skipStale starts playout after the packets that have waited longer
// than the target delay and a frame: a consumer that starts late (a sound
// card slow to open) would otherwise play from the first packet and keep
// the call that far behind, 0.7 to 1.5 s at the start of a demo call,
// until MaxDelay's drops and the trims caught up. The newest packet is
// always kept.
func (b *Buffer) skipStale(now time.Time) {
	for b.next < b.highest {
		if s, ok := b.pkts[b.next]; ok && now.Sub(s.arr) <= b.st.Target+b.cfg.Frame {
			return
		}
		b.drop()
	}
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
	b.lastPop, b.trim = time.Time{}, 0
	b.havePrev, b.candidate = false, 0
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
