package contacts

import "encoding/binary"

// buildPostings builds the sealed gram postings of every num of m in two
// passes over the texts: the first sizes each bucket's list, the second
// writes it in place. Peak memory is the postings themselves; sealing a
// tail again and again (what indexNum does as contacts arrive) copies all
// the postings so far at every seal, which for a million contacts is
// gigabytes copied into fresh pages. m's tail must be empty and nothing
// sealed yet.
func (m *memIndex) buildPostings() {
	n := m.n()
	size := make([]uint32, nBuckets) // bytes of each bucket's list
	m.sealedLen = make([]uint32, nBuckets)
	m.sealedLast = make([]uint32, nBuckets)
	var grams []uint32
	for num := uint32(0); num < n; num++ {
		if m.isDead(num) {
			continue
		}
		grams = appendGrams(grams[:0], m.text(num))
		for _, b := range grams {
			l := m.sealedLen[b]
			if l > 0 && m.sealedLast[b] == num {
				continue // repeated within the text
			}
			d := num
			if l > 0 {
				d = num - m.sealedLast[b]
			}
			size[b] += uint32(uvarintLen(d))
			m.sealedLast[b], m.sealedLen[b] = num, l+1
		}
	}
	off := make([]uint32, nBuckets+1)
	for b := 0; b < nBuckets; b++ {
		off[b+1] = off[b] + size[b]
	}
	data := make([]byte, off[nBuckets])
	pos := size // the write position of each bucket's list
	copy(pos, off[:nBuckets])
	last := make([]uint32, nBuckets)
	started := make([]uint64, nBuckets/64)
	for num := uint32(0); num < n; num++ {
		if m.isDead(num) {
			continue
		}
		grams = appendGrams(grams[:0], m.text(num))
		for _, b := range grams {
			first := started[b/64]&(1<<(b%64)) == 0
			if !first && last[b] == num {
				continue
			}
			d := num
			if !first {
				d = num - last[b]
			}
			pos[b] += uint32(binary.PutUvarint(data[pos[b]:], uint64(d)))
			last[b] = num
			started[b/64] |= 1 << (b % 64)
		}
	}
	m.sealedOff, m.sealedData = off, data
}

func uvarintLen(x uint32) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}
