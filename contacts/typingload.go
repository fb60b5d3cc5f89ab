package contacts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"os"
	"unsafe"
)

// errTypingStale says a typing file does not match the bleve index or the
// book: it was written for other cards, another default country or by
// other code. It is not damage; Open rebuilds and replaces the file.
var errTypingStale = errors.New("stale")

// loadTyping maps the typing file at path and returns the index it holds,
// which reads from the mapping: the caller keeps the mapping (release)
// until no index built on it is used any more. Any mismatch with want,
// damage or inconsistency is an error and nothing stays mapped.
func loadTyping(path string, want typingMeta) (m *memIndex, release func() error, err error) {
	data, unmap, err := mapFile(path)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			_ = unmap()
		}
	}()
	m, err = decodeTyping(data, want)
	if err != nil {
		return nil, nil, err
	}
	return m, unmap, nil
}

// decodeTyping checks a typing file's bytes and builds an index over them
// (not copied: data must outlive it).
func decodeTyping(data []byte, want typingMeta) (*memIndex, error) {
	if len(data) < typingHeaderSize {
		return nil, fmt.Errorf("truncated: %d bytes", len(data))
	}
	h := data[:typingHeaderSize]
	if string(h[:8]) != typingMagic {
		return nil, errors.New("not a typing index")
	}
	if v := binary.LittleEndian.Uint32(h[8:]); v != typingVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", errTypingStale, v, typingVersion)
	}
	if binary.NativeEndian.Uint32(h[12:]) != byteOrderMark {
		return nil, fmt.Errorf("%w: written on a machine of the other byte order", errTypingStale)
	}
	if size := binary.LittleEndian.Uint64(h[16:]); size != uint64(len(data)) {
		return nil, fmt.Errorf("truncated or extended: %d bytes, header says %d", len(data), size)
	}
	if typingSum(h, crc32.Checksum(data[typingHeaderSize:], castagnoli)) != binary.LittleEndian.Uint32(h[24:]) {
		return nil, errors.New("checksum mismatch")
	}
	if fp := binary.LittleEndian.Uint32(h[36:]); fp != typingFingerprint() {
		return nil, fmt.Errorf("%w: written by other search code", errTypingStale)
	}
	if s := cstr(h[40 : 40+typingStampLen]); s != want.stamp || s == "" {
		return nil, fmt.Errorf("%w: written for other cards", errTypingStale)
	}
	if c := cstr(h[72 : 72+typingStampLen]); c != want.country {
		return nil, fmt.Errorf("%w: written for default country %q", errTypingStale, c)
	}
	n := binary.LittleEndian.Uint32(h[28:])
	if uint64(n) != want.docs {
		return nil, fmt.Errorf("%w: %d contacts, the index has %d", errTypingStale, n, want.docs)
	}
	if ns := binary.LittleEndian.Uint32(h[32:]); ns != nSections {
		return nil, fmt.Errorf("%d sections, want %d", ns, nSections)
	}
	var secs [nSections][]byte
	for i := range secs {
		off, ln := binary.LittleEndian.Uint64(h[104+16*i:]), binary.LittleEndian.Uint64(h[112+16*i:])
		if off < typingHeaderSize || off%8 != 0 || off > uint64(len(data)) || ln > uint64(len(data))-off {
			return nil, fmt.Errorf("section %d out of the file", i)
		}
		secs[i] = data[off : off+ln : off+ln]
	}
	m := &memIndex{byID: make(map[uint64]uint32), sealAt: sealAt}
	var err error
	if m.recs, err = mapStore(secs[secRecData], secs[secRecEnds], secs[secRecSpans], n); err != nil {
		return nil, fmt.Errorf("records: %w", err)
	}
	if m.texts, err = mapStore(secs[secTextData], secs[secTextEnds], secs[secTextSpans], n); err != nil {
		return nil, fmt.Errorf("texts: %w", err)
	}
	for i := uint32(0); i < n; i++ {
		if t := m.texts.get(i); len(t) < 2 || t[0] != ' ' || t[len(t)-1] != ' ' {
			return nil, fmt.Errorf("text %d is not a search text", i)
		}
	}
	if err := m.mapPostings(secs); err != nil {
		return nil, err
	}
	keys, nums := arr[uint64](secs[secPhoneKeys]), arr[uint32](secs[secPhoneNums])
	if keys == nil || nums == nil || len(keys) != len(nums) || !below(nums, n) {
		return nil, errors.New("phone keys do not match their contacts")
	}
	for i := 1; i < len(keys); i++ {
		if keys[i] < keys[i-1] {
			return nil, errors.New("phone keys out of order")
		}
	}
	m.phones = phoneIndex{keys: keys, nums: nums}
	m.baseIDs, m.baseNums = arr[uint64](secs[secIDKeys]), arr[uint32](secs[secIDNums])
	if m.baseIDs == nil || m.baseNums == nil || len(m.baseIDs) != len(m.baseNums) || len(m.baseIDs) > int(n) || !below(m.baseNums, n) {
		return nil, errors.New("ID table does not match the contacts")
	}
	for i := 1; i < len(m.baseIDs); i++ {
		if m.baseIDs[i] <= m.baseIDs[i-1] {
			return nil, errors.New("ID table out of order")
		}
	}
	m.dead = make([]uint64, (n+63)/64)
	m.recent = make([]uint32, n)
	m.sortedN = n
	m.gen = 1
	return m, nil
}

