package replay

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Headless plays p to its end on w: one Line (JSON) per entry, the state
// after each event, paced by speed. wait is how the pacing sleeps (a
// timer in the product, nothing in tests); it returns early when ctx
// ends. user limits the lines to one user's ("" keeps all).
func Headless(ctx context.Context, p *Player, w io.Writer, speed Speed, user string, wait func(context.Context, time.Duration) error) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	prev := p.Now()
	for {
		e, ok := p.Step()
		if !ok {
			break
		}
		if user != "" && e.To != user && e.To != "" {
			continue
		}
		if d := speed.Wait(prev, e.At); d > 0 && wait != nil {
			if err := bw.Flush(); err != nil {
				return fmt.Errorf("replay: write: %w", err)
			}
			if err := wait(ctx, d); err != nil {
				return err
			}
		}
		if e.At.After(prev) {
			prev = e.At
		}
		if err := enc.Encode(p.LineFor(e)); err != nil {
			return fmt.Errorf("replay: write: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("replay: write: %w", err)
	}
	return nil
}

// Sleep waits d or until ctx ends: the product's pacing for Headless.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
