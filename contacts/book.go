package contacts

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Options configure a Book. The zero value works.
type Options struct {
	// DiskOnly leaves out the in-memory index, for one-off command-line
	// work: Search asks bleve for prefix matches and ranks them as usual
	// (no infix matches), Lookup finds nothing, Count is zero, and Import
	// writes bleve, telling new, changed and unchanged cards apart by a
	// hash of each stored record, then builds the typing file once at the
	// end, so that the console's next Open maps it.
	DiskOnly bool
	// DefaultCountry is the country national numbers are written in, as an
	// ISO 3166 code ("ES", "US") or a calling code ("+34"). Empty: numbers
	// without '+' or "00" keep their digits as written.
	DefaultCountry string
	// BatchSize is how many cards go into one bleve batch, which is also
	// one checkpoint of an import. Default 4000, 6000 with DiskOnly (the
	// command-line import of a million cards, bench/contacts: fewer,
	// larger segments for each batch's doc-ID checks against every segment
	// before it; at 8000 the peak RSS went over 600 MB).
	BatchSize int
	// StepBudget bounds the CPU time of one indexing step (parsing cards
	// into the in-memory index) before the importer yields and checks for
	// a pause. Default 8ms.
	StepBudget time.Duration
	// Background makes imports share the machine with an interactive UI
	// (the console imports while calls are taken): all of an import's
	// work, parsing cards and building bleve's segments, runs on one
	// goroutine in turn, never at once, so that of two cores one is left
	// to the UI. Imports take longer. The command-line import leaves it
	// off.
	Background bool
	// OnCheckpoint, if set, is called on a bleve goroutine each time an
	// import checkpoint is durable on disk, with the line the import will
	// resume after and the number of cards read. It must return quickly.
	OnCheckpoint func(line, cards int)
	// Clock measures step budgets and import rates. Default: the system
	// clock.
	Clock Clock
}

// Clock is the time source of a Book; tests inject a fake.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Book is an address book: a durable bleve index on disk plus an in-memory
// search index, mapped from the typing file or rebuilt from bleve at Open.
// All methods are safe for concurrent use. Search and Lookup never touch
// the disk (the typing file's pages are read by Open, which checks them).
type Book struct {
	dir     string
	opts    Options
	country region
	hasCC   bool
	idx     bleve.Index // guarded by mu where an import replaces it (closeIndexWhile)
	an      analysis.Analyzer
	// unlockDir releases the lock Open took on dir (lockDir).
	unlockDir func()
	indexer   *Indexer

	mu  sync.RWMutex // guards mem
	mem *memIndex

	cacheMu sync.Mutex
	cache   searchCache

	callSeq uint32 // guarded by mu (write)

	importMu sync.Mutex // one import at a time
	closed   bool

	// The typing file (typing.go): unmap releases the mapping mem may
	// read from (at Close, after every writer is done); writes counts the
	// goroutines writing the file, which stop early once stopWrites is set.
	unmap      func() error
	loadedFrom string
	typingErr  error // guarded by mu after Open
	writes     sync.WaitGroup
	stopWrites atomic.Bool
	builtFrom  string // tests: what the last DiskOnly import built the typing file from

	lagCheckpoints bool // tests: a batch never carries its own checkpoint
}

type searchCache struct {
	gen   uint64
	q     query
	limit int
	all   []uint32
}

// ErrClosed is returned by methods called after Close.
var ErrClosed = errors.New("contacts: book is closed")

// ErrInUse is returned (wrapped) by Open when another Book, in this
// process or another, has the directory open.
var ErrInUse = errors.New("open by another process")

// lockName is the file in a book directory that Open locks; indexName
// the bleve index.
const (
	lockName  = "book.lock"
	indexName = "index.bleve"
)

