package main

import (
	"context"
	"sync/atomic"

	"github.com/agentty/agentty/app"
	"github.com/agentty/agentty/contacts"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui"
	"github.com/agentty/agentty/vendors"
)

// runTUI opens the full-screen console on v.
func runTUI(ctx context.Context, g *globals, v vendors.Vendor, o consoleOptions) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if g.logFile != nil {
		restore, err := redirectStderr(g.logFile)
		if err != nil {
			g.log.Warn("console: stderr stays on the terminal", "err", err)
		}
		defer restore()
	}

	keys, styles, err := ui.FromSettings(g.file)
	if err != nil {
		g.log.Warn("config: keys and colours", "err", err)
	}
	dir := openBook(g)
	defer dir.close()

	connected := make(chan error, 1)
	go func() { connected <- v.Connect(ctx) }()
	defer v.Close()

	backend := o.backend
	if backend == "" {
		backend = v.Name()
	}
	err = ui.Run(ctx, ui.Options{
		Role:      session.Role(g.role),
		Backend:   backend,
		Events:    v.Events(),
		Send:      v.Send,
		Directory: dir,
		Levels:    levelsOf(v),
		Devices:   devicesOf(v),
		Import:    dir.importFile,
		Lang:      g.lang(),
		KeyMap:    &keys,
		Styles:    &styles,
		Logger:    g.log,
	})
	cancel()
	select {
	case cerr := <-connected:
		if cerr != nil {
			g.log.Error("console: connect", "err", cerr)
		}
	default:
	}
	return err
}

// levelsOf returns the backend's microphone and speaker peak levels for the
// VU meters, 0 (-60 dBFS or less) to 1 (full scale), when it carries audio
// (vendors.Metered).
func levelsOf(v vendors.Vendor) func() (float64, float64) {
	mv, ok := unwrap(v).(vendors.Metered)
	if !ok {
		return nil
	}
	if _, _, ok := mv.Levels(); !ok {
		return nil
	}
	return func() (float64, float64) {
		mic, spk, _ := mv.Levels()
		return meter(mic), meter(spk)
	}
}

// devicesOf returns the backend's sound devices for the palette's device
// menu when its calls open this machine's devices (vendors.Devices), else
// nil.
func devicesOf(v vendors.Vendor) ui.Devices {
	if d, ok := unwrap(v).(vendors.Devices); ok {
		return d
	}
	return nil
}

// lazyBook is the contact book, opened in the background so that start-up
// does not wait for the index. Until it is open, searches find nothing.
type lazyBook struct {
	book atomic.Pointer[contacts.Book]
	done chan struct{}
}

// openBook starts opening the contact book in the background: the index
// loads while the first frame draws.
func openBook(g *globals) *lazyBook {
	l := &lazyBook{done: make(chan struct{})}
	go l.open(g)
	return l
}

func (l *lazyBook) open(g *globals) {
	defer close(l.done)
	// Background: an import dropped on the console runs on one core
	// and renumbers without holding searches back (bench/tui: frames).
	dir := g.bookDir
	if dir == "" {
		dir = contactsDir()
	}
	b, err := contacts.Open(dir, contacts.Options{DefaultCountry: g.country, Background: true})
	if err != nil {
		g.log.Error("contacts: open", "err", err)
		return
	}
	l.book.Store(b)
}

func (l *lazyBook) close() {
	<-l.done
	if b := l.book.Load(); b != nil {
		b.Close()
	}
}

// Search implements ui.Directory.
func (l *lazyBook) Search(q string, limit int) ([]ui.Contact, error) {
	b := l.book.Load()
	if b == nil {
		return nil, nil
	}
	cs, err := b.Search(q, limit)
	if err != nil {
		return nil, err
	}
	out := make([]ui.Contact, len(cs))
	for i, c := range cs {
		out[i] = toUI(c)
	}
	return out, nil
}

// Lookup implements ui.Directory.
func (l *lazyBook) Lookup(number string) (ui.Contact, bool) {
	b := l.book.Load()
	if b == nil {
		return ui.Contact{}, false
	}
	c, ok := b.Lookup(number)
	return toUI(c), ok
}

func (l *lazyBook) importFile(ctx context.Context, path string, progress func(done, total int)) error {
	b := l.book.Load()
	if b == nil {
		return contacts.ErrClosed
	}
	_, err := b.Import(ctx, path, func(p contacts.Progress) {
		progress(int(p.Bytes), int(p.Total))
	})
	return err
}

func toUI(c contacts.Contact) ui.Contact {
	return ui.Contact{ID: c.ID, Name: c.Name, Org: c.Org, Phones: c.Phones}
}

// session is an app.Session over the contact book: dial-by-name searches
// it, caller ID looks numbers up in it.
func (l *lazyBook) session() app.Session {
	return app.Session{
		Search: func(name string) ([]string, error) {
			hits, err := l.Search(name, 1)
			if err != nil || len(hits) == 0 {
				return nil, err
			}
			return hits[0].Phones, nil
		},
		Lookup: func(number string) (string, bool) {
			c, ok := l.Lookup(number)
			return c.Name, ok
		},
	}
}

// meter maps dBFS to 0..1 over the 60 dB a VU meter shows.
func meter(db float64) float64 {
	return min(max((db+60)/60, 0), 1)
}
