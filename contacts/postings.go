package contacts

import (
	"encoding/binary"
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
	data := make([]byte, 0, len(m.sealedData)+len(m.tail)*2)
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
}

func (m *memIndex) iter(b uint32) postingIter {
	return postingIter{data: m.sealedData[m.sealedOff[b]:m.sealedOff[b+1]], tail: m.tail, b: b}
}

// next returns the next num, or false at the end.
func (it *postingIter) next() (uint32, bool) {
	if len(it.data) > 0 {
		v, k := binary.Uvarint(it.data)
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
