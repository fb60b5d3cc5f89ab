package contacts

import (
	"encoding/json"
	"slices"
	"strconv"
)

// batchRecord describes one committed batch of an import: the cards
// between two offsets of the file and what they added to the Summary. It
// is stored in bleve's internal store in the same batch as those cards, so
// it is on disk exactly when they are. The checkpoint lags behind the
// batches (see commit); after a crash, the records of the batches that
// reached the disk past it let the resumed import skip their cards and
// count them as the first run did, instead of reading them again as
// unchanged.
type batchRecord struct {
	Run     string  `json:"run"` // the import's checkpoint.Run
	Seq     int     `json:"seq"`
	Start   int64   `json:"start"` // offset of the first card's line
	End     int64   `json:"end"`   // offset just after the last card
	EndLine int     `json:"end_line"`
	Delta   Summary `json:"delta"` // counts of these cards only
}

// recordProbe is how many batch numbers past the checkpoint a resumed
// import looks for records: far more than can be in flight at once.
const recordProbe = 16

func recordKey(seq int) []byte {
	return append(append([]byte(nil), checkpointKey...), "."+strconv.Itoa(seq)...)
}

// loadRecords returns the records of the batches after checkpoint cp that
// are on disk, in file order.
func (b *Book) loadRecords(cp checkpoint) []batchRecord {
	var recs []batchRecord
	for seq := cp.Seq; seq < cp.Seq+recordProbe; seq++ {
		raw, err := b.idx.GetInternal(recordKey(seq))
		if err != nil || len(raw) == 0 {
			continue
		}
		var r batchRecord
		// A record of another run (an import of this file that started
		// over, or of another file) says nothing about this one.
		if json.Unmarshal(raw, &r) == nil && r.Seq == seq && r.Run == cp.Run {
			recs = append(recs, r)
		}
	}
	slices.SortFunc(recs, func(a, b batchRecord) int { return int(a.Start - b.Start) })
	return recs
}

// minus returns the counts s added since earlier (a Summary of the same
// import). Bad cards are only ever appended to BadCards.
func (s Summary) minus(earlier Summary) Summary {
	d := Summary{Cards: s.Cards - earlier.Cards, Added: s.Added - earlier.Added, Updated: s.Updated - earlier.Updated,
		Unchanged: s.Unchanged - earlier.Unchanged, Bad: s.Bad - earlier.Bad}
	if len(s.BadCards) > len(earlier.BadCards) {
		d.BadCards = append([]BadCard(nil), s.BadCards[len(earlier.BadCards):]...)
	}
	return d
}

// add counts d's cards into s.
func (s *Summary) add(d Summary) {
	s.Cards += d.Cards
	s.Added += d.Added
	s.Updated += d.Updated
	s.Unchanged += d.Unchanged
	s.Bad += d.Bad
	for _, bc := range d.BadCards {
		if len(s.BadCards) < maxBadListed {
			s.BadCards = append(s.BadCards, bc)
		}
	}
}

// skipDurable reports whether the card ending at end belongs to a batch
// that reached the disk in an earlier, interrupted run. At the end of
// such a batch its counts are added and the checkpoint moves past it.
func (im *importer) skipDurable(end int64) bool {
	for len(im.skips) > 0 && im.skips[0].End < end {
		im.skips = im.skips[1:] // nested in a later record already applied
	}
	if len(im.skips) == 0 || end <= im.skips[0].Start {
		return false
	}
	if r := im.skips[0]; end == r.End {
		im.sum.add(r.Delta)
		im.cp.Offset, im.cp.Line = r.End, r.EndLine
		im.skips = im.skips[1:]
	}
	return true
}