// Open opens (creating if needed) the contact index under dir, typically
// $XDG_DATA_HOME/agentty/contacts/, and loads it into memory. The caller
// must Close the Book. Two processes must not open the same dir at once
// (the Book holds a lock on dir, and bleve on its index: the second Open
// fails).
func Open(dir string, opts Options) (*Book, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 4000
		if opts.DiskOnly {
			opts.BatchSize = 6000
		}
	}
	if opts.StepBudget <= 0 {
		opts.StepBudget = 8 * time.Millisecond
	}
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	b := &Book{dir: dir, opts: opts, mem: newMemIndex()}
	b.country, b.hasCC = resolveCountry(opts.DefaultCountry)
	if opts.DefaultCountry != "" && !b.hasCC {
		return nil, fmt.Errorf("contacts: open %s: unknown default country %q", dir, opts.DefaultCountry)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("contacts: open %s: %w", dir, err)
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("contacts: open %s: %w", dir, err)
	}
	path := filepath.Join(dir, indexName)
	idx, err := openIndex(path)
	if err != nil {
		unlock()
		return nil, err
	}
	b.idx, b.unlockDir = idx, unlock
	// Documents are analyzed by spaceAnalyzer, which splits as the
	// mapping's analyzer does with far less garbage (TestSpaceAnalyzer).
	b.an = spaceAnalyzer{}
	if !opts.DiskOnly {
		if err := b.loadMem(); err != nil {
			b.writes.Wait()
			idx.Close()
			unlock()
			return nil, fmt.Errorf("contacts: open %s: %w", path, err)
		}
	}
	b.indexer = newIndexer(opts.Clock, opts.StepBudget)
	return b, nil
}

// openIndex opens the bleve index at path, creating it if there is none.
func openIndex(path string) (bleve.Index, error) {
	cfg := map[string]interface{}{
		// Batches report durability through their persisted callback; the
		// import checkpoint travels inside the same batch, so a crash
		// loses at most the batches after the last persisted one.
		"unsafe_batch": true,
		"bolt_timeout": "1s",
		// An import commits one segment per batch; merging them while the
		// import runs costs CPU and memory for nothing (the keystrokes are
		// served from memory), so tolerate up to 100 segments per tier.
		"scorchMergePlanOptions": map[string]interface{}{"MaxSegmentsPerTier": 100, "SegmentsPerMergeTask": 10},
	}
	idx, err := bleve.OpenUsing(path, cfg)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		m, merr := indexMapping()
		if merr != nil {
			return nil, merr
		}
		idx, err = bleve.NewUsing(path, m, scorch.Name, scorch.Name, cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("contacts: open %s: %w", path, err)
	}
	if idx.Mapping().AnalyzerNamed(analyzerTok) == nil {
		idx.Close()
		return nil, fmt.Errorf("contacts: open %s: index has no %s analyzer (made by another program?)", path, analyzerTok)
	}
	return idx, nil
}

// resort renumbers the in-memory index in search order (after an import).
// With Options.Background the new index is built from a snapshot without
// holding the lock, so searches and caller-ID go on meanwhile on the old
// one (the build takes about a second for 250k contacts); it is swapped in
// only if nothing changed the book in between. A Push or MarkCalled during
// the build makes it start over; after resortTries the build holds the
// lock. Otherwise (the command line, where nothing searches) it holds the
// lock and drops the old postings before building the new ones, so the old
// and the new index are never both whole in memory: about 20 MB less at
// the peak for 250k contacts.
func (b *Book) resort() {
	if b.opts.Background {
		for range resortTries {
			b.mu.RLock()
			snap := b.mem.snapshot()
			b.mu.RUnlock()
			nu := snap.rebuilt()
			b.mu.Lock()
			if b.mem.gen == snap.gen {
				b.mem = nu
				b.mu.Unlock()
				return
			}
			b.mu.Unlock()
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mem.dropPostings()
	b.mem = b.mem.rebuilt()
}

// resortTries is how many times resort builds without the lock.
const resortTries = 3

// Close waits for a running import to stop at its next step, then closes
// the bleve index. Pushed contacts are gone. Close is idempotent.
func (b *Book) Close() error {
	b.stopWrites.Store(true)
	b.indexer.stop()
	b.writes.Wait()
	b.importMu.Lock()
	defer b.importMu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	err := b.idx.Close()
	b.unlockDir()
	if b.unmap != nil {
		// Nothing may read the mapping any more: Lookup, Each and Count
		// after Close see an empty book.
		b.mem = newMemIndex()
		if uerr := b.unmap(); err == nil {
			err = uerr
		}
		b.unmap = nil
	}
	if err != nil {
		return fmt.Errorf("contacts: close %s: %w", b.dir, err)
	}
	return nil
}

// Indexer returns the Book's indexer, whose Pause and Resume let the UI
// hold an import while a call rings.
func (b *Book) Indexer() *Indexer { return b.indexer }

// Each calls fn for every contact, imported and pushed, in search order
// (by name), until fn returns false. fn runs under the Book's read lock and
// must not call the Book.
func (b *Book) Each(fn func(Contact) bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for n := uint32(0); n < b.mem.n(); n++ {
		if !b.mem.isDead(n) && !fn(decodeRec(string(b.mem.rec(n)))) {
			return
		}
	}
}

// Count returns the number of live contacts, imported and pushed.
func (b *Book) Count() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.mem.live()
}

// DocCount returns the number of contacts in the bleve index on disk.
func (b *Book) DocCount() (uint64, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	n, err := b.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("contacts: count: %w", err)
	}
	return n, nil
}

