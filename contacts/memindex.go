package contacts

import (
	"bytes"
	"slices"
)

// The in-memory index serves keystrokes and caller-ID. It is rebuilt from
// bleve at Open and kept in sync by every import batch and Push; bleve stays
// the durable store.
//
// Every contact gets a number (num) in arrival order. Its folded search
// text (" name words org words email words digit tokens ") and its record
// live in byteStores (chunks never moved once written). Gram postings map hashed 3-rune windows of the texts to the
// sorted nums containing them: a sealed part, delta-varint encoded per
// bucket, plus a short unsorted tail of (bucket, num) pairs that is sealed
// once it grows. Updates append a new num and mark the old one dead.

const (
	bucketBits = 18
	nBuckets   = 1 << bucketBits
	sealAt     = 1 << 20 // tail pairs that trigger a seal
	wsMarker   = 0x10FFFF + 1
)

type memIndex struct {
	recs  byteStore // encoded contacts, one per storage slot
	texts byteStore // folded search texts, parallel to recs
	dead  []uint64  // bitset of replaced or removed nums
	nDead int
	byID  map[uint64]uint32 // idHash(ID, source) -> live num; over baseIDs
	// baseIDs and baseNums (sorted by key) hold the imported contacts of
	// an index loaded from a typing file (see typingfile.go): byID then
	// only holds what changed since, and wins over them.
	baseIDs  []uint64
	baseNums []uint32
	nPushed  int
	recent   []uint32 // call sequence per num, 0 = never called

	sealedOff  []uint32 // nBuckets+1 offsets into sealedData
	sealedData []byte
	sealedLast []uint32 // last num per bucket in sealed, for delta appends
	sealedLen  []uint32 // number of nums per bucket in sealed
	tail       []uint64 // bucket<<32 | num, nums not yet sealed

	phones phoneIndex
	gen    uint64 // bumped on every change; invalidates search caches

	// sortedN: nums below it are in search order (rank == num); the rest
	// were appended since the last rebuild, in arrival order.
	sortedN    uint32
	recentNums []uint32 // nums ever marked called (may include dead ones)

	// loc maps the nums numbered by rebuilt to storage slots; later nums
	// map to locBase onwards in order.
	loc     []uint32
	locBase uint32

	noShortcut bool // tests: always take the complete search path

	// dense holds, for the longest posting lists at the last renumbering,
	// a bitset over nums below sortedN: intersecting those is a few
	// thousand word ANDs instead of decoding hundreds of thousands of
	// varints (phone digit grams are few and very common).
	dense map[uint32][]uint64

	sealAt  int  // tail length that triggers a seal
	noGrams bool // records and texts only (a staging index for rebuilt)

	scratch    []uint32
	scratchRec []byte
}

func newMemIndex() *memIndex {
	return &memIndex{
		byID:       make(map[uint64]uint32),
		sealedOff:  make([]uint32, nBuckets+1),
		sealedLast: make([]uint32, nBuckets),
		sealedLen:  make([]uint32, nBuckets),
		sealAt:     sealAt,
	}
}

func gramKey(a, b, c rune) uint32 {
	k := uint64(a)<<42 | uint64(b)<<21 | uint64(c)
	return uint32((k * 0x9E3779B97F4A7C15) >> (64 - bucketBits))
}

