package contacts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// Progress is reported while an import runs.
type Progress struct {
	File      string        `json:"file"`
	Bytes     int64         `json:"bytes"`       // bytes of the file consumed
	Total     int64         `json:"total_bytes"` // size of the file
	Cards     int           `json:"cards"`       // cards read so far (this run and resumed ones)
	Bad       int           `json:"bad"`
	Elapsed   time.Duration `json:"elapsed_ns"`
	Rate      float64       `json:"cards_per_s"` // cards per second in this run
	ETA       time.Duration `json:"eta_ns"`      // 0 when unknown
	Paused    bool          `json:"paused"`
	Committed int           `json:"committed"` // cards durable in the bleve index
}

// Fraction returns how much of the file is consumed, in [0, 1].
func (p Progress) Fraction() float64 {
	if p.Total <= 0 {
		return 0
	}
	return min(1, float64(p.Bytes)/float64(p.Total))
}

// BadCard is one card the importer skipped.
type BadCard struct {
	Line int    `json:"line"` // line of BEGIN:VCARD or of the faulty property
	Err  string `json:"error"`
}

// Summary is the outcome of an import.
type Summary struct {
	File      string        `json:"file"`
	Cards     int           `json:"cards"`     // cards read, good and bad
	Added     int           `json:"added"`     // new contacts
	Updated   int           `json:"updated"`   // contacts already known whose card changed
	Unchanged int           `json:"unchanged"` // contacts already known, identical
	Bad       int           `json:"bad"`       // cards skipped
	BadCards  []BadCard     `json:"bad_cards,omitempty"`
	Resumed   bool          `json:"resumed"`       // this run continued a checkpoint
	ResumedAt int           `json:"resumed_line"`  // line the run resumed after
	Contacts  int           `json:"contacts"`      // imported contacts in the book at the end
	Elapsed   time.Duration `json:"elapsed_ns"`    // wall time of this run
	Rate      float64       `json:"cards_per_sec"` // cards per second in this run
}

// maxBadListed caps Summary.BadCards; Summary.Bad still counts them all.
const maxBadListed = 100

// checkpoint is stored in bleve's internal store, in the same batch as the
// contacts it covers, so index and checkpoint can never disagree.
type checkpoint struct {
	Path   string  `json:"path"`
	Size   int64   `json:"size"`
	Head   string  `json:"head"` // hash of the first 64 KiB
	Offset int64   `json:"offset"`
	Line   int     `json:"line"`
	Run    string  `json:"run"` // names one import of the file, resumed or not, in its batch records
	Seq    int     `json:"seq"` // number of the next batch (batchRecord)
	Sum    Summary `json:"summary"`
}

var checkpointKey = []byte("agentty.import.checkpoint")

