package contacts

import (
	"bytes"
	"slices"
	"sort"
)

// suffixLen is how many trailing digits a caller-ID fallback compares when
// the full E.164 digits match nobody (a number stored without its country
// code while no default country was set, or a carrier adding a prefix).
const suffixLen = 9

// phoneIndex maps phone digits to nums: sorted keys for the sealed part and
// a small unsorted tail. Keys pack the digit string into a uint64 (value and
// length, so leading zeros count); bit 63 marks a suffix key.
type phoneIndex struct {
	keys []uint64 // sorted
	nums []uint32 // parallel to keys
	tail []phoneEntry
}

type phoneEntry struct {
	key uint64
	num uint32
}

const suffixBit = 1 << 63

// digitsKey packs up to 17 ASCII digits; ok is false for longer or empty
// strings or non-digits.
func digitsKey[T string | []byte](d T) (uint64, bool) {
	if len(d) == 0 || len(d) > 17 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return uint64(len(d))<<57 | v, true
}

func (p *phoneIndex) add(d string, num uint32) {
	if k, ok := digitsKey(d); ok {
		p.tail = append(p.tail, phoneEntry{k, num})
	}
	if len(d) >= suffixLen {
		if k, ok := digitsKey(d[len(d)-suffixLen:]); ok {
			p.tail = append(p.tail, phoneEntry{k | suffixBit, num})
		}
	}
}

// sortPairs sorts keys and nums together by key, then num: for an index
// whose arrays were filled directly (rebuiltWith), not through the tail.
func (p *phoneIndex) sortPairs() { sort.Sort(phonePairs{p.keys, p.nums}) }

type phonePairs struct {
	keys []uint64
	nums []uint32
}

func (s phonePairs) Len() int { return len(s.keys) }
func (s phonePairs) Less(i, j int) bool {
	if s.keys[i] != s.keys[j] {
		return s.keys[i] < s.keys[j]
	}
	return s.nums[i] < s.nums[j]
}
func (s phonePairs) Swap(i, j int) {
	s.keys[i], s.keys[j] = s.keys[j], s.keys[i]
	s.nums[i], s.nums[j] = s.nums[j], s.nums[i]
}

// phoneEntries returns how many keys recPhones gives for rec.
func phoneEntries(rec []byte) int {
	n := 0
	recPhones(rec, func(uint64) { n++ })
	return n
}

// recPhones calls fn with the key of each phone of an encoded record (its
// Digits field) and, for the long ones, the key of their last suffixLen
// digits.
func recPhones(rec []byte, fn func(key uint64)) {
	f := rec
	for range 4 { // ID, name, organisation, phones as written
		i := bytes.IndexByte(f, recSep[0])
		if i < 0 {
			return
		}
		f = f[i+1:]
	}
	if i := bytes.IndexByte(f, recSep[0]); i >= 0 {
		f = f[:i]
	}
	for len(f) > 0 {
		d := f
		if i := bytes.IndexByte(f, listSep[0]); i >= 0 {
			d, f = f[:i], f[i+1:]
		} else {
			f = nil
		}
		if k, ok := digitsKey(d); ok {
			fn(k)
		}
		if len(d) >= suffixLen {
			if k, ok := digitsKey(d[len(d)-suffixLen:]); ok {
				fn(k | suffixBit)
			}
		}
	}
}

// seal merges the tail into the sorted arrays.
func (p *phoneIndex) seal() {
	if len(p.tail) == 0 {
		return
	}
	slices.SortFunc(p.tail, func(a, b phoneEntry) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		return int(a.num) - int(b.num)
	})
	keys := make([]uint64, 0, len(p.keys)+len(p.tail))
	nums := make([]uint32, 0, len(p.keys)+len(p.tail))
	i, j := 0, 0
	for i < len(p.keys) || j < len(p.tail) {
		if j == len(p.tail) || (i < len(p.keys) && p.keys[i] <= p.tail[j].key) {
			keys, nums = append(keys, p.keys[i]), append(nums, p.nums[i])
			i++
		} else {
			keys, nums = append(keys, p.tail[j].key), append(nums, p.tail[j].num)
			j++
		}
	}
	p.keys, p.nums, p.tail = keys, nums, p.tail[:0]
	if cap(p.tail) > 1<<12 {
		p.tail = nil // a renumbering's millions of entries: not kept for the few a Push adds
	}
}

// find appends every num stored under key.
func (p *phoneIndex) find(dst []uint32, key uint64) []uint32 {
	i, _ := slices.BinarySearch(p.keys, key)
	for ; i < len(p.keys) && p.keys[i] == key; i++ {
		dst = append(dst, p.nums[i])
	}
	for _, e := range p.tail {
		if e.key == key {
			dst = append(dst, e.num)
		}
	}
	return dst
}

// lookup returns the best live num for the E.164 digits d: an exact match
// first, else a match on the last suffixLen digits. Among several
// contacts sharing a number, the most recently called (then the newest)
// wins.
func (m *memIndex) lookup(d string) (uint32, bool) {
	var buf [8]uint32
	if k, ok := digitsKey(d); ok {
		if num, ok := m.best(m.phones.find(buf[:0], k)); ok {
			return num, true
		}
	}
	if len(d) >= suffixLen {
		if k, ok := digitsKey(d[len(d)-suffixLen:]); ok {
			if num, ok := m.best(m.phones.find(buf[:0], k|suffixBit)); ok {
				return num, true
			}
		}
	}
	return 0, false
}

func (m *memIndex) best(nums []uint32) (uint32, bool) {
	found := false
	var best uint32
	for _, n := range nums {
		if m.gone(n) {
			continue
		}
		if !found || m.recent[n] > m.recent[best] || (m.recent[n] == m.recent[best] && n > best) {
			best, found = n, true
		}
	}
	return best, found
}
