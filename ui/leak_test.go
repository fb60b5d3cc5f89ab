package ui

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/agentty/agentty/session"
)

// Every goroutine the console starts (Cmds, imports, the program) has
// ended when its tests end; but for Bubble Tea's own tea.Tick, whose timer
// outlives the program by up to a tick (one second), with the batch that
// waits for it.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("charm.land/bubbletea/v2.Tick.func1"),
		goleak.IgnoreAnyFunction("charm.land/bubbletea/v2.(*Program).execBatchMsg"))
}

// A dropped .vcf file starts nothing until its Cmd runs; the import's
// goroutine is counted and joined.
func TestImportStartsInItsCmdAndIsJoined(t *testing.T) {
	var calls atomic.Int32
	h := newHarness(t, session.RoleAgent, func(o *Options) {
		o.Import = func(ctx context.Context, path string, progress func(done, total int)) error {
			calls.Add(1)
			progress(1, 2)
			return nil
		}
	})
	path := filepath.Join(t.TempDir(), "cards.vcf")
	cmd := h.m.onPaste(path)
	if cmd == nil {
		t.Fatal("a dropped .vcf started no import")
	}
	if calls.Load() != 0 {
		t.Fatal("the import started before its Cmd ran")
	}
	h.run(cmd)
	if calls.Load() != 1 {
		t.Fatalf("import ran %d times", calls.Load())
	}
	h.want("Imported contacts from cards.vcf.")
	joined := make(chan struct{})
	go func() { h.m.imports.Wait(); close(joined) }()
	select {
	case <-joined:
	case <-time.After(10 * time.Second):
		t.Fatal("the import's goroutine was not joined")
	}
}
