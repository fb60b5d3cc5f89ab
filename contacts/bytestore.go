package contacts

import "slices"

// byteStore holds byte strings back to back in chunks of storeChunk bytes;
// a string of storeChunk bytes or more gets a chunk of its own. Appending
// never moves what is stored. (The records and texts used to live in two
// []byte grown by append: each growth copied all of them, tens of MB in one
// memmove that cannot be preempted, while the garbage collector's worker on
// the other core spun waiting to scan the importing goroutine's stack; a
// console in the same process missed its frames for up to 56 ms.)
type byteStore struct {
	chunks [][]byte
	spans  []uint64 // per string: chunk<<40 | start<<20 | length, or bigSpan for a chunk of its own
	// offHeap, if set, allocates the chunks outside the Go heap (see
	// offHeapChunk) and lists them in mapped; free releases them.
	offHeap bool
	mapped  [][]byte
}

const (
	storeChunk = 1 << 20
	spanMask   = 1<<20 - 1
	bigSpan    = spanMask // the length field of a string that fills its own chunk
)

// add appends s and returns its index.
func (st *byteStore) add(s []byte) uint32 {
	i := uint32(len(st.spans))
	if len(s) >= bigSpan {
		st.chunks = append(st.chunks, append(st.newChunk(len(s)), s...))
		st.spans = append(st.spans, uint64(len(st.chunks)-1)<<40|bigSpan)
		// Strings after it start a new chunk.
		st.chunks = append(st.chunks, st.newChunk(storeChunk))
		return i
	}
	last := len(st.chunks) - 1
	// start stays below storeChunk, so it fits its 20 bits; a frozen
	// chunk has no room left.
	if last < 0 || len(st.chunks[last])+len(s) >= storeChunk || len(st.chunks[last])+len(s) > cap(st.chunks[last]) {
		st.chunks = append(st.chunks, st.newChunk(storeChunk))
		last++
	}
	c := st.chunks[last]
	start := len(c)
	st.chunks[last] = append(c, s...)
	st.spans = append(st.spans, uint64(last)<<40|uint64(start)<<20|uint64(len(s)))
	return i
}

// newChunk returns an empty chunk of capacity size.
func (st *byteStore) newChunk(size int) []byte {
	if st.offHeap {
		if c := offHeapChunk(size); c != nil {
			st.mapped = append(st.mapped, c)
			return c[:0]
		}
	}
	return make([]byte, 0, size)
}

// free releases the chunks of an offHeap store: nothing read from it may
// be used afterwards, nor any store sharing its chunks (frozen, rebuilt).
func (st *byteStore) free() {
	for _, c := range st.mapped {
		freeOffHeap(c)
	}
	st.chunks, st.spans, st.mapped = nil, nil, nil
}

// get returns string i. The caller must not modify it.
func (st *byteStore) get(i uint32) []byte {
	sp := st.spans[i]
	c := st.chunks[sp>>40]
	if sp&spanMask == bigSpan {
		return c
	}
	start := (sp >> 20) & spanMask
	return c[start : start+sp&spanMask : start+sp&spanMask]
}

// frozen returns a copy of st that reads the same strings and appends to
// storage of its own: st may go on appending meanwhile.
func (st *byteStore) frozen() byteStore {
	cp := byteStore{chunks: slices.Clone(st.chunks), spans: slices.Clip(st.spans)}
	if n := len(cp.chunks); n > 0 {
		cp.chunks[n-1] = slices.Clip(cp.chunks[n-1])
	}
	return cp
}

// len returns the number of strings stored.
func (st *byteStore) len() int { return len(st.spans) }