// mapPostings sets m's sealed gram postings (over the file's data) and
// dense bitsets (over the file).
func (m *memIndex) mapPostings(secs [nSections][]byte) error {
	ids, ends := arr[uint32](secs[secBuckets]), arr[uint32](secs[secBucketEnds])
	lens, last := arr[uint32](secs[secBucketLens]), arr[uint32](secs[secBucketLast])
	data := secs[secSealedData]
	if ids == nil || len(ends) != len(ids) || len(lens) != len(ids) || len(last) != len(ids) || uint64(len(data)) >= 1<<32 {
		return errors.New("postings: bad bucket tables")
	}
	m.sealedOff = make([]uint32, nBuckets+1)
	m.sealedLen = make([]uint32, nBuckets)
	m.sealedLast = make([]uint32, nBuckets)
	next, end := uint32(0), uint32(0) // the first bucket not yet set; the end of the data so far
	for i, b := range ids {
		if b >= nBuckets || b < next || ends[i] <= end || ends[i] > uint32(len(data)) {
			return errors.New("postings: bucket table out of order")
		}
		for ; next <= b; next++ {
			m.sealedOff[next] = end
		}
		end = ends[i]
		m.sealedLen[b], m.sealedLast[b] = lens[i], last[i]
	}
	if end != uint32(len(data)) {
		return errors.New("postings: data past the last bucket")
	}
	for ; next <= nBuckets; next++ {
		m.sealedOff[next] = end
	}
	m.sealedData = data
	buckets, bits := arr[uint32](secs[secDenseBuckets]), arr[uint64](secs[secDenseBits])
	words := (int(m.n()) + 63) / 64
	if buckets == nil || bits == nil || len(bits) != len(buckets)*words {
		return errors.New("postings: bad dense bitsets")
	}
	m.dense = make(map[uint32][]uint64, len(buckets))
	for i, b := range buckets {
		if b >= nBuckets {
			return errors.New("postings: bad dense bucket")
		}
		m.dense[b] = bits[i*words : (i+1)*words : (i+1)*words]
	}
	return nil
}

// mapStore builds a byteStore over a file's strings: data back to back,
// the chunks' end offsets, one span per string (see byteStore). Each
// chunk's capacity is its length, so that appending never writes into the
// mapping.
func mapStore(data, endsRaw, spansRaw []byte, n uint32) (byteStore, error) {
	ends, spans := arr[uint64](endsRaw), arr[uint64](spansRaw)
	if ends == nil || spans == nil || len(spans) != int(n) {
		return byteStore{}, fmt.Errorf("%d spans for %d contacts", len(spansRaw)/8, n)
	}
	var st byteStore
	st.chunks = make([][]byte, 0, len(ends))
	start := uint64(0)
	for _, e := range ends {
		if e < start || e > uint64(len(data)) {
			return byteStore{}, errors.New("chunk out of the file")
		}
		st.chunks = append(st.chunks, data[start:e:e])
		start = e
	}
	if start != uint64(len(data)) {
		return byteStore{}, errors.New("chunks do not cover the data")
	}
	for _, sp := range spans {
		c := sp >> 40
		if c >= uint64(len(st.chunks)) {
			return byteStore{}, errors.New("span out of the chunks")
		}
		if sp&spanMask == bigSpan {
			continue
		}
		if s, l := (sp>>20)&spanMask, sp&spanMask; s+l > uint64(len(st.chunks[c])) {
			return byteStore{}, errors.New("span out of its chunk")
		}
	}
	st.spans = spans
	return st, nil
}

// arr views b as a slice of T (b's length a multiple of T's size, its
// start aligned: sections are); an empty section is an empty, non-nil
// slice. It returns nil when b cannot be viewed so.
func arr[T uint32 | uint64](b []byte) []T {
	var z T
	size := int(unsafe.Sizeof(z))
	if len(b)%size != 0 {
		return nil
	}
	if len(b) == 0 {
		return []T{}
	}
	if uintptr(unsafe.Pointer(&b[0]))%uintptr(size) != 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), len(b)/size)
}

func below(nums []uint32, n uint32) bool {
	for _, x := range nums {
		if x >= n {
			return false
		}
	}
	return true
}

// cstr returns b up to its first zero byte.
func cstr(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// typingFingerprint hashes what the code makes of a few sample contacts
// (search texts and gram keys) and the index's constants: a typing file
// written by code that folds, tokenizes or hashes differently is refused
// as stale, without anyone having to remember to bump typingVersion.
func typingFingerprint() uint32 {
	h := fnv.New32a()
	var buf [4]byte
	put := func(x uint32) {
		binary.LittleEndian.PutUint32(buf[:], x)
		h.Write(buf[:])
	}
	put(bucketBits)
	put(storeChunk)
	put(uint32(unsafe.Sizeof(uintptr(0))))
	samples := []Contact{
		{Name: "José Ibáñez-O'Neil", Org: "Acme Logística S.L.", Emails: []string{"jose.ibanez+x@acme.example"},
			Phones: []string{"+34 600 123 456", "(212) 555-0100"}},
		{Name: "王小明", Org: "华为", Phones: []string{"+86 10 1234 5678"}},
		{Name: "ØYVIND Straße", Emails: []string{"o@x"}, Phones: []string{"0034 900 12 34"}},
	}
	es, _ := resolveCountry("ES")
	var text []byte
	var grams []uint32
	for i := range samples {
		c := samples[i]
		c.normalize(es, true)
		text = searchText(text[:0], &c, es, true)
		h.Write(text)
		grams = appendGrams(grams[:0], text)
		for _, g := range grams {
			put(g)
		}
		put(tokenKey(text))
	}
	return h.Sum32()
}

// typingPath is where the typing file of a book directory lives.
func typingPath(dir string) string { return dir + string(os.PathSeparator) + typingName }
