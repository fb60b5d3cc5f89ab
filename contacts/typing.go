package contacts

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// stampKey names, in bleve's internal store, a random value that every
// import batch holding contacts replaces, in the same batch: a typing file
// written for one value says nothing about the cards after the next.
var stampKey = []byte("agentty.typing.stamp")

func newStamp() []byte {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return []byte(hex.EncodeToString(b[:]))
}

// typingMeta returns what a typing file for the bleve index as it stands
// must say.
func (b *Book) typingMeta() (typingMeta, error) {
	stamp, err := b.idx.GetInternal(stampKey)
	if err != nil {
		return typingMeta{}, fmt.Errorf("read stamp: %w", err)
	}
	docs, err := b.idx.DocCount()
	if err != nil {
		return typingMeta{}, fmt.Errorf("count: %w", err)
	}
	return typingMeta{stamp: string(stamp), docs: docs, country: countryKey(b.country, b.hasCC)}, nil
}

// loadMem makes the in-memory index at Open: mapped from the typing file
// when it matches the bleve index, else rebuilt from bleve, in which case
// a goroutine writes the typing file for the next Open.
func (b *Book) loadMem() error {
	// A process killed while writing the file leaves its temporary file;
	// bleve's lock says no other process has this directory open.
	if olds, _ := filepath.Glob(filepath.Join(b.dir, typingName+".tmp*")); len(olds) > 0 {
		for _, p := range olds {
			os.Remove(p)
		}
	}
	meta, err := b.typingMeta()
	if err != nil {
		return err
	}
	path := typingPath(b.dir)
	if meta.docs > 0 && meta.stamp != "" {
		m, release, err := loadTyping(path, meta)
		if err == nil {
			b.mem, b.unmap, b.loadedFrom = m, release, LoadedTyping
			return nil
		}
		b.typingErr = err
	} else {
		b.typingErr = errors.New("no stamp")
	}
	m, err := b.buildFromDisk(true)
	if err != nil {
		return err
	}
	b.mem, b.loadedFrom = m, LoadedBleve
	if meta.docs == 0 {
		return nil
	}
	if meta.stamp == "" {
		// A book written before stamps: give it one (its cards are the
		// ones just read: no import runs during Open).
		s := newStamp()
		if err := b.idx.SetInternal(stampKey, s); err != nil {
			return fmt.Errorf("write stamp: %w", err)
		}
		meta.stamp = string(s)
	}
	gen := b.mem.gen
	b.writes.Add(1)
	go func() {
		defer b.writes.Done()
		b.saveTyping(meta, gen)
	}()
	return nil
}

// Where Open found the in-memory index (Book.LoadedFrom).
const (
	LoadedNone   = ""             // a DiskOnly book
	LoadedTyping = "typing index" // mapped from the typing file
	LoadedBleve  = "bleve"        // rebuilt from the bleve index's stored records
)

// LoadedFrom tells where Open found the in-memory index (LoadedTyping,
// LoadedBleve or, for a DiskOnly book, LoadedNone) and, when it was
// rebuilt, why the typing file was not used.
func (b *Book) LoadedFrom() (string, error) { return b.loadedFrom, b.typingErr }

