//go:build cgo

package device

import (
	"context"
	"time"
)

// WaitWritable implements Waiter: it blocks while the playback queue is
// full. On a device opened with NoPlayback it returns at once (WriteFrame
// paces).
func (m *Malgo) WaitWritable(ctx context.Context) error {
	if m.ply == nil {
		return ctx.Err()
	}
	if !m.plyAdapted { // once per frame, however often the player asks
		m.adaptPlayback()
		m.plyAdapted = true
	}
	for m.plyRing.len()+FrameSamples > m.plyLimit {
		select {
		case <-m.done:
			return ErrClosed
		case <-ctx.Done():
			return ctx.Err()
		case <-m.plySpace:
		}
	}
	return nil
}

// Deadline implements Scheduler. The card takes a period at each
// callback, one period after the last: the first callback that finds less
// than a period queued is when the queue runs out.
func (m *Malgo) Deadline() (time.Time, time.Duration, bool) {
	last := m.plyLast.Load() // 0 until the card takes audio, and for ever without playback
	if last == 0 {
		return time.Time{}, 0, false
	}
	queued := m.plyRing.len()
	periods := queued/m.period + 1
	return m.epoch.Add(time.Duration(last) + time.Duration(periods)*m.Period()), samplesDuration(uint64(queued % m.period)), true
}

// Period implements Scheduler.
func (m *Malgo) Period() time.Duration { return samplesDuration(uint64(m.period)) }

// adaptPlayback grows the playback queue by a period when the card ran dry
// since the last frame (underruns before the first frame do not count),
// and gives a period back after every shrinkAfter frames that played
// without one.
func (m *Malgo) adaptPlayback() {
	ceiling := max(FrameSamples, int(int64(m.cfg.PlaybackLatency)*SampleRate/int64(time.Second)))
	floor := min(ceiling, FrameSamples+m.period)
	under := m.underruns.Load()
	switch {
	case m.plyLimit == 0:
		m.plyLimit = floor
	case under > m.plySeen:
		m.plyLimit = min(ceiling, m.plyLimit+m.period)
		m.plyCalm = 0
	default:
		if m.plyCalm++; m.plyCalm >= shrinkAfter {
			m.plyLimit = max(floor, m.plyLimit-m.period)
			m.plyCalm = 0
		}
	}
	m.plySeen = under
	m.plyQueue.Store(int64(m.plyLimit))
}

// shrinkAfter is how many frames (WaitWritable calls) must pass with no
// underrun before the playback queue shrinks by a period: 2 s.
const shrinkAfter = 100
