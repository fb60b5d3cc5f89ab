package contacts

import (
	"context"
	"runtime"
	"sync"
	"time"
)

// Indexer schedules import work in steps. Each step parses cards into the
// in-memory index for at most the step budget, then yields the processor
// (runtime.Gosched) so a UI goroutine is never held up by more than one
// step; between steps the indexer waits while it is paused. Pause and
// Resume may be called from any goroutine (the UI pauses on call.ringing
// and resumes when the call ends). Bleve's own work for a batch runs on
// bleve's goroutines.
type Indexer struct {
	clock  Clock
	budget time.Duration

	mu      sync.Mutex
	paused  bool
	resumed chan struct{} // closed by Resume; replaced by Pause
	stopped chan struct{} // closed by stop (Book.Close)
	stopOne sync.Once
}

func newIndexer(c Clock, budget time.Duration) *Indexer {
	ix := &Indexer{clock: c, budget: budget, resumed: make(chan struct{}), stopped: make(chan struct{})}
	close(ix.resumed)
	return ix
}

// Pause holds any running or future import before its next step. A step
// already running finishes within the step budget. Pause is idempotent.
func (ix *Indexer) Pause() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.paused {
		ix.paused = true
		ix.resumed = make(chan struct{})
	}
}

// Resume lets a paused import continue. Resume is idempotent.
func (ix *Indexer) Resume() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.paused {
		ix.paused = false
		close(ix.resumed)
	}
}

// Paused reports whether the indexer is paused.
func (ix *Indexer) Paused() bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.paused
}

// Budget returns the time budget of one step.
func (ix *Indexer) Budget() time.Duration { return ix.budget }

func (ix *Indexer) stop() { ix.stopOne.Do(func() { close(ix.stopped) }) }

// errStopped is returned by gate when the Book is closing.
var errStopped = ErrClosed

// gate is called between steps: it yields, then blocks while paused. It
// returns ctx.Err() or ErrClosed when the import must stop.
func (ix *Indexer) gate(ctx context.Context) error {
	runtime.Gosched()
	for {
		// A cancelled import stops here even when the indexer is not
		// paused: select alone would pick the open gate half the time.
		if err := ctx.Err(); err != nil {
			return err
		}
		ix.mu.Lock()
		ch := ix.resumed
		ix.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ix.stopped:
			return errStopped
		case <-ch:
			return nil
		}
	}
}

// stepDone reports whether a step that began at start has used its budget.
func (ix *Indexer) stepDone(start time.Time) bool {
	return ix.clock.Now().Sub(start) >= ix.budget
}
