package contacts

import (
	"bytes"
	"slices"
)

// rebuilt returns the index of m's live contacts numbered in search order
// (by folded text: name first), with everything sealed; search stops early
// on such a book. The records and texts are not copied: the new index takes
// over m's storage and maps its nums to storage slots, so m must not be
// used afterwards (call m.dropPostings first to free its postings early).
func (m *memIndex) rebuilt() *memIndex { return m.rebuiltWith(true, 1) }

// rebuiltWith is rebuilt; without ids the index has no ID table (it is
// only written to a typing file, which makes its own), and workers
// goroutines build the postings.
func (m *memIndex) rebuiltWith(ids bool, workers int) *memIndex {
	nums := make([]uint32, 0, m.live())
	for n := uint32(0); n < m.n(); n++ {
		if !m.isDead(n) {
			nums = append(nums, n)
		}
	}
	if testHookRebuilding != nil {
		testHookRebuilding()
	}
	nums = m.sortByText(nums, workers)
	out := newMemIndex()
	out.recs, out.texts = m.recs, m.texts
	out.locBase = uint32(m.recs.len())
	out.loc = make([]uint32, len(nums))
	for i, n := range nums {
		out.loc[i] = m.slot(n)
	}
	out.recent = make([]uint32, len(nums))
	out.dead = make([]uint64, (len(nums)+63)/64)
	if ids {
		out.byID = make(map[uint64]uint32, len(nums))
	}
	// What indexNum does for each contact, without its allocations: the
	// contacts are distinct and live, and the postings are built at once.
	// The phone entries are counted first: a million contacts have
	// millions, and a doubling array would leave as much again as garbage.
	// They go straight into the sorted arrays, sorted once at the end (no
	// tail of entries beside them: 60 MB less at the peak for a million).
	//
	// The IDs, recency and phones (2 s on one core for a million
	// contacts) are built beside the postings: they write none of what
	// buildPostings reads or writes.
	others := func() {
		phones := 0
		for i := range nums {
			phones += phoneEntries(out.rec(uint32(i)))
		}
		out.phones.keys, out.phones.nums = make([]uint64, 0, phones), make([]uint32, 0, phones)
		for i, n := range nums {
			num := uint32(i)
			rec := out.rec(num)
			pushed := bytes.HasSuffix(rec, []byte(recSep+string(SourcePushed)))
			if ids {
				out.byID[idHashBytes(recIDBytes(rec), pushed)] = num
			}
			if pushed {
				out.nPushed++
			}
			if r := m.recent[n]; r > 0 {
				out.recent[num] = r
				out.recentNums = append(out.recentNums, num)
			}
			recPhones(rec, func(k uint64) {
				out.phones.keys, out.phones.nums = append(out.phones.keys, k), append(out.phones.nums, num)
			})
		}
		out.phones.sortPairs()
	}
	if workers < 2 {
		others()
		out.buildPostings(workers)
	} else {
		done := make(chan struct{})
		go func() {
			defer close(done)
			others()
		}()
		out.buildPostings(workers)
		<-done
	}
	out.sortedN = out.n()
	out.buildDense()
	out.gen = m.gen + 1
	return out
}

// snapshot returns a read-only copy of m for rebuilt, to be built from
// while m serves searches and takes changes under the Book's lock: the
// records and texts are shared (what m appends later lands after what the
// copy sees, and the copy appends to storage of its own), the dead bitset
// and recency are copied, the postings left out. The caller holds the
// Book's lock (read) while snapshot runs.
func (m *memIndex) snapshot() *memIndex {
	return &memIndex{
		recs: m.recs.frozen(), texts: m.texts.frozen(),
		loc: m.loc, locBase: m.locBase,
		dead: slices.Clone(m.dead), nDead: m.nDead,
		recent: slices.Clone(m.recent),
		gen:    m.gen,
	}
}

// testHookRebuilding, if set by a test, runs inside rebuilt.
var testHookRebuilding func()