// Search returns up to limit contacts matching every word of query, best
// first: a word typed whole beats a word's prefix beats a match inside a
// word; then recently called contacts (MarkCalled) come first; then those
// matching in their name before those matching only in the organisation,
// an e-mail or a phone ("jose i": José Ibáñez before José Alonso of
// Iberia); then by name.
// Each word of query must prefix or occur in a word of the name, the
// organisation or an e-mail local part, or in a phone's digits; a query of
// only digits and phone punctuation ("+34 666-55") is matched as one digit
// string. When query extends the previous query (the user typed one more
// character), only the previous matches are re-checked. Imported and pushed
// contacts are searched together. An empty query returns no contacts.
func (b *Book) Search(query string, limit int) ([]Contact, error) {
	if limit <= 0 {
		limit = 20
	}
	q := parseQuery(query)
	if len(q.terms) == 0 {
		return nil, nil
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return nil, ErrClosed
	}
	if b.opts.DiskOnly {
		return b.searchDisk(query, &q, limit)
	}
	var prev []uint32
	b.cacheMu.Lock()
	if b.cache.gen == b.mem.gen && b.cache.all != nil && b.cache.limit == limit && q.extends(b.cache.q) {
		prev = b.cache.all
	}
	b.cacheMu.Unlock()
	res := b.mem.search(&q, limit, prev)
	b.cacheMu.Lock()
	if res.complete {
		b.cache = searchCache{gen: b.mem.gen, q: q, limit: limit, all: res.all}
	} else {
		b.cache = searchCache{}
	}
	b.cacheMu.Unlock()
	out := make([]Contact, len(res.top))
	for i, s := range res.top {
		out[i] = decodeRec(string(b.mem.rec(s.num)))
	}
	return out, nil
}

// Lookup finds the contact for a ringing number, whatever its formatting:
// the number is normalised to E.164 with Options.DefaultCountry and matched
// against every phone of every contact; failing that, the last nine digits
// are compared. Among contacts sharing a number, the most recently called
// wins. Lookup is safe to call from any goroutine and never blocks on I/O.
func (b *Book) Lookup(number string) (Contact, bool) {
	d := normalizePhone(number, b.country, b.hasCC)
	if d == "" {
		return Contact{}, false
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	num, ok := b.mem.lookup(d)
	if !ok {
		return Contact{}, false
	}
	return decodeRec(string(b.mem.rec(num))), true
}

func sanitizeContact(c *Contact) {
	c.ID = sanitize(c.ID)
	c.Name = sanitize(c.Name)
	c.Org = sanitize(c.Org)
	for i := range c.Phones {
		c.Phones[i] = sanitize(c.Phones[i])
	}
	for i := range c.Emails {
		c.Emails[i] = sanitize(c.Emails[i])
	}
}
