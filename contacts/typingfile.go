package contacts

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"unsafe"
)

// The typing file (typing.idx beside index.bleve) is the in-memory index
// as it stands after a renumbering, written so that Open can map it
// instead of rebuilding it from bleve (seconds for 250k contacts): the
// records, the search texts, the gram postings, the phone keys, the dense
// bitsets and the contacts' ID hashes, each an array laid out as in
// memory, so that loading is a few slice headers over the mapping and a
// check of the whole file.
//
// Layout: a typingHeaderSize header, then sections at 8-byte aligned
// offsets. The header holds:
//
//	0  magic "agtyping"
//	8  version (typingVersion), uint32 little endian
//	12 byte-order mark 0x01020304 written in native order: the arrays are
//	   native, so a file from a machine of the other order is refused
//	16 file size, uint64
//	24 CRC-32C of the whole file but these four bytes (typingSum), uint32
//	28 contacts (n), uint32
//	32 number of sections, uint32
//	36 fingerprint of the text and gram code (typingFingerprint), uint32
//	40 bleve stamp, 32 bytes: the index's stampKey value the file matches
//	72 country key, 32 bytes (countryKey)
//	104 per section: offset and length, uint64 each
//
// A file is used only when everything matches: magic, version, order,
// size, CRC, fingerprint, the bleve index's stamp and document count, the
// book's default country, and every structural check in loadTyping. Any
// mismatch is an error and Open rebuilds from bleve and writes the file
// again.
const (
	typingName       = "typing.idx"
	typingMagic      = "agtyping"
	typingVersion    = 1
	typingHeaderSize = 512
	typingStampLen   = 32
	byteOrderMark    = 0x01020304
)

