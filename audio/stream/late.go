package stream

import (
	"context"
	"time"

	"github.com/agentty/agentty/audio/device"
)

// A sound card (device.Scheduler) takes audio a period at a time and says
// when its queue runs dry: the player waits until then for a late packet,
// and gives back the part of a period the card holds ahead of each one.

// lateMargin is how long before a Scheduler sink runs dry the player
// stops waiting for a late packet: the time to wake, decode and queue the
// audio, with room for a late wake-up.
const lateMargin = time.Millisecond

// await, for a sound card that says when its queue runs dry, waits for
// the next packet until lateMargin before then, and returns that moment:
// when the packet was needed, which the jitter buffer measures each
// packet's slack against. A packet that arrives after the card asked for
// room, but before then, plays in its place instead of being concealed,
// so the jitter buffer need not hold every packet from before the card
// asks. The zero time when the player is not about to pop.
func (p *Player) await(ctx context.Context, s device.Scheduler, late *time.Timer) time.Time {
	p.mu.Lock()
	jb := p.jb
	if jb == nil || p.up.Pending() > 0 {
		p.mu.Unlock()
		return time.Time{}
	}
	dl, spare, ok := s.Deadline()
	if ok {
		p.watchSpare(spare)
	}
	p.mu.Unlock()
	if !ok {
		return time.Time{}
	}
	due := dl.Add(-lateMargin)
	for !jb.Ready() {
		wait := time.Until(due)
		if wait <= 0 {
			break
		}
		late.Reset(wait)
		select {
		case <-ctx.Done():
			return due
		case <-p.arrived:
		case <-late.C:
		}
		late.Stop()
	}
	return due
}

const (
	// spareWindow is how many pops the sink's spare is watched over.
	spareWindow = 50
	// spareKept is the spare left in the sink's queue: the card's periods
	// are not all exactly alike.
	spareKept = 500 * time.Microsecond
)

// watchSpare gives back the part of a period a Scheduler sink held at
// every pop of a window beyond spareKept: audio queued ahead of each new
// packet that no deadline needs. p.mu held.
func (p *Player) watchSpare(spare time.Duration) {
	if p.spareN == 0 || spare < p.minSpare {
		p.minSpare = spare
	}
	if p.spareN++; p.spareN < spareWindow {
		return
	}
	if give := p.minSpare - spareKept; give >= time.Millisecond {
		p.up.Cut(give)
	}
	p.spareN = 0
}
