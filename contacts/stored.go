package contacts

import (
	"bytes"
	"fmt"
	"hash/maphash"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// visitStored calls fn with the stored record (appendRec's encoding,
// without storedVersion) of every live document in the bleve index, until
// fn returns an error. With scorch it reads the segments' stored fields
// directly; any other index is read document by document.
func (b *Book) visitStored(fn func(rec []byte) error) error {
	adv, err := b.idx.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	visit := func(js []byte) error {
		if !bytes.HasPrefix(js, []byte(storedVersion)) {
			return fmt.Errorf("stored contact: unknown record version %q", truncate(js, 8))
		}
		return fn(js[len(storedVersion):])
	}
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		for _, seg := range snap.Segments() {
			del := seg.Deleted()
			n := uint64(seg.FullSize())
			for i := uint64(0); i < n; i++ {
				if del != nil && del.Contains(uint32(i)) {
					continue
				}
				var ferr error
				err := seg.VisitDocument(i, func(field string, _ byte, val []byte, _ []uint64) bool {
					if field == fieldStored {
						ferr = visit(val)
						return false
					}
					return true
				})
				if err == nil {
					err = ferr
				}
				if err != nil {
					return err
				}
			}
		}
		return nil
	}
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer ids.Close()
	for {
		iid, err := ids.Next()
		if err != nil {
			return err
		}
		if iid == nil {
			return nil
		}
		ext, err := r.ExternalID(iid)
		if err != nil {
			return err
		}
		doc, err := r.Document(ext)
		if err != nil || doc == nil {
			return fmt.Errorf("document %s: %v", ext, err)
		}
		var ferr error
		doc.VisitFields(func(f index.Field) {
			if f.Name() == fieldStored {
				ferr = visit(f.Value())
			}
		})
		if ferr != nil {
			return ferr
		}
	}
}

// recHashes tells, for a book without the in-memory index (DiskOnly),
// whether an imported card is new, changed or unchanged: it maps each
// imported contact's ID to a hash of its record. IDs are keyed by two
// independently seeded 64-bit hashes (a collision among a million IDs is
// about one chance in 10^26), so that the map holds no pointers: the
// garbage collector, which runs many times during a long import, never
// walks its million entries.
type recHashes struct {
	seed, id1, id2 maphash.Seed
	m              map[[2]uint64]recHash

	// stage holds the records and search texts of the cards this import
	// read (the last version of each), for the typing index: when they
	// are every contact in the book, it is built from them instead of
	// from bleve's stored records. nil once that cannot be the case.
	stage *memIndex
}

// recHash is what recHashes keeps of one contact: a hash of its record
// and its slot in stage (noSlot if this import has not read it).
type recHash struct {
	sum  uint64
	slot uint32
}

const noSlot = ^uint32(0)

// storedHashes loads the hash of every contact in the bleve index.
func (b *Book) storedHashes() (*recHashes, error) {
	n, err := b.idx.DocCount()
	if err != nil {
		return nil, err
	}
	h := &recHashes{seed: maphash.MakeSeed(), id1: maphash.MakeSeed(), id2: maphash.MakeSeed(), m: make(map[[2]uint64]recHash, n)}
	err = b.visitStored(func(rec []byte) error {
		id := recIDBytes(rec)
		h.m[[2]uint64{maphash.Bytes(h.id1, id), maphash.Bytes(h.id2, id)}] = recHash{maphash.Bytes(h.seed, rec), noSlot}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

func (h *recHashes) key(id string) [2]uint64 {
	return [2]uint64{maphash.String(h.id1, id), maphash.String(h.id2, id)}
}

// put records rec under id and reports whether id was known and whether
// its record is the same as before. text, if not nil, is the card's
// search text, and the card is staged (see stage).
func (h *recHashes) put(id string, rec, text []byte) (known, same bool) {
	k := h.key(id)
	sum := maphash.Bytes(h.seed, rec)
	old, known := h.m[k]
	same = known && old.sum == sum
	slot := old.slot
	if !known {
		slot = noSlot
	}
	if h.stage != nil && text != nil && (!same || slot == noSlot) {
		if slot != noSlot {
			h.stage.kill(slot) // an earlier card of this import with the same ID
		}
		slot = h.stage.n()
		h.stage.stage(rec, text)
	}
	h.m[k] = recHash{sum, slot}
	return known, same
}

// staged returns the staged index if it holds every contact in the book.
func (h *recHashes) staged() *memIndex {
	if h.stage == nil || h.stage.live() != len(h.m) {
		return nil
	}
	return h.stage
}

// recIDBytes returns the ID field of an encoded record, not copied.
func recIDBytes(rec []byte) []byte {
	if i := bytes.IndexByte(rec, recSep[0]); i >= 0 {
		return rec[:i]
	}
	return rec
}