// tokenKey is the gram of "a word is exactly tok".
func tokenKey(tok []byte) uint32 {
	h := uint64(14695981039346656037)
	for _, c := range tok {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return uint32((h * 0x9E3779B97F4A7C15) >> (64 - bucketBits))
}

// nameKey is the gram b restricted to the words of the name: the word
// start and whole-word grams of the name are posted under both, so that
// search can read the contacts matching in their name first.
func nameKey(b uint32) uint32 {
	return uint32(((uint64(b) + 0x5BD1E995) * 0xC2B2AE3D27D4EB4F) >> (64 - bucketBits))
}

// wordStartKey is the gram of "a word starts with r".
func wordStartKey(r rune) uint32 { return gramKey(' ', r, wsMarker) }

// appendGrams appends the gram buckets of a search text: every 3-rune
// window whose middle rune is not a space, a word-start gram for the first
// rune of each word and for every Han ideograph, and for a Han ideograph
// not at a word start the window (' ', it, next) so that a name typed from
// any of its characters is a prefix match, and every window of digitWindow
// digits (digitgrams.go). The whole-word, word-start and
// (' ', first, second) grams of the name's words are also posted under
// their nameKey.
func appendGrams(dst []uint32, text []byte) []uint32 {
	var rs [256]rune
	runes := rs[:0]
	for _, r := range string(text) {
		runes = append(runes, r)
	}
	mk := nameEndIn(text)
	// One gram per whole token, for the exact tier.
	for start := 0; start < len(text); {
		end := bytes.IndexByte(text[start:], ' ')
		if end < 0 {
			end = len(text) - start
		}
		if tok := text[start : start+end]; end > 0 && !(end == 1 && tok[0] == nameEnd) {
			k := tokenKey(tok)
			dst = append(dst, k)
			if start < mk {
				dst = append(dst, nameKey(k))
			}
		}
		start += end + 1
	}
	inName := true
	for i := 1; i+1 < len(runes); i++ {
		r := runes[i]
		if r == nameEnd {
			inName = false
		}
		if r == ' ' || r == nameEnd {
			continue
		}
		g := gramKey(runes[i-1], r, runes[i+1])
		dst = append(dst, g)
		han := isHan(r)
		if runes[i-1] == ' ' && inName {
			dst = append(dst, nameKey(g))
		}
		if runes[i-1] == ' ' || han {
			dst = append(dst, wordStartKey(r))
			if inName {
				dst = append(dst, nameKey(wordStartKey(r)))
			}
		}
		if han && runes[i-1] != ' ' {
			hg := gramKey(' ', r, runes[i+1])
			dst = append(dst, hg)
			if inName {
				dst = append(dst, nameKey(hg))
			}
		}
	}
	dst = appendDigitWindows(dst, text)
	// Duplicates are left in: seal drops repeated nums within a bucket.
	return dst
}

// add appends c (already normalised) and returns its num. A live contact
// with the same key is marked dead and its call recency carried over.
func (m *memIndex) add(c *Contact, text []byte) uint32 {
	m.scratchRec = appendRec(m.scratchRec[:0], c)
	return m.addRaw(c.ID, c.Source, c.Digits, m.scratchRec, text, 0)
}

// addRaw appends an encoded record; recent is the call sequence to keep
// unless an older version of the contact carries one.
func (m *memIndex) addRaw(id string, src Source, digits []string, rec, text []byte, recent uint32) uint32 {
	num := m.n()
	m.recs.add(rec)
	m.texts.add(text)
	m.indexNum(num, id, src, digits, text, recent)
	return num
}

// stage appends an encoded record and its text to a staging index (one
// with noGrams) that only rebuilt reads: no ID table (the records are
// distinct contacts), no grams, no phones.
func (m *memIndex) stage(rec, text []byte) {
	num := m.n()
	m.recs.add(rec)
	m.texts.add(text)
	m.recent = append(m.recent, 0)
	if int(num)/64 >= len(m.dead) {
		m.dead = append(m.dead, 0)
	}
	m.gen++
}

// indexNum registers num (whose record and text are stored) under its ID,
// recency and grams.
func (m *memIndex) indexNum(num uint32, id string, src Source, digits []string, text []byte, recent uint32) {
	key := idHash(id, src)
	if old, ok := m.idNum(key); ok && recID(m.rec(old)) == id {
		m.kill(old)
		recent = max(recent, m.recent[old])
	} else if src == SourcePushed {
		m.nPushed++
	}
	m.byID[key] = num
	m.recent = append(m.recent, recent)
	if recent > 0 {
		m.recentNums = append(m.recentNums, num)
	}
	if int(num)/64 >= len(m.dead) {
		m.dead = append(m.dead, 0)
	}
	m.gen++
	if m.noGrams {
		return
	}
	m.scratch = appendGrams(m.scratch[:0], text)
	if len(m.tail) > 0 && len(m.tail)+len(m.scratch) > max(m.sealAt, cap(m.tail)) {
		// Seal first rather than grow the tail past its size: growing
		// copies it (8 MB) in one memmove that cannot be preempted.
		m.seal()
	}
	for _, b := range m.scratch {
		m.tail = append(m.tail, uint64(b)<<32|uint64(num))
	}
	for _, d := range digits {
		m.phones.add(d, num)
	}
	if len(m.tail) >= m.sealAt {
		m.seal()
	}
}

// slot returns the storage slot (index into recs and texts) of num.
func (m *memIndex) slot(num uint32) uint32 {
	if num < uint32(len(m.loc)) {
		return m.loc[num]
	}
	return m.locBase + num - uint32(len(m.loc))
}

// dropPostings frees the gram and phone postings; only rebuilt may be
// called afterwards.
func (m *memIndex) dropPostings() {
	m.sealedData, m.sealedOff, m.sealedLast, m.sealedLen, m.tail = nil, nil, nil, nil, nil
	m.phones = phoneIndex{}
	m.byID, m.baseIDs, m.baseNums = nil, nil, nil
}

// n returns the number of nums allocated (live or dead).
func (m *memIndex) n() uint32 {
	return uint32(len(m.loc)) + uint32(m.recs.len()) - m.locBase
}

// rec returns the encoded record of num.
func (m *memIndex) rec(num uint32) []byte {
	return m.recs.get(m.slot(num))
}

// find returns the live num of the contact with this ID and source.
func (m *memIndex) find(id string, src Source) (uint32, bool) {
	num, ok := m.idNum(idHash(id, src))
	if !ok || recID(m.rec(num)) != id {
		return 0, false
	}
	return num, true
}

// idNum returns the num last registered under key.
func (m *memIndex) idNum(key uint64) (uint32, bool) {
	if num, ok := m.byID[key]; ok {
		return num, true
	}
	if i, ok := slices.BinarySearch(m.baseIDs, key); ok {
		return m.baseNums[i], true
	}
	return 0, false
}

// idHash keys byID: FNV-1a of the ID, pushed contacts in their own space.
// A collision is caught by find comparing the stored ID.
func idHash(id string, src Source) uint64 { return idHashOf(id, src == SourcePushed) }

func idHashBytes(id []byte, pushed bool) uint64 { return idHashOf(id, pushed) }

func idHashOf[T string | []byte](id T, pushed bool) uint64 {
	h := uint64(14695981039346656037)
	if pushed {
		h ^= 0xff
		h *= 1099511628211
	}
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	return h
}

// removePushed kills every pushed contact.
func (m *memIndex) removePushed() {
	if m.nPushed == 0 {
		return
	}
	for k, num := range m.byID {
		if recSource(m.rec(num)) == SourcePushed {
			m.kill(num)
			delete(m.byID, k)
		}
	}
	m.nPushed = 0
	m.gen++
}

func (m *memIndex) kill(num uint32) {
	if !m.isDead(num) {
		m.dead[num/64] |= 1 << (num % 64)
		m.nDead++
	}
}

func (m *memIndex) isDead(num uint32) bool { return m.dead[num/64]&(1<<(num%64)) != 0 }

// gone reports whether num is dead or out of range: nums read from
// postings pass here first, so that an index loaded from a damaged file
// that passed its checks could not read past its contacts.
func (m *memIndex) gone(num uint32) bool { return num >= m.n() || m.isDead(num) }

func (m *memIndex) text(num uint32) []byte {
	return m.texts.get(m.slot(num))
}

func (m *memIndex) live() int { return int(m.n()) - m.nDead }
