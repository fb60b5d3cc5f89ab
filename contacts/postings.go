package contacts

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// seal moves the tail into the sealed postings (counting sort by bucket;
// nums in the tail are all greater than the sealed ones, so each bucket's
// list stays sorted and only gets appended to).
func (m *memIndex) seal() {
	if len(m.tail) == 0 {
		m.phones.seal()
		return
	}
	counts := make([]uint32, nBuckets+1)
	for _, p := range m.tail {
		counts[p>>32+1]++
	}
	for i := 1; i <= nBuckets; i++ {
		counts[i] += counts[i-1]
	}
	sorted := make([]uint32, len(m.tail))
	for _, p := range m.tail {
		b := p >> 32
		sorted[counts[b]] = uint32(p)
		counts[b]++
	}
	// counts[b] is now the end of bucket b in sorted; its start is counts[b-1].
	// Room for the worst case (5 bytes a num), so that data never grows:
	// growing it would copy all the postings in one memmove that cannot
	// be preempted (see byteStore).
	data := make([]byte, 0, len(m.sealedData)+len(m.tail)*binary.MaxVarintLen32)
	off := make([]uint32, nBuckets+1)
	start := uint32(0)
	for b := 0; b < nBuckets; b++ {
		off[b] = uint32(len(data))
		data = append(data, m.sealedData[m.sealedOff[b]:m.sealedOff[b+1]]...)
		end := counts[b]
		last, n := m.sealedLast[b], m.sealedLen[b]
		for _, num := range sorted[start:end] {
			if n > 0 && num == last {
				continue
			}
			if n == 0 {
				data = binary.AppendUvarint(data, uint64(num))
			} else {
				data = binary.AppendUvarint(data, uint64(num-last))
			}
			last = num
			n++
		}
		m.sealedLast[b], m.sealedLen[b] = last, n
		start = end
	}
	off[nBuckets] = uint32(len(data))
	m.sealedData, m.sealedOff = data, off
	m.tail = m.tail[:0]
	if cap(m.tail) > 2*sealAt {
		m.tail = nil
	}
	m.phones.seal()
}

// postingLen estimates the length of bucket b's list (sealed part only).
func (m *memIndex) postingLen(b uint32) int { return int(m.sealedLen[b]) }

// postings appends the sorted nums of bucket b to dst.
func (m *memIndex) postings(dst []uint32, b uint32) []uint32 {
	data := m.sealedData[m.sealedOff[b]:m.sealedOff[b+1]]
	var last uint32
	for i := 0; len(data) > 0; i++ {
		v, n := binary.Uvarint(data)
		if n <= 0 {
			break // damaged (see memIndex.gone)
		}
		data = data[n:]
		if i == 0 {
			last = uint32(v)
		} else {
			last += uint32(v)
		}
		dst = append(dst, last)
	}
	for _, p := range m.tail {
		if uint32(p>>32) == b {
			if n := uint32(p); len(dst) == 0 || dst[len(dst)-1] != n {
				dst = append(dst, n)
			}
		}
	}
	return dst
}

// postingIter walks one bucket's nums in order without decoding the whole
// list: sealed part first, then the tail.
type postingIter struct {
	data []byte
	last uint32
	n    int
	tail []uint64
	b    uint32
	len  int // the sealed list's length (postingLen)
}

func (m *memIndex) iter(b uint32) postingIter {
	return postingIter{data: m.sealedData[m.sealedOff[b]:m.sealedOff[b+1]], tail: m.tail, b: b, len: m.postingLen(b)}
}

// next returns the next num, or false at the end.
func (it *postingIter) next() (uint32, bool) {
	if len(it.data) > 0 {
		v, k := binary.Uvarint(it.data)
		if k <= 0 {
			it.data, it.tail = nil, nil // damaged (see memIndex.gone)
			return 0, false
		}
		it.data = it.data[k:]
		if it.n == 0 {
			it.last = uint32(v)
		} else {
			it.last += uint32(v)
		}
		it.n++
		return it.last, true
	}
	for len(it.tail) > 0 {
		p := it.tail[0]
		it.tail = it.tail[1:]
		if uint32(p>>32) == it.b && (it.n == 0 || uint32(p) != it.last) {
			it.last = uint32(p)
			it.n++
			return it.last, true
		}
	}
	return 0, false
}

// andIter yields the nums present in every one of its lists, lazily.
type andIter struct {
	its  []postingIter
	cur  []uint32
	done bool
}

