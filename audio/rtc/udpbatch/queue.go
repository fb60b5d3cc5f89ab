package udpbatch

import (
	"errors"
	"net/netip"
	"unsafe"
)

// A Queue holds what a tap sends while its Conn's reader goes through a
// batch. The reader sends it when the tap has seen the batch, and before
// it returns a datagram to its caller: each socket's datagrams in one
// system call (sendmmsg), in the order queued. A datagram waits at most
// for the rest of its batch to be tapped. On this machine's loopback a
// sendto costs 3.7 µs a datagram and a sendmmsg of 26 2.8 µs a datagram
// (bench/relay/README.md).
//
// A Queue belongs to one Conn's reader: only its tap, during the call,
// may use it.
type Queue struct {
	n    int
	msgs [Batch]queued
	bufs [Batch][maxDatagram]byte
	sys  sendSys // the system's headers
}

type queued struct {
	c   *Conn
	to  netip.AddrPort
	len int
}

func newQueue() *Queue {
	q := &Queue{}
	q.sys.init()
	return q
}

// Buffer returns an empty buffer with room for a datagram, to build the
// next datagram in and Add. A full queue is sent first.
func (q *Queue) Buffer() []byte {
	if q.n == len(q.msgs) {
		q.flush()
	}
	return q.bufs[q.n][:0]
}

// Add queues p, to be sent on c to to. p is best built in Buffer's
// buffer; anything else is copied. A full queue is sent first; a
// datagram longer than a read buffer is sent at once, after what is
// queued.
func (q *Queue) Add(c *Conn, p []byte, to netip.AddrPort) {
	if q.n == len(q.msgs) || len(p) > maxDatagram {
		q.flush()
	}
	if len(p) > maxDatagram {
		c.WriteToAddrPort(p, to)
		return
	}
	b := q.bufs[q.n][:len(p)]
	if len(p) > 0 && unsafe.SliceData(b) != unsafe.SliceData(p) {
		copy(b, p)
	}
	q.msgs[q.n] = queued{c: c, to: to, len: len(p)}
	q.n++
}

// flush sends what is queued: for each Conn in the order it was first
// queued for, its datagrams in order.
func (q *Queue) flush() {
	var idx [Batch]uint8
	for i := range q.n {
		c := q.msgs[i].c
		if c == nil { // sent with an earlier Conn's
			continue
		}
		k := 0
		for j := i; j < q.n; j++ {
			if q.msgs[j].c == c {
				idx[k] = uint8(j)
				k++
				q.msgs[j].c = nil
			}
		}
		c.writeQueued(q, idx[:k])
	}
	q.n = 0
}

// writeQueued sends q's datagrams idx, in as few system calls as the
// kernel takes them. A datagram the kernel refuses is counted and
// dropped; when the socket's buffer is full, the rest wait for room one
// by one, as WriteToAddrPort's do.
func (b *Conn) writeQueued(q *Queue, idx []uint8) {
	b.wmu.RLock()
	if b.closed.Load() {
		b.wmu.RUnlock()
		b.writeErrs.Add(uint64(len(idx)))
		return
	}
	sent := 0
	var err error
	for sent < len(idx) {
		var n int
		n, err = b.ip.sendQueued(q, idx[sent:])
		sent += n
		b.writes.Add(uint64(n))
		b.queued.Add(uint64(n))
		b.queueCalls.Add(1)
		if err == nil && n > 0 {
			continue
		}
		if err == nil || errors.Is(err, errWouldBlock) { // none taken: the rest one by one
			break
		}
		b.writeErrs.Add(1) // the first unsent one
		sent++
		err = nil
	}
	b.wmu.RUnlock()
	for _, i := range idx[sent:] {
		m := &q.msgs[i]
		b.WriteToAddrPort(q.bufs[i][:m.len], m.to)
	}
}
