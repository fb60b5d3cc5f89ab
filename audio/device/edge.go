//go:build cgo

package device

import (
	"context"
	"sync/atomic"
	"time"
)

// liveEdge keeps a sound card's capture backlog short. A capture device
// buffers what arrives while nobody reads (before the call's media is up,
// or after a stall) and a reader that then keeps pace never catches up: the
// backlog becomes latency for the rest of the call. When three reads in a
// row return at once (frames were waiting), liveEdge skips a frame.
type liveEdge struct {
	Device
	instant int
	skipped atomic.Uint64
}

// ReadFrame implements Source.
func (l *liveEdge) ReadFrame(ctx context.Context, f []int16) error {
	for {
		start := time.Now()
		if err := l.Device.ReadFrame(ctx, f); err != nil {
			return err
		}
		if time.Since(start) > 2*time.Millisecond {
			l.instant = 0
			return nil
		}
		if l.instant++; l.instant < 3 {
			return nil
		}
		l.instant = 0
		l.skipped.Add(1)
	}
}

// LiveEdge wraps a sound card so that its capture backlog stays short
// (see liveEdge); other devices pace themselves without a backlog and are
// returned as they are. Every call's microphone goes through it.
func LiveEdge(d Device) Device {
	if _, ok := d.(*Malgo); ok {
		return &liveEdge{Device: d}
	}
	return d
}