func newAndIter(its ...postingIter) *andIter {
	return &andIter{its: its, cur: make([]uint32, len(its))}
}

func (a *andIter) next() (uint32, bool) {
	if a.done || len(a.its) == 0 {
		return 0, false
	}
	x, ok := a.its[0].next()
	if !ok {
		a.done = true
		return 0, false
	}
	for i := 1; i < len(a.its); {
		for a.cur[i] < x || a.its[i].n == 0 {
			v, ok := a.its[i].next()
			if !ok {
				a.done = true
				return 0, false
			}
			a.cur[i] = v
		}
		if a.cur[i] == x {
			i++
			continue
		}
		// a.cur[i] > x: move the first list up to it and start over.
		for x < a.cur[i] {
			if x, ok = a.its[0].next(); !ok {
				a.done = true
				return 0, false
			}
		}
		i = 1
	}
	return x, true
}

// intersect keeps the nums of a (sorted) also in b (sorted), in place.
func intersect(a, b []uint32) []uint32 {
	out := a[:0]
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) {
			break
		}
		if b[j] == x {
			out = append(out, x)
		}
	}
	return out
}

// maxDense caps the number of dense bitsets (each sortedN/8 bytes).
const maxDense = 256

// buildDense makes bitsets for the longest lists (at least 1/16 of the
// contacts), at most maxDense of them.
func (m *memIndex) buildDense() {
	m.dense = nil
	minLen := max(int(m.sortedN)/16, 1024)
	var big []uint32
	for b := uint32(0); b < nBuckets; b++ {
		if int(m.sealedLen[b]) >= minLen {
			big = append(big, b)
		}
	}
	slices.SortFunc(big, func(a, b uint32) int { return int(m.sealedLen[b]) - int(m.sealedLen[a]) })
	if len(big) > maxDense {
		big = big[:maxDense]
	}
	m.dense = make(map[uint32][]uint64, len(big))
	words := (int(m.sortedN) + 63) / 64
	for _, b := range big {
		bs := make([]uint64, words)
		for it := m.iter(b); ; {
			n, ok := it.next()
			if !ok {
				break
			}
			if n < m.sortedN {
				bs[n/64] |= 1 << (n % 64)
			}
		}
		m.dense[b] = bs
	}
}

// sparseRatio: see cands.
const sparseRatio = 16

// candIter yields, in order, the nums in every listed bucket: it walks the
// sparse lists together and tests the dense bitsets; with only dense
// lists it ANDs their words lazily. Nums at or above sortedN are not
// produced when a dense list takes part (searchSorted checks them first).
type candIter struct {
	sparse *andIter
	dense  [][]uint64
	w      int
	cur    uint64
}

// cands returns the iterator over buckets, which come shortest first
// (byLength). A sparse list more than sparseRatio times
// longer than the shortest sparse one is left out: the walk reads every
// one of its nums up to the end of the shortest (a digit window common to
// a country's numbers holds a tenth of the book), which costs more than
// verifying the few candidates it would take away. Fewer lists only make
// the candidates a larger superset.
func (m *memIndex) cands(buckets []uint32) *candIter {
	c := &candIter{w: -1}
	var its []postingIter
	for _, b := range buckets {
		if bs, ok := m.dense[b]; ok {
			c.dense = append(c.dense, bs)
		} else if len(its) == 0 || m.postingLen(b) <= sparseRatio*max(its[0].len, 1) {
			its = append(its, m.iter(b))
		}
	}
	if len(its) > 0 {
		c.sparse = newAndIter(its...)
	}
	return c
}

func (c *candIter) inDense(n uint32) bool {
	for _, bs := range c.dense {
		if i := int(n / 64); i >= len(bs) || bs[i]&(1<<(n%64)) == 0 {
			return false
		}
	}
	return true
}

func (c *candIter) next() (uint32, bool) {
	if c.sparse != nil {
		for {
			n, ok := c.sparse.next()
			if !ok {
				return 0, false
			}
			if c.inDense(n) {
				return n, true
			}
		}
	}
	for c.cur == 0 {
		c.w++
		if len(c.dense) == 0 || c.w >= len(c.dense[0]) {
			return 0, false
		}
		word := c.dense[0][c.w]
		for _, bs := range c.dense[1:] {
			word &= bs[c.w]
		}
		c.cur = word
	}
	b := bits.TrailingZeros64(c.cur)
	c.cur &= c.cur - 1
	return uint32(c.w*64 + b), true
}
