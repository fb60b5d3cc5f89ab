package contacts

import (
	"bytes"
	"encoding/binary"
	"slices"
	"sync"
)

// buildPostings builds the sealed gram postings of every num of m in two
// passes over the texts: the first sizes each bucket's list, the second
// writes it in place. Peak memory is the postings themselves; sealing a
// tail again and again (what indexNum does as contacts arrive) copies all
// the postings so far at every seal, which for a million contacts is
// gigabytes copied into fresh pages. Each of workers goroutines takes an
// equal range of nums through both passes. m's tail must be empty and
// nothing sealed yet.
func (m *memIndex) buildPostings(workers int) {
	n := m.n()
	workers = max(1, min(workers, int(n/1024)))
	parts := make([]postingPart, workers)
	for w := range parts {
		parts[w].from, parts[w].to = uint32(uint64(n)*uint64(w)/uint64(workers)), uint32(uint64(n)*uint64(w+1)/uint64(workers))
	}
	each := func(f func(p *postingPart)) {
		var wg sync.WaitGroup
		for w := range parts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f(&parts[w])
			}()
		}
		wg.Wait()
	}
	each(func(p *postingPart) { p.size(m) })
	// Join the parts: a part's first num in a bucket is a delta from the
	// last num of the parts before it that hold the bucket, or absolute.
	m.sealedLen = make([]uint32, nBuckets)
	m.sealedLast = make([]uint32, nBuckets)
	off := make([]uint32, nBuckets+1)
	for b := uint32(0); b < nBuckets; b++ {
		pos := off[b]
		for w := range parts {
			p := &parts[w]
			if p.count[b] == 0 {
				continue
			}
			first := p.first[b]
			if m.sealedLen[b] > 0 {
				p.prev[b], p.started[b/64] = m.sealedLast[b], p.started[b/64]|1<<(b%64)
				first -= m.sealedLast[b]
			}
			p.pos[b] = pos
			pos += uint32(uvarintLen(first)) + p.bytes[b]
			m.sealedLen[b] += p.count[b]
			m.sealedLast[b] = p.last[b]
		}
		off[b+1] = pos
	}
	data := make([]byte, off[nBuckets])
	each(func(p *postingPart) { p.write(m, data) })
	m.sealedOff, m.sealedData = off, data
}

// postingPart is one worker's range of nums [from, to) in buildPostings.
type postingPart struct {
	from, to uint32
	// size pass: per bucket, how many nums, the first and last, and the
	// bytes of the deltas after the first.
	count, first, last, bytes []uint32
	// write pass: per bucket, where the part's list starts, and the num
	// before it (when started is set).
	pos, prev []uint32
	started   []uint64
}

func (p *postingPart) size(m *memIndex) {
	p.count, p.first, p.last, p.bytes = make([]uint32, nBuckets), make([]uint32, nBuckets), make([]uint32, nBuckets), make([]uint32, nBuckets)
	p.pos, p.prev, p.started = make([]uint32, nBuckets), make([]uint32, nBuckets), make([]uint64, nBuckets/64)
	var grams []uint32
	for num := p.from; num < p.to; num++ {
		if m.isDead(num) {
			continue
		}
		grams = appendGrams(grams[:0], m.text(num))
		for _, b := range grams {
			switch c := p.count[b]; {
			case c == 0:
				p.first[b] = num
			case p.last[b] == num:
				continue // repeated within the text
			default:
				p.bytes[b] += uint32(uvarintLen(num - p.last[b]))
			}
			p.last[b] = num
			p.count[b]++
		}
	}
}

func (p *postingPart) write(m *memIndex, data []byte) {
	var grams []uint32
	for num := p.from; num < p.to; num++ {
		if m.isDead(num) {
			continue
		}
		grams = appendGrams(grams[:0], m.text(num))
		for _, b := range grams {
			d := num
			if p.started[b/64]&(1<<(b%64)) != 0 {
				if p.prev[b] == num {
					continue
				}
				d = num - p.prev[b]
			}
			p.pos[b] += uint32(binary.PutUvarint(data[p.pos[b]:], uint64(d)))
			p.prev[b] = num
			p.started[b/64] |= 1 << (b % 64)
		}
	}
}

func uvarintLen(x uint32) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// sortByText sorts nums by their search texts. With two workers or more
// and many nums, the two halves are sorted at once and then merged (a
// million texts: about a second on one core).
func (m *memIndex) sortByText(nums []uint32, workers int) []uint32 {
	cmp := func(a, b uint32) int { return bytes.Compare(m.text(a), m.text(b)) }
	if workers < 2 || len(nums) < 1<<15 {
		slices.SortFunc(nums, cmp)
		return nums
	}
	a, b := nums[:len(nums)/2], nums[len(nums)/2:]
	done := make(chan struct{})
	go func() {
		defer close(done)
		slices.SortFunc(a, cmp)
	}()
	slices.SortFunc(b, cmp)
	<-done
	out := make([]uint32, 0, len(nums))
	for len(a) > 0 && len(b) > 0 {
		if cmp(b[0], a[0]) < 0 {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}