// Import reads the vCard file at path into the book, streaming. The file
// is only read. Each card is searchable as soon as its step ends; every
// Options.BatchSize cards a bleve batch is committed together with a
// checkpoint. If a previous import of the same file (same path, size and
// first 64 KiB) was interrupted (killed, crashed, ctx cancelled), Import
// continues after its last durable checkpoint instead of starting over.
// Cards are keyed by UID (else a hash of name and phones), so importing
// the same or an edited file again updates contacts and never duplicates
// them. Bad cards are counted and listed with their line; the rest import.
//
// progress, if not nil, is called on the caller's goroutine between steps
// (at most every 50ms) and once at the end. Import returns the Summary so
// far with an error if ctx ends or the Book closes; the work up to the last
// committed batch is kept. Only one import runs at a time per Book.
func (b *Book) Import(ctx context.Context, path string, progress func(Progress)) (Summary, error) {
	b.importMu.Lock()
	defer b.importMu.Unlock()
	base := filepath.Base(path)
	sum := Summary{File: path}
	wrap := func(err error) error { return fmt.Errorf("contacts: import %s: %w", base, err) }
	if b.isClosed() {
		return sum, ErrClosed
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return sum, wrap(err)
	}
	f, err := os.Open(path)
	if err != nil {
		return sum, wrap(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return sum, wrap(err)
	}
	head, err := headHash(f)
	if err != nil {
		return sum, wrap(err)
	}
	cp := checkpoint{Path: abs, Size: st.Size(), Head: head, Run: newRunID()}
	if old, ok := b.loadCheckpoint(); ok && old.Path == cp.Path && old.Size == cp.Size && old.Head == cp.Head {
		cp = old
		sum = old.Sum
		sum.File = path
		sum.Resumed, sum.ResumedAt = true, old.Line
	}
	if _, err := f.Seek(cp.Offset, io.SeekStart); err != nil {
		return sum, wrap(err)
	}
	im := &importer{b: b, sum: &sum, cp: cp, scan: newCardScanner(f, cp.Offset, cp.Line), dec: newCardDecoder(), batch: b.idx.NewBatch(), start: b.opts.Clock.Now(), cards0: sum.Cards, off0: cp.Offset}
	im.seq = cp.Seq
	if sum.Resumed {
		im.skips = b.loadRecords(cp)
		for _, r := range im.skips {
			im.records = append(im.records, r.Seq)
			im.seq = max(im.seq, r.Seq+1)
		}
	}
	im.batchStart, im.batchFrom = cp.Offset, sum
	im.batchFrom.BadCards = append([]BadCard(nil), sum.BadCards...)
	if b.opts.DiskOnly {
		// No in-memory index to compare re-imported cards with: a hash of
		// each stored record tells new, changed and unchanged cards apart.
		if im.hashes, err = b.storedHashes(); err != nil {
			return sum, wrap(err)
		}
		if !sum.Resumed {
			// A resumed import does not read the cards before its
			// checkpoint: the typing index is built from bleve then.
			im.hashes.stage = newMemIndex()
			im.hashes.stage.noGrams = true
			// Hundreds of MB for a million cards: outside the heap, so
			// that the collector's goal, and the runtime's returning of
			// memory to the system, stay as bleve's work sets them (with
			// the staging in the heap, allocations kept releasing and
			// faulting pages back: 70 s instead of 43).
			im.hashes.stage.recs.offHeap = true
			im.hashes.stage.texts.offHeap = true
		}
	}
	err = im.run(ctx, progress, st.Size())
	sum.Elapsed = b.opts.Clock.Now().Sub(im.start)
	if secs := sum.Elapsed.Seconds(); secs > 0 {
		sum.Rate = float64(sum.Cards-im.cards0) / secs
	}
	sum.Contacts = b.importedCount()
	if im.hashes != nil {
		sum.Contacts = len(im.hashes.m)
	}
	var staged *memIndex
	if im.hashes != nil {
		staged = im.hashes.staged()
		if stage := im.hashes.stage; stage != nil {
			defer func() {
				stage.recs.free()
				stage.texts.free()
			}()
		}
	}
	im.hashes = nil // garbage now: the typing index below needs the room
	if err == nil {
		// The next Open maps the typing index instead of rebuilding it.
		err = b.saveTypingAfterImport(staged)
	}
	if err != nil {
		var le *lineError
		if errors.As(err, &le) {
			return sum, fmt.Errorf("contacts: import %s line %d: %w", base, le.line, le.err)
		}
		return sum, wrap(err)
	}
	return sum, nil
}

func newRunID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

func headHash(f *os.File) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, 64<<10)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

func (b *Book) isClosed() bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.closed
}

func (b *Book) importedCount() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.mem.live() - b.mem.nPushed
}

func (b *Book) loadCheckpoint() (checkpoint, bool) {
	raw, err := b.idx.GetInternal(checkpointKey)
	if err != nil || len(raw) == 0 {
		return checkpoint{}, false
	}
	var cp checkpoint
	if json.Unmarshal(raw, &cp) != nil {
		return checkpoint{}, false
	}
	return cp, true
}