// Sections of a typing file, in file order.
const (
	secRecData = iota
	secRecEnds
	secRecSpans
	secTextData
	secTextEnds
	secTextSpans
	secBuckets    // the gram buckets with postings, ascending
	secBucketEnds // per listed bucket: where its postings end in secSealedData
	secBucketLens // per listed bucket: how many nums it holds
	secBucketLast // per listed bucket: its last num
	secSealedData
	secPhoneKeys
	secPhoneNums
	secDenseBuckets
	secDenseBits
	secIDKeys
	secIDNums
	nSections
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// typingMeta is what ties a typing file to a bleve index and a book.
type typingMeta struct {
	stamp   string // the bleve index's stampKey value
	docs    uint64 // the bleve index's document count
	country string // countryKey of the book's default country
}

// countryKey names the numbering facts that searchText depends on.
func countryKey(r region, hasCC bool) string {
	if !hasCC {
		return "-"
	}
	return fmt.Sprintf("%s/%s/%d", r.cc, r.trunk, r.nsnLen)
}

// typingView is what writeTyping writes: an index numbered in search
// order with every contact live and imported, read without the Book's
// lock. Its arrays are never written in place after the view is taken
// (seal replaces the postings, byteStore appends past them) except
// sealedLen and sealedLast, which the view copies.
type typingView struct {
	n                     uint32
	recs, texts           byteStore
	loc                   []uint32
	locBase               uint32
	sealedOff             []uint32
	sealedData            []byte
	sealedLen, sealedLast []uint32
	phoneKeys             []uint64
	phoneNums             []uint32
	dense                 map[uint32][]uint64
}

// typingReady reports whether m can be written as it stands: renumbered,
// sealed, with no dead or pushed contact. The caller holds the Book's lock.
func (m *memIndex) typingReady() bool {
	return !m.noGrams && m.sortedN == m.n() && m.nDead == 0 && m.nPushed == 0 && len(m.tail) == 0 && len(m.phones.tail) == 0
}

// view captures m for writeTyping. The caller holds the Book's lock (read)
// and has checked typingReady.
func (m *memIndex) view() *typingView {
	return &typingView{
		n: m.n(), recs: m.recs.frozen(), texts: m.texts.frozen(), loc: m.loc, locBase: m.locBase,
		sealedOff: m.sealedOff, sealedData: m.sealedData,
		sealedLen: slices.Clone(m.sealedLen), sealedLast: slices.Clone(m.sealedLast),
		phoneKeys: m.phones.keys, phoneNums: m.phones.nums, dense: m.dense,
	}
}

func (v *typingView) slot(num uint32) uint32 {
	if num < uint32(len(v.loc)) {
		return v.loc[num]
	}
	return v.locBase + num - uint32(len(v.loc))
}

// errTypingCancelled is returned by writeTyping when cancel reports true.
var errTypingCancelled = errors.New("cancelled")

// writeTyping writes v to path (through a temporary file renamed over it,
// so that a crash never leaves half a file under the name). cancel, if
// not nil, is polled between sections.
func writeTyping(path string, v *typingView, meta typingMeta, cancel func() bool) (err error) {
	if len(meta.stamp) == 0 || len(meta.stamp) > typingStampLen || len(meta.country) > typingStampLen {
		return fmt.Errorf("contacts: write %s: bad stamp %q or country %q", filepath.Base(path), meta.stamp, meta.country)
	}
	f, err := os.CreateTemp(filepath.Dir(path), typingName+".tmp*")
	if err != nil {
		return fmt.Errorf("contacts: write typing index: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("contacts: write %s: %w", filepath.Base(path), err)
		}
	}()
	if _, err := f.Write(make([]byte, typingHeaderSize)); err != nil {
		return err
	}
	// The ID table (hashing and sorting a million IDs, half a second) is
	// built on another core while the sections before it are written; it
	// only reads v, as the writing does.
	var ids idPairs
	idsDone := make(chan struct{})
	go func() {
		defer close(idsDone)
		ids = v.idPairs()
	}()
	defer func() { <-idsDone }() // never outlives the write
	tw := &typingWriter{crc: crc32.New(castagnoli), off: typingHeaderSize}
	tw.w = bufio.NewWriterSize(io.MultiWriter(f, tw.crc), 1<<20)
	var secs [nSections][2]uint64
	section := func(id int, write func()) error {
		if cancel != nil && cancel() {
			return errTypingCancelled
		}
		tw.align()
		start := tw.off
		write()
		secs[id] = [2]uint64{start, tw.off - start}
		return tw.err
	}
	var recEnds, recSpans, textEnds, textSpans []uint64
	steps := []struct {
		id    int
		write func()
	}{
		{secRecData, func() { recEnds, recSpans = tw.store(v.n, func(num uint32) []byte { return v.recs.get(v.slot(num)) }) }},
		{secRecEnds, func() { writeArr(tw, recEnds) }},
		{secRecSpans, func() { writeArr(tw, recSpans) }},
		{secTextData, func() {
			textEnds, textSpans = tw.store(v.n, func(num uint32) []byte { return v.texts.get(v.slot(num)) })
		}},
		{secTextEnds, func() { writeArr(tw, textEnds) }},
		{secTextSpans, func() { writeArr(tw, textSpans) }},
		{secBuckets, func() { tw.bk = v.buckets(); writeArr(tw, tw.bk.ids) }},
		{secBucketEnds, func() { writeArr(tw, tw.bk.ends) }},
		{secBucketLens, func() { writeArr(tw, tw.bk.lens) }},
		{secBucketLast, func() { writeArr(tw, tw.bk.last) }},
		{secSealedData, func() { tw.write(v.sealedData[:v.sealedOff[nBuckets]]) }},
		{secPhoneKeys, func() { writeArr(tw, v.phoneKeys) }},
		{secPhoneNums, func() { writeArr(tw, v.phoneNums) }},
		{secDenseBuckets, func() {
			bs := make([]uint32, 0, len(v.dense))
			for b := range v.dense {
				bs = append(bs, b)
			}
			slices.Sort(bs)
			writeArr(tw, bs)
			tw.denseOrder = bs
		}},
		{secDenseBits, func() {
			for _, b := range tw.denseOrder {
				writeArr(tw, v.dense[b])
			}
		}},
		{secIDKeys, func() { <-idsDone; tw.ids = ids; writeArr(tw, tw.ids.keys) }},
		{secIDNums, func() { writeArr(tw, tw.ids.nums) }},
	}
	for _, s := range steps {
		if err := section(s.id, s.write); err != nil {
			return err
		}
	}
	if err := tw.w.Flush(); err != nil {
		return err
	}
	hdr := make([]byte, typingHeaderSize)
	copy(hdr, typingMagic)
	binary.LittleEndian.PutUint32(hdr[8:], typingVersion)
	binary.NativeEndian.PutUint32(hdr[12:], byteOrderMark)
	binary.LittleEndian.PutUint64(hdr[16:], tw.off)
	binary.LittleEndian.PutUint32(hdr[28:], v.n)
	binary.LittleEndian.PutUint32(hdr[32:], nSections)
	binary.LittleEndian.PutUint32(hdr[36:], typingFingerprint())
	copy(hdr[40:40+typingStampLen], meta.stamp)
	copy(hdr[72:72+typingStampLen], meta.country)
	for i, s := range secs {
		binary.LittleEndian.PutUint64(hdr[104+16*i:], s[0])
		binary.LittleEndian.PutUint64(hdr[112+16*i:], s[1])
	}
	binary.LittleEndian.PutUint32(hdr[24:], typingSum(hdr, tw.crc.Sum32()))
	if _, err := f.WriteAt(hdr, 0); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(filepath.Dir(path)); derr == nil {
		_ = d.Sync() // the rename's durability; the file is checked on load anyway
		d.Close()
	}
	return nil
}

// typingSum is the file's checksum: its header but the checksum itself,
// then bodySum, the CRC-32C of the bytes after the header.
func typingSum(hdr []byte, bodySum uint32) uint32 {
	h := crc32.Update(0, castagnoli, hdr[:24])
	h = crc32.Update(h, castagnoli, hdr[28:typingHeaderSize])
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], bodySum)
	return crc32.Update(h, castagnoli, b[:])
}

