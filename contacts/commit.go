package contacts

import (
	"encoding/json"
	"fmt"
	"slices"
)

// batchesInFlight bounds the bleve batches an import has handed over and
// not yet seen persisted. scorch builds a batch's segment on the goroutine
// that calls Batch, and that is most of an import's work: with two batches
// in flight both cores build segments while the importer parses the next
// cards. With Options.Background there is none: the importer builds each
// segment itself, in turn with parsing.
const batchesInFlight = 2

// flight is a batch handed to bleve.
type flight struct {
	introduced chan struct{} // closed when idx.Batch has returned: the batch's contacts are in the index
	persisted  chan error    // receives nil once the batch is durable, or its error
	cp         checkpoint    // the import's checkpoint after this batch's cards
	carries    bool          // the batch writes a checkpoint (its own or an earlier one)
}

// commitKind says which checkpoint a batch carries.
type commitKind int

const (
	// commitNext: an import goes on after this batch. The batch carries
	// the checkpoint after the newest batch that is in the index together
	// with every batch before it, if that moved on.
	commitNext commitKind = iota
	// commitLast: the import stops early (an error, ctx, Close). Earlier
	// batches are persisted first, and the batch carries the checkpoint
	// after every card read.
	commitLast
	// commitFinal: the import is complete. Earlier batches are persisted
	// first, and the batch removes the checkpoint.
	commitFinal
)

// commit hands the pending batch to bleve on a committer goroutine, so
// that parsing goes on meanwhile, and waits first while batchesInFlight
// are already out.
//
// A batch's checkpoint must never get to disk without every card before
// it. scorch persists whole snapshots of the index, and a snapshot holds
// every batch introduced before it, but two batches in flight may be
// introduced in either order. So a batch carries its own checkpoint only
// when every batch before it is in the index (its Batch call has
// returned); otherwise it carries the checkpoint of the newest batch that
// is, with all the batches before it: if it is persisted, so are they.
// A batch still outside the index that carries a checkpoint may be
// introduced after a later one, so while there is one, a batch carries
// none (the checkpoint in the index would go back).
// Every batch also records its range and counts (batchRecord), so that an
// import resumed after a crash skips the batches past the checkpoint that
// reached the disk and counts them as the interrupted run did.
func (im *importer) commit(kind commitKind) error {
	if kind != commitNext {
		if err := im.waitPersisted(); err != nil {
			return err
		}
	}
	limit := batchesInFlight
	if im.b.opts.Background {
		limit = 1 // and Batch runs on this goroutine: nothing runs beside it
	}
	for len(im.flights) >= limit {
		if err := im.waitOldest(); err != nil {
			return err
		}
	}
	f := &flight{introduced: make(chan struct{}), persisted: make(chan error, 2), cp: im.cp}
	f.cp.Seq = im.seq + 1
	f.cp.Sum = *im.sum
	f.cp.Sum.BadCards = append([]BadCard(nil), im.sum.BadCards...)
	batch := im.batch
	var carry *checkpoint
	switch kind {
	case commitFinal:
		batch.DeleteInternal(checkpointKey)
		for _, seq := range im.records {
			batch.DeleteInternal(recordKey(seq))
		}
		im.records = nil
	case commitLast:
		carry = &f.cp
	case commitNext:
		carry = im.nextCarry(f, im.b.lagCheckpoints)
	}
	f.carries = carry != nil
	if im.nBatch > 0 {
		// The cards change: a typing file written before says nothing
		// about them (typing.go).
		batch.SetInternal(stampKey, newStamp())
	}
	if kind != commitFinal {
		rec := batchRecord{Run: im.cp.Run, Seq: im.seq, Start: im.batchStart, End: im.cp.Offset, EndLine: im.cp.Line, Delta: im.sum.minus(im.batchFrom)}
		raw, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		batch.SetInternal(recordKey(rec.Seq), raw)
		im.records = append(im.records, rec.Seq)
	}
	if carry != nil {
		raw, err := json.Marshal(carry)
		if err != nil {
			return err
		}
		batch.SetInternal(checkpointKey, raw)
		im.carried = carry
		// The records of the batches before the checkpoint are of no
		// more use: drop them with it.
		im.records = slices.DeleteFunc(im.records, func(seq int) bool {
			if seq < carry.Seq {
				batch.DeleteInternal(recordKey(seq))
				return true
			}
			return false
		})
	}
	im.seq++
	im.batchStart, im.batchFrom = im.cp.Offset, *im.sum
	im.batchFrom.BadCards = f.cp.Sum.BadCards
	hook := im.b.opts.OnCheckpoint
	batch.SetPersistedCallback(func(err error) {
		if err == nil && hook != nil && carry != nil {
			hook(carry.Line, carry.Sum.Cards)
		}
		f.persisted <- err
	})
	idx := im.b.idx
	run := func() {
		defer close(f.introduced)
		if err := idx.Batch(batch); err != nil {
			f.persisted <- fmt.Errorf("commit batch: %w", err)
		}
	}
	if im.b.opts.Background {
		run() // build the segment here: parsing waits meanwhile
	} else {
		// Owned by the importer: waitPersisted (called before any return
		// of Import) waits for every flight, so this goroutine never
		// outlives the import.
		go run()
	}
	im.flights = append(im.flights, f)
	im.committed += im.nBatch
	im.batch = idx.NewBatch()
	im.nBatch = 0
	return nil
}

// nextCarry returns the checkpoint f carries when the import goes on
// after it: its own when every batch before it is in the index (unless
// lag), else introducedCheckpoint's.
func (im *importer) nextCarry(f *flight, lag bool) *checkpoint {
	if !lag && im.introduced() == len(im.flights) {
		return &f.cp
	}
	return im.introducedCheckpoint()
}

// introducedCheckpoint returns the checkpoint after the newest flight
// that is in the index with every flight before it, or nil if that is the
// checkpoint already carried (or there is none).
//
// It is nil too while a flight that carries a checkpoint is not in the
// index: bleve may introduce that flight after this batch, and its older
// checkpoint would overwrite this one (and this one has dropped the
// records of the batches between them). The next batch carries it then.
func (im *importer) introducedCheckpoint() *checkpoint {
	n := im.introduced()
	for _, f := range im.flights[n:] {
		if f.carries {
			return nil
		}
	}
	cp := im.landed
	if n > 0 {
		cp = &im.flights[n-1].cp
	}
	if cp == nil || (im.carried != nil && im.carried.Offset >= cp.Offset) {
		return nil
	}
	return cp
}

// introduced returns how many of the oldest flights are in the index with
// every flight before them.
func (im *importer) introduced() int {
	for i, f := range im.flights {
		select {
		case <-f.introduced:
		default:
			return i
		}
	}
	return len(im.flights)
}

// waitOldest waits until the oldest flight is persisted and drops it.
func (im *importer) waitOldest() error {
	f := im.flights[0]
	err := <-f.persisted
	<-f.introduced
	im.flights = im.flights[1:]
	if err != nil {
		return fmt.Errorf("persist batch: %w", err)
	}
	im.landed = &f.cp
	return nil
}

// waitPersisted waits until every flight is persisted. It returns the
// first error, having waited for all of them.
func (im *importer) waitPersisted() error {
	var first error
	for len(im.flights) > 0 {
		if err := im.waitOldest(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