// buildFromDisk builds an in-memory index of every contact in the bleve
// index, numbered in search order; without ids, only to write it (see
// rebuiltWith). With Options.Background it keeps to one core.
func (b *Book) buildFromDisk(ids bool) (*memIndex, error) {
	m := newMemIndex()
	m.noGrams = true // staging: records and texts only; rebuilt indexes them
	imported := []byte(recSep + string(SourceImport))
	var text, buf []byte
	err := b.visitStored(func(rec []byte) error {
		c := decodeRec(string(rec))
		text = searchText(text[:0], &c, b.country, b.hasCC)
		if !bytes.HasSuffix(rec, imported) {
			c.Source = SourceImport
			buf = appendRec(buf[:0], &c)
			rec = buf
		}
		m.stage(rec, text)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m.rebuiltWith(ids, b.workers()), nil
}

// workers is how many goroutines build postings: one with
// Options.Background.
func (b *Book) workers() int {
	if b.opts.Background {
		return 1
	}
	return min(runtime.GOMAXPROCS(0), 4)
}

// saveTyping writes the typing file from the in-memory index if it is
// still the one of generation gen (0: any) and holds exactly the imported
// contacts (meta's). A failure is kept for LoadedFrom; the next Open
// rebuilds.
func (b *Book) saveTyping(meta typingMeta, gen uint64) {
	b.mu.RLock()
	if b.closed || (gen != 0 && b.mem.gen != gen) || !b.mem.typingReady() || uint64(b.mem.n()) != meta.docs {
		b.mu.RUnlock()
		return
	}
	v := b.mem.view()
	b.mu.RUnlock()
	if err := writeTyping(typingPath(b.dir), v, meta, b.stopWrites.Load); err != nil && !errors.Is(err, errTypingCancelled) {
		b.setTypingErr(err)
	}
}

func (b *Book) setTypingErr(err error) {
	b.mu.Lock()
	b.typingErr = err
	b.mu.Unlock()
}

// saveTypingAfterImport writes the typing file after an import that
// completed: from the in-memory index, or for a DiskOnly book from staged
// (the records and texts of every contact, read by the import; bleve is
// closed meanwhile, see closeIndexWhile) or else from the bleve index: the
// console's next Open then maps it instead of rebuilding for seconds.
// Nothing is written when the file already matches. A failure to write is
// kept for LoadedFrom; the error is bleve's, reopened after the build.
func (b *Book) saveTypingAfterImport(staged *memIndex) error {
	meta, err := b.typingMeta()
	if err != nil || meta.stamp == "" || meta.docs == 0 || typingCurrent(typingPath(b.dir), meta) {
		return nil
	}
	if !b.opts.DiskOnly {
		b.saveTyping(meta, 0)
		return nil
	}
	if staged != nil && uint64(staged.live()) == meta.docs {
		b.builtFrom = "staged"
		return b.closeIndexWhile(func() {
			// The Book's lock is held.
			if err := b.writeTypingOf(staged.rebuiltWith(false, b.workers()), meta); err != nil {
				b.typingErr = err
			}
		})
	}
	m, err := b.buildFromDisk(false)
	if err == nil {
		b.builtFrom = "bleve"
		err = b.writeTypingOf(m, meta)
	}
	if err != nil {
		b.setTypingErr(err)
	}
	return nil
}

// writeTypingOf writes the typing file from m if it holds meta's contacts.
func (b *Book) writeTypingOf(m *memIndex, meta typingMeta) error {
	if !m.typingReady() || uint64(m.n()) != meta.docs {
		return nil
	}
	if err := writeTyping(typingPath(b.dir), m.view(), meta, b.stopWrites.Load); err != nil && !errors.Is(err, errTypingCancelled) {
		return err
	}
	return nil
}

// closeIndexWhile runs build with the bleve index closed and opens it
// again afterwards, holding the Book's lock meanwhile (searches wait).
// An import touches most pages of bleve's segment files, which stay
// mapped in the process while the index is open: a million cards leave
// 160 MB of them resident, on top of the typing index being built. The
// directory lock (lockDir) keeps other processes out meanwhile; where
// there is none, build runs with the index open. The error is the
// reopening's: the Book then answers bleve's "index closed".
func (b *Book) closeIndexWhile(build func()) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !dirLocked || b.closed {
		build()
		return nil
	}
	if err := b.idx.Close(); err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	build()
	idx, err := openIndex(filepath.Join(b.dir, indexName))
	if err != nil {
		return fmt.Errorf("reopen index: %w", err)
	}
	b.idx = idx
	return nil
}

// typingCurrent reports whether the typing file at path was written for
// meta, from its header alone (a damaged body is found at load).
func typingCurrent(path string, meta typingMeta) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	h := make([]byte, typingHeaderSize)
	if _, err := io.ReadFull(f, h); err != nil {
		return false
	}
	return string(h[:8]) == typingMagic && binary.LittleEndian.Uint32(h[8:]) == typingVersion &&
		binary.LittleEndian.Uint32(h[36:]) == typingFingerprint() &&
		cstr(h[40:40+typingStampLen]) == meta.stamp && cstr(h[72:72+typingStampLen]) == meta.country &&
		uint64(binary.LittleEndian.Uint32(h[28:])) == meta.docs
}
