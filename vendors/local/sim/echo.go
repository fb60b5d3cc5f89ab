package sim

import (
	"context"
	"sync"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
)

// Echo is a simulated caller's device: its microphone says the prompt,
// then repeats what its speaker heard, delay later. It paces itself at
// real time. Safe for one reader and one writer goroutine.
type Echo struct {
	prompt []int16
	delay  int // frames

	mu     sync.Mutex
	pos    int
	fifo   [][]int16
	closed bool
	rp, wp device.Pacer
}

// NewEcho returns an echo device.
func NewEcho(prompt []int16, delay time.Duration) *Echo {
	return &Echo{prompt: prompt, delay: max(1, int(delay/audio.FrameDuration)),
		rp: device.Pacer{On: true}, wp: device.Pacer{On: true}}
}

// Name implements device.Device.
func (e *Echo) Name() string { return "simulated caller" }

// ReadFrame implements device.Source: the prompt, then the echo.
func (e *Echo) ReadFrame(ctx context.Context, f []int16) error {
	if err := e.rp.Wait(ctx); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return device.ErrClosed
	}
	switch {
	case e.pos < len(e.prompt):
		n := copy(f, e.prompt[e.pos:])
		clear(f[n:])
		e.pos += len(f)
	case len(e.fifo) >= e.delay:
		copy(f, e.fifo[0])
		e.fifo = e.fifo[1:]
	default:
		clear(f)
	}
	return nil
}

// WriteFrame implements device.Sink: remembers what was heard.
func (e *Echo) WriteFrame(ctx context.Context, f []int16) error {
	if err := e.wp.Wait(ctx); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return device.ErrClosed
	}
	if e.pos < len(e.prompt) {
		return nil // talking: do not echo the agent's greeting over the prompt
	}
	if len(e.fifo) > 2*e.delay {
		e.fifo = e.fifo[1:]
	}
	e.fifo = append(e.fifo, append([]int16(nil), f...))
	return nil
}

// Stats implements device.Device.
func (e *Echo) Stats() device.Stats { return device.Stats{} }

// Close implements device.Device.
func (e *Echo) Close() error {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	return nil
}
