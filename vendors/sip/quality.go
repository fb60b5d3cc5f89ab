package sip

import (
	"context"
	"time"

	"github.com/agentty/agentty/session"
)

// qualityEvery is how often each talking call's quality is reported; a
// backend takes it when it is made (tests shorten it).
var qualityEvery = 5 * time.Second

// reportQuality emits call.quality for every answered call whose leg has
// received audio (loss and jitter of what we receive, RTT from RTCP,
// MOS), every qualityEvery until ctx ends.
func (b *Backend) reportQuality(ctx context.Context) {
	t := time.NewTicker(b.qualityEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		b.mu.Lock()
		var ids []string
		for id := range b.talked {
			if b.remoteHeld[id] {
				continue // the far end holds us: silence is not loss
			}
			ids = append(ids, id)
		}
		b.mu.Unlock()
		for _, id := range ids {
			b.mu.Lock()
			c := b.calls[id]
			b.mu.Unlock()
			if c == nil {
				continue
			}
			leg := c.Leg()
			if leg == nil || leg.Stats().Received == 0 {
				continue
			}
			q := leg.Quality()
			b.emit(session.CallQuality{CallBase: session.CallBase{At: b.now(), CallID: id}, Quality: session.QualityOf(q.Loss, q.Jitter, q.RTT, q.MOS)})
		}
	}
}
