package media

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
	rp, wp pace
}

// NewEcho returns an echo device.
func NewEcho(prompt []int16, delay time.Duration) *Echo {
	return &Echo{prompt: prompt, delay: max(1, int(delay/audio.FrameDuration))}
}

// Name implements device.Device.
func (e *Echo) Name() string { return "simulated caller" }

// ReadFrame implements device.Source: the prompt, then the echo.
func (e *Echo) ReadFrame(ctx context.Context, f []int16) error {
	if err := e.rp.wait(ctx); err != nil {
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
	if err := e.wp.wait(ctx); err != nil {
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

// pace makes a caller wait for its 20 ms slot.
type pace struct{ next time.Time }

func (p *pace) wait(ctx context.Context) error {
	now := time.Now()
	if p.next.IsZero() || now.Sub(p.next) > 200*time.Millisecond {
		p.next = now
	}
	d := p.next.Sub(now)
	p.next = p.next.Add(audio.FrameDuration)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
