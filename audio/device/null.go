package device

import (
	"context"
	"sync/atomic"
)

// Null is a device that captures silence and discards playback. Paced, it
// runs at real time (each call waits for its frame slot); unpaced, it
// returns at once. Safe for one reader and one writer goroutine.
type Null struct {
	rp, wp      Pacer
	closed      atomic.Bool
	read, wrote atomic.Uint64
}

// NewNull returns a null device.
func NewNull(paced bool) *Null {
	return &Null{rp: Pacer{On: paced}, wp: Pacer{On: paced}}
}

// Name implements Device.
func (n *Null) Name() string { return "null" }

// ReadFrame implements Source: silence.
func (n *Null) ReadFrame(ctx context.Context, frame []int16) error {
	if n.closed.Load() {
		return ErrClosed
	}
	if len(frame) != FrameSamples {
		return ErrFrameSize
	}
	if err := n.rp.Wait(ctx); err != nil {
		return err
	}
	clear(frame)
	n.read.Add(1)
	return nil
}

// WriteFrame implements Sink: discards.
func (n *Null) WriteFrame(ctx context.Context, frame []int16) error {
	if n.closed.Load() {
		return ErrClosed
	}
	if len(frame) != FrameSamples {
		return ErrFrameSize
	}
	if err := n.wp.Wait(ctx); err != nil {
		return err
	}
	n.wrote.Add(1)
	return nil
}

// Stats implements Device.
func (n *Null) Stats() Stats { return Stats{Captured: n.read.Load(), Played: n.wrote.Load()} }

// Close implements Device.
func (n *Null) Close() error {
	n.closed.Store(true)
	return nil
}
