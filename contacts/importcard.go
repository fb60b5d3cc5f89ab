package contacts

import (
	"bytes"
	"errors"
	"fmt"
)

// card imports one raw card.
func (im *importer) card(rc *rawCard) error {
	b := im.b
	im.sum.Cards++
	im.cp.Offset, im.cp.Line = rc.end, rc.endLine
	c, err := im.dec.decodeCard(rc)
	if err != nil {
		im.sum.Bad++
		if len(im.sum.BadCards) < maxBadListed {
			im.sum.BadCards = append(im.sum.BadCards, badCard(rc, err))
		}
		return nil
	}
	c.normalize(b.country, b.hasCC)
	sanitizeContact(&c)
	c.ID = contactKey(c.ID, c.Name, c.Digits)
	im.rec = appendRec(im.rec[:0], &c)
	known, same := im.remember(&c)
	if same {
		im.sum.Unchanged++
		return nil
	}
	if known {
		im.sum.Updated++
	} else {
		im.sum.Added++
	}
	doc, err := bleveDocRec(&c, im.rec, b.an)
	if err != nil {
		return &lineError{rc.line, err}
	}
	if err := im.batch.IndexAdvanced(doc); err != nil {
		return &lineError{rc.line, err}
	}
	im.nBatch++
	return nil
}

// remember records c (encoded in im.rec) as imported, in the in-memory
// index or, for a DiskOnly book, in im.hashes, and reports whether its ID
// was known and whether its record is unchanged.
func (im *importer) remember(c *Contact) (known, same bool) {
	b := im.b
	if im.hashes != nil {
		var text []byte
		if im.hashes.stage != nil {
			im.text = searchText(im.text[:0], c, b.country, b.hasCC)
			text = im.text
		}
		return im.hashes.put(c.ID, im.rec, text)
	}
	im.text = searchText(im.text[:0], c, b.country, b.hasCC) // outside the lock searches wait on
	b.mu.Lock()
	defer b.mu.Unlock()
	old, known := b.mem.find(c.ID, SourceImport)
	if known && bytes.Equal(b.mem.rec(old), im.rec) {
		return true, true
	}
	b.mem.add(c, im.text)
	return known, false
}

// seal makes the cards added to the in-memory index so far searchable.
func (im *importer) seal() {
	if im.hashes != nil {
		return
	}
	im.b.mu.Lock()
	im.b.mem.seal()
	im.b.mu.Unlock()
}

// badCard describes a rejected card: the line of the faulty property when
// known, else the line of BEGIN:VCARD.
func badCard(rc *rawCard, err error) BadCard {
	line := rc.line
	if rc.err != nil && rc.errAt > 0 {
		line = rc.errAt
	}
	var le *lineError
	if errors.As(err, &le) {
		line, err = le.line, le.err
	}
	return BadCard{Line: line, Err: err.Error()}
}

type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }
