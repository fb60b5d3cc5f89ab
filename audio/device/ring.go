package device

import "sync/atomic"

// ring is a single-producer single-consumer ring of int16 samples with
// atomic positions: the real-time callback is one side, a Go goroutine the
// other, and neither locks nor allocates.
type ring struct {
	buf  []int16
	mask uint64
	w, r atomic.Uint64 // total samples written / read
}

func newRing(sizePow2 int) *ring {
	return &ring{buf: make([]int16, sizePow2), mask: uint64(sizePow2 - 1)}
}

func (q *ring) len() int  { return int(q.w.Load() - q.r.Load()) }
func (q *ring) free() int { return len(q.buf) - q.len() }

// writeLE16 appends little-endian 16-bit samples from b; it returns how
// many samples did not fit (dropped).
func (q *ring) writeLE16(b []byte) int {
	n := len(b) / 2
	w := q.w.Load()
	room := len(q.buf) - int(w-q.r.Load())
	k := min(n, room)
	for i := 0; i < k; i++ {
		q.buf[(w+uint64(i))&q.mask] = int16(uint16(b[2*i]) | uint16(b[2*i+1])<<8)
	}
	q.w.Store(w + uint64(k))
	return n - k
}

// readLE16 fills b with little-endian samples; missing samples become
// silence and are returned as the underrun count.
func (q *ring) readLE16(b []byte) int {
	n := len(b) / 2
	r := q.r.Load()
	have := int(q.w.Load() - r)
	k := min(n, have)
	for i := 0; i < k; i++ {
		s := uint16(q.buf[(r+uint64(i))&q.mask])
		b[2*i], b[2*i+1] = byte(s), byte(s>>8)
	}
	clear(b[2*k:])
	q.r.Store(r + uint64(k))
	return n - k
}

func (q *ring) write(s []int16) int {
	w := q.w.Load()
	k := min(len(s), len(q.buf)-int(w-q.r.Load()))
	for i := 0; i < k; i++ {
		q.buf[(w+uint64(i))&q.mask] = s[i]
	}
	q.w.Store(w + uint64(k))
	return k
}

func (q *ring) read(s []int16) int {
	r := q.r.Load()
	k := min(len(s), int(q.w.Load()-r))
	for i := 0; i < k; i++ {
		s[i] = q.buf[(r+uint64(i))&q.mask]
	}
	q.r.Store(r + uint64(k))
	return k
}

// notify is a wake-up that never blocks the sender.
type notify chan struct{}

func (n notify) signal() {
	select {
	case n <- struct{}{}:
	default:
	}
}

// skip discards up to n of the oldest samples; it returns how many.
func (q *ring) skip(n int) int {
	r := q.r.Load()
	k := min(n, int(q.w.Load()-r))
	q.r.Store(r + uint64(k))
	return k
}