// typingWriter counts and checksums what it writes; the first error
// sticks.
type typingWriter struct {
	w          *bufio.Writer
	crc        hash.Hash32
	off        uint64
	err        error
	denseOrder []uint32
	ids        idPairs
	bk         bucketTable
}

// bucketTable lists the gram buckets that hold postings: a small book
// has few, and its file stays small.
type bucketTable struct{ ids, ends, lens, last []uint32 }

func (v *typingView) buckets() bucketTable {
	var t bucketTable
	for b := uint32(0); b < nBuckets; b++ {
		if v.sealedOff[b+1] > v.sealedOff[b] {
			t.ids = append(t.ids, b)
			t.ends = append(t.ends, v.sealedOff[b+1])
			t.lens = append(t.lens, v.sealedLen[b])
			t.last = append(t.last, v.sealedLast[b])
		}
	}
	return t
}

func (tw *typingWriter) write(p []byte) {
	if tw.err != nil || len(p) == 0 {
		return
	}
	n, err := tw.w.Write(p)
	tw.off += uint64(n)
	tw.err = err
}

func (tw *typingWriter) align() {
	var pad [8]byte
	tw.write(pad[:(8-tw.off%8)%8])
}

// writeArr writes a slice of fixed-size numbers in native byte order.
func writeArr[T uint32 | uint64](tw *typingWriter, a []T) {
	if len(a) == 0 {
		return
	}
	tw.write(unsafe.Slice((*byte)(unsafe.Pointer(&a[0])), len(a)*int(unsafe.Sizeof(a[0]))))
}

// store writes strings 0..n-1 back to back, chunked as byteStore.add
// chunks them, and returns the chunks' end offsets and the spans.
func (tw *typingWriter) store(n uint32, get func(uint32) []byte) (ends, spans []uint64) {
	spans = make([]uint64, 0, n)
	var total, cur uint64
	open := false
	closeChunk := func() {
		if open {
			ends = append(ends, total)
			open = false
		}
	}
	for num := uint32(0); num < n; num++ {
		s := get(num)
		if len(s) >= bigSpan {
			closeChunk()
			tw.write(s)
			total += uint64(len(s))
			ends = append(ends, total)
			spans = append(spans, uint64(len(ends)-1)<<40|bigSpan)
			continue
		}
		if !open || cur+uint64(len(s)) >= storeChunk {
			closeChunk()
			open, cur = true, 0
		}
		tw.write(s)
		spans = append(spans, uint64(len(ends))<<40|cur<<20|uint64(len(s)))
		cur += uint64(len(s))
		total += uint64(len(s))
	}
	closeChunk()
	return ends, spans
}

// idPairs is the sorted ID hash table of a typing file.
type idPairs struct {
	keys []uint64
	nums []uint32
}

// idPairs hashes every contact's ID (all imported) in key order.
func (v *typingView) idPairs() idPairs {
	type pair struct {
		k uint64
		n uint32
	}
	ps := make([]pair, 0, v.n)
	for num := uint32(0); num < v.n; num++ {
		ps = append(ps, pair{idHashBytes(recIDBytes(v.recs.get(v.slot(num))), false), num})
	}
	slices.SortFunc(ps, func(a, b pair) int {
		if a.k != b.k {
			if a.k < b.k {
				return -1
			}
			return 1
		}
		return int(a.n) - int(b.n)
	})
	out := idPairs{keys: make([]uint64, 0, len(ps)), nums: make([]uint32, 0, len(ps))}
	for i, p := range ps {
		if i+1 < len(ps) && ps[i+1].k == p.k {
			continue // as byID: the last num registered under a key wins
		}
		out.keys, out.nums = append(out.keys, p.k), append(out.nums, p.n)
	}
	return out
}