// importer is the state of one Import run.
type importer struct {
	b      *Book
	sum    *Summary
	cp     checkpoint
	scan   *cardScanner
	dec    *cardDecoder
	batch  *bleve.Batch
	nBatch int
	start  time.Time
	cards0 int
	off0   int64 // where in the file this run began

	hashes     *recHashes  // DiskOnly: the imported contacts instead of the in-memory index
	flights    []*flight   // batches handed to bleve and not yet persisted, oldest first
	carried    *checkpoint // the newest checkpoint a batch carried
	landed     *checkpoint // the checkpoint after the newest persisted flight
	committed  int
	seq        int           // number of the batch being filled
	batchStart int64         // offset where it began
	batchFrom  Summary       // the Summary when it began
	records    []int         // batch records on disk or in flight
	skips      []batchRecord // batches of an interrupted run already on disk, in file order
	text       []byte
	rec        []byte
}

func (im *importer) run(ctx context.Context, progress func(Progress), total int64) error {
	b := im.b
	var lastReport time.Time
	report := func(force bool) {
		if progress == nil {
			return
		}
		now := b.opts.Clock.Now()
		if !force && now.Sub(lastReport) < 50*time.Millisecond {
			return
		}
		lastReport = now
		p := Progress{File: im.sum.File, Bytes: im.scan.off, Total: total, Cards: im.sum.Cards, Bad: im.sum.Bad,
			Elapsed: now.Sub(im.start), Paused: b.indexer.Paused(), Committed: im.committed}
		if secs := p.Elapsed.Seconds(); secs > 0 {
			p.Rate = float64(im.sum.Cards-im.cards0) / secs
			done := im.scan.off - im.off0
			if done > 0 && total > im.scan.off {
				p.ETA = time.Duration(float64(p.Elapsed) * float64(total-im.scan.off) / float64(done))
			}
		}
		progress(p)
	}
	if im.hashes == nil && total-im.cp.Offset >= 4<<20 {
		// Tens of thousands of cards fill the gram tail anyway; growing it
		// by doubling copies megabytes in memmoves that cannot be
		// preempted (see byteStore).
		b.mu.Lock()
		if !b.mem.noGrams && cap(b.mem.tail) < b.mem.sealAt {
			// make, not slices.Grow: a fresh allocation is zeroed in
			// preemptible chunks or not at all; growslice clears it
			// in one go (34 ms for these 8 MB on a VM's cold pages).
			tail := make([]uint64, len(b.mem.tail), b.mem.sealAt)
			copy(tail, b.mem.tail)
			b.mem.tail = tail
		}
		b.mu.Unlock()
	}
	eof := false
	for !eof {
		if err := b.indexer.gate(ctx); err != nil {
			return im.finishEarly(err)
		}
		stepStart := b.opts.Clock.Now()
		for i := 0; ; i++ {
			if i%32 == 31 && b.indexer.stepDone(stepStart) {
				break
			}
			rc, err := im.scan.next()
			if err == io.EOF {
				eof = true
				break
			}
			if err != nil {
				return im.finishEarly(&lineError{im.scan.lineNo, err})
			}
			if im.skipDurable(rc.end) {
				continue
			}
			if err := im.card(rc); err != nil {
				return im.finishEarly(err)
			}
			if im.nBatch >= b.opts.BatchSize {
				if err := im.commit(commitNext); err != nil {
					return err
				}
			}
		}
		report(false)
	}
	im.seal()
	if err := im.commit(commitFinal); err != nil {
		return err
	}
	if im.hashes == nil {
		// Renumber in search order while bleve persists the last batch.
		b.resort()
	}
	if err := im.waitPersisted(); err != nil {
		return err
	}
	report(true)
	return nil
}

// finishEarly commits what was read so far (with its checkpoint) so a later
// Import resumes from there, then returns err.
func (im *importer) finishEarly(err error) error {
	im.seal()
	if cerr := im.commit(commitLast); cerr == nil {
		_ = im.waitPersisted()
	}
	return err
}
