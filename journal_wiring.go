package main

import (
	"context"
	"sync"

	"github.com/spf13/pflag"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// journalSettings say whether and how sessions and centres keep their
// event journals (see package journal and `agentty replay`).
type journalSettings struct {
	off      bool
	maxMB    int
	keepDays int
}

func addJournalFlags(j *journalSettings, f *pflag.FlagSet) {
	f.BoolVar(&j.off, "no-journal", false, "keep no event journal (for 'agentty replay')")
	f.IntVar(&j.maxMB, "journal-max-mb", 32, "start a new journal file past this size")
	f.IntVar(&j.keepDays, "journal-keep-days", 14, "remove journal files older than this")
}

// openJournal opens a journal in dir, or returns nil when journals are off
// or it cannot be opened (said in the log: the product goes on without).
func (g *globals) openJournal(dir, prefix string) *journal.Journal {
	if g.journal.off {
		return nil
	}
	j, err := journal.Open(journal.Options{Dir: dir, Prefix: prefix, MaxBytes: int64(g.journal.maxMB) << 20,
		KeepDays: g.journal.keepDays, Logger: g.log})
	if err != nil {
		g.log.Warn("journal: not kept", "dir", dir, "err", err)
		return nil
	}
	g.log.Info("journal: events are kept", "dir", dir, "prefix", prefix)
	return j
}

// journaled is a Vendor whose events are also written to a journal, in
// the order the console sees them. Unwrap gives the backend itself.
type journaled struct {
	vendors.Vendor
	j       *journal.Journal
	out     chan session.Event
	barrier chan chan struct{}
	once    sync.Once
	ended   chan struct{} // the tee has returned
}

// withJournal returns v with its events journaled, or v when j is nil.
func withJournal(v vendors.Vendor, j *journal.Journal) vendors.Vendor {
	if j == nil {
		return v
	}
	return &journaled{Vendor: v, j: j, out: make(chan session.Event, 64), barrier: make(chan chan struct{}), ended: make(chan struct{})}
}

// Unwrap returns the journaled backend.
func (v *journaled) Unwrap() vendors.Vendor { return v.Vendor }

// Events returns the backend's events, each written to the journal as it
// passes. The channel closes after the backend's does; the journal is
// closed then.
func (v *journaled) Events() <-chan session.Event {
	v.once.Do(func() {
		go v.tee(v.Vendor.Events())
	})
	return v.out
}

func (v *journaled) tee(in <-chan session.Event) {
	// On the way out the journal is closed (flushed) before the channel:
	// a consumer that sees the channel closed finds the journal complete.
	defer close(v.out)
	defer close(v.ended)
	defer v.j.Close()
	pass := func(ev session.Event) {
		v.j.Event("", ev)
		v.out <- ev
	}
	for {
		select {
		case ev, ok := <-in:
			if !ok {
				return
			}
			pass(ev)
		case ack := <-v.barrier:
			// Send has returned: whatever it produced is already in in.
			for drained := false; !drained; {
				select {
				case ev, ok := <-in:
					if !ok {
						close(ack)
						return
					}
					pass(ev)
				default:
					drained = true
				}
			}
			close(ack)
		}
	}
}

// Send passes the command on and, as the Vendor contract asks, returns
// only once the events the backend produced before its answer are on the
// channel Events returns.
func (v *journaled) Send(ctx context.Context, c session.Command) error {
	err := v.Vendor.Send(ctx, c)
	v.sync(ctx)
	return err
}

// Connect connects the backend and, as the contract asks, returns once its
// connection and auth events are on the channel Events returns.
func (v *journaled) Connect(ctx context.Context) error {
	err := v.Vendor.Connect(ctx)
	v.sync(ctx)
	return err
}

// sync waits until the tee has passed on every event the backend has
// produced so far.
func (v *journaled) sync(ctx context.Context) {
	v.Events()
	ack := make(chan struct{})
	select {
	case v.barrier <- ack:
		<-ack
	case <-v.ended:
	case <-ctx.Done():
	}
}

// Close closes the backend. The tee ends when the backend's channel
// closes, after the consumer has read what was left, and closes the
// journal; a journal whose events were never read is closed here.
func (v *journaled) Close() error {
	err := v.Vendor.Close()
	v.once.Do(func() { close(v.out); v.j.Close(); close(v.ended) })
	return err
}

// unwrap returns the backend under any journaling.
func unwrap(v vendors.Vendor) vendors.Vendor {
	for {
		u, ok := v.(interface{ Unwrap() vendors.Vendor })
		if !ok {
			return v
		}
		v = u.Unwrap()
	}
}
