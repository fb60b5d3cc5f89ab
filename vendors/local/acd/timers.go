package acd

import (
	"container/heap"
	"time"
)

type timerKind int

const (
	tRing   timerKind = iota // a call rang too long
	tWrap                    // wrap-up is over
	tRest                    // rest ran past its limit
	tGrace                   // a disconnected party did not come back
	tExt                     // an external number answers
	tRoster                  // supervisors get a fresh roster
	tBoard                   // agents and supervisors get queue.stats
)

type timer struct {
	at   time.Time
	kind timerKind
	p    *party
	c    *call
	gen  uint64
}

type timerHeap []timer

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h timerHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)        { *h = append(*h, x.(timer)) }
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}

// minCompact is the heap size below which stale timers are left alone.
const minCompact = 64

// after schedules t at at. Cancellation is lazy (a timer goes stale when its
// subject moves on), so after compacts the heap whenever it has grown to
// twice the live timers of the last compaction: an agent that toggles rest
// and ready, or calls that re-ring, cannot pile up stale timers without
// bound. The heap stays under 2×live+minCompact; compaction is amortised
// O(1) per push.
func (e *Engine) after(at time.Time, t timer) {
	t.at = at
	if len(e.timers) >= e.compactAt && len(e.timers) >= minCompact {
		e.compact()
	}
	heap.Push(&e.timers, t)
}

// compact drops every stale timer and restores the heap order.
func (e *Engine) compact() {
	live := e.timers[:0]
	for _, t := range e.timers {
		if !e.stale(t) {
			live = append(live, t)
		}
	}
	clear(e.timers[len(live):]) // let dropped parties and calls be collected
	e.timers = live
	heap.Init(&e.timers)
	e.compactAt = 2 * len(live)
}

// PendingTimers returns how many timers the heap holds, stale ones included.
func (e *Engine) PendingTimers() int { return len(e.timers) }

// Next returns when Fire next has something to do, or the zero time.
func (e *Engine) Next() time.Time {
	for len(e.timers) > 0 && e.stale(e.timers[0]) {
		heap.Pop(&e.timers)
	}
	if len(e.timers) == 0 {
		return time.Time{}
	}
	return e.timers[0].at
}

// stale reports a timer whose subject moved on (lazy cancellation).
func (e *Engine) stale(t timer) bool {
	switch t.kind {
	case tRing:
		return t.c.ringGen != t.gen || t.c.phase == phEnded
	case tExt:
		return t.c.extGen != t.gen || t.c.phase == phEnded
	case tWrap, tRest:
		return t.p.timerGen != t.gen
	case tGrace:
		return t.p.graceGen != t.gen || t.p.online
	}
	return false
}

// Fire runs every timer due at or before now.
func (e *Engine) Fire(now time.Time) []Output {
	for len(e.timers) > 0 && !e.timers[0].at.After(now) {
		t := heap.Pop(&e.timers).(timer)
		if e.stale(t) {
			continue
		}
		switch t.kind {
		case tRing:
			e.ringTimeout(t.at, t.c)
		case tWrap:
			t.p.timerGen++
			e.endWrap(t.at, t.p)
			e.setState(t.at, t.p, readyOrNot(t.p), "")
			e.route(t.at, t.p)
		case tRest:
			e.emitState(t.p, restTimeout(t.at, t.p))
		case tGrace:
			e.graceOver(t.at, t.p)
		case tExt:
			e.extAnswers(t.at, t.c)
		case tRoster:
			e.rosterAt = time.Time{}
			e.sendRoster(t.at)
		case tBoard:
			e.sendBoard(t.at)
		}
	}
	return e.flush()
}
