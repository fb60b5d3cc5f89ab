// Package udpbatch is a UDP net.PacketConn that batches its system calls
// on Linux: reads take up to Batch datagrams a recvmmsg and serve them one
// by one from ReadFrom; writes are grouped into sendmmsg calls. It is meant
// to sit under pion's ICE UDP mux (ice.NewUDPMuxDefault), where one socket
// carries every leg of the relay and the datagrams of many legs can share
// a system call. It also implements ReadFromAddrPort and WriteToAddrPort
// (pion's ice.AddrPortReaderWriter), so the mux allocates no address per
// packet.
//
// Writes are grouped as a group commit is: a writer copies its datagram
// into the pending batch; if no flush is under way it becomes the flusher
// and sends the pending batch, and again while more arrived during its
// send, until none is left. A datagram therefore waits at most for the
// one sendmmsg in flight when it arrived (at light load it goes out at
// once, on its writer's goroutine); under load the datagrams that arrive
// during a send form the next batch, and a writer that finds the next
// batch full sends its datagram alone. (A first version handed the
// flushing to a goroutine of its own after 4 batches: under load that
// goroutine waited its turn for up to a second while every writer found
// the batch full.) A write error of a grouped datagram is
// counted (Stats), not returned: UDP writes are fire and forget.
//
// On other systems Conn makes one system call per datagram.
package udpbatch

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Batch is the most datagrams one recvmmsg or sendmmsg carries.
const Batch = 64

// maxDatagram is the largest datagram a write may group (larger ones are
// sent alone) and the size of each read buffer.
const maxDatagram = 1500

// ErrClosed is returned by every method after Close.
var ErrClosed = net.ErrClosed

// Stats are a Conn's counters.
type Stats struct {
	Reads, ReadCalls   uint64 // datagrams read, system calls that read them
	Writes, WriteCalls uint64 // datagrams sent, system calls that sent them
	WriteErrs          uint64 // grouped datagrams the kernel refused
	// MaxWait is the longest a grouped datagram waited for its send to
	// start, WaitSum the sum over batches of their first datagram's wait
	// (divide by the batches, Batches, for a mean).
	MaxWait, WaitSum time.Duration
	Batches          uint64
}

// Conn is a batching UDP connection. ReadFrom and ReadFromAddrPort may be
// called from one goroutine at a time (calls are serialised); the write
// methods are safe for concurrent use.
type Conn struct {
	c  *net.UDPConn
	ip ioPath // the system's batch calls (batch_linux.go) or single calls

	rmu   sync.Mutex
	rb    *readBatch
	ri, n int

	wmu      sync.Mutex
	pending  *writeBatch
	spare    *writeBatch
	flushing bool
	closed   atomic.Bool

	reads, readCalls, writes, writeCalls, writeErrs atomic.Uint64
	maxWait, waitSum, batches                       atomic.Int64

	now func() time.Time // time.Now; read only for datagrams that wait
}

// Listen opens a UDP socket on addr ("127.0.0.1:0", ":5000").
func Listen(network, addr string) (*Conn, error) {
	a, err := net.ResolveUDPAddr(network, addr)
	if err != nil {
		return nil, err
	}
	c, err := net.ListenUDP(network, a)
	if err != nil {
		return nil, err
	}
	b, err := New(c)
	if err != nil {
		c.Close()
		return nil, err
	}
	return b, nil
}

// New takes c over: the Conn closes it.
func New(c *net.UDPConn) (*Conn, error) {
	ip, err := newIOPath(c)
	if err != nil {
		return nil, err
	}
	return &Conn{c: c, ip: ip, rb: newReadBatch(), pending: newWriteBatch(), spare: newWriteBatch(), now: time.Now}, nil
}

// ReadFromAddrPort reads one datagram into p (truncated to len(p)) and
// returns its sender.
func (b *Conn) ReadFromAddrPort(p []byte) (int, netip.AddrPort, error) {
	b.rmu.Lock()
	defer b.rmu.Unlock()
	if b.ri == b.n {
		b.ri, b.n = 0, 0
		n, err := b.ip.read(b.rb)
		if err != nil {
			return 0, netip.AddrPort{}, err
		}
		b.n = n
		b.readCalls.Add(1)
		b.reads.Add(uint64(n))
	}
	i := b.ri
	b.ri++
	return copy(p, b.rb.bufs[i][:b.rb.lens[i]]), b.rb.from[i], nil
}

// ReadFrom implements net.PacketConn.
func (b *Conn) ReadFrom(p []byte) (int, net.Addr, error) {
	n, a, err := b.ReadFromAddrPort(p)
	if err != nil {
		return 0, nil, err
	}
	return n, net.UDPAddrFromAddrPort(a), nil
}

// WriteTo implements net.PacketConn.
func (b *Conn) WriteTo(p []byte, addr net.Addr) (int, error) {
	ua, ok := addr.(*net.UDPAddr)
	if !ok {
		return 0, &net.OpError{Op: "write", Net: "udp", Addr: addr, Err: errors.New("not a UDP address")}
	}
	return b.WriteToAddrPort(p, ua.AddrPort())
}

// WriteToAddrPort sends p to addr, grouped with other writers' datagrams
// (the package comment says how). It returns len(p) once p is queued or
// sent; an error only when p was sent alone and refused, or after Close.
func (b *Conn) WriteToAddrPort(p []byte, addr netip.AddrPort) (int, error) {
	if b.closed.Load() {
		return 0, ErrClosed
	}
	b.wmu.Lock()
	if len(p) > maxDatagram || b.pending.n == Batch {
		b.wmu.Unlock()
		return b.writeAlone(p, addr)
	}
	if b.flushing {
		// It waits for the send in flight: the batch's first datagram
		// times the wait (the clock is read once a batch, and never
		// for a datagram its own writer sends at once).
		if b.pending.n == 0 {
			b.pending.first = b.now()
		}
		b.pending.add(p, addr)
		b.wmu.Unlock()
		return len(p), nil
	}
	// No send under way, so nothing pending: p goes out now, unwaited.
	b.pending.add(p, addr)
	b.pending.first = time.Time{}
	b.flushing = true
	b.flush() // unlocks
	return len(p), nil
}

func (b *Conn) writeAlone(p []byte, addr netip.AddrPort) (int, error) {
	n, err := b.c.WriteToUDPAddrPort(p, addr)
	b.writeCalls.Add(1)
	if err == nil {
		b.writes.Add(1)
	}
	return n, err
}

// flush sends pending batches until none is left, with wmu held and
// b.flushing set by the caller; it returns with wmu unlocked and
// b.flushing cleared.
func (b *Conn) flush() {
	for b.pending.n > 0 {
		w := b.pending
		b.pending, b.spare = b.spare, nil
		b.wmu.Unlock()
		var wait time.Duration
		if !w.first.IsZero() {
			wait = b.now().Sub(w.first)
		}
		b.noteWait(wait)
		b.send(w)
		w.n = 0
		b.wmu.Lock()
		b.spare = w
	}
	b.flushing = false
	b.wmu.Unlock()
}

// noteWait records how long a batch's first datagram waited.
func (b *Conn) noteWait(d time.Duration) {
	b.batches.Add(1)
	b.waitSum.Add(int64(d))
	for {
		m := b.maxWait.Load()
		if int64(d) <= m || b.maxWait.CompareAndSwap(m, int64(d)) {
			return
		}
	}
}

// send writes all of w, skipping a datagram the kernel refuses.
func (b *Conn) send(w *writeBatch) {
	for i := 0; i < w.n; {
		k, err := b.ip.write(w, i)
		b.writeCalls.Add(1)
		b.writes.Add(uint64(k))
		i += k
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				b.writeErrs.Add(uint64(w.n - i))
				return
			}
			b.writeErrs.Add(1)
			i++
		}
	}
}

// Stats returns the counters.
func (b *Conn) Stats() Stats {
	return Stats{Reads: b.reads.Load(), ReadCalls: b.readCalls.Load(), Writes: b.writes.Load(),
		WriteCalls: b.writeCalls.Load(), WriteErrs: b.writeErrs.Load(), MaxWait: time.Duration(b.maxWait.Load()),
		WaitSum: time.Duration(b.waitSum.Load()), Batches: uint64(b.batches.Load())}
}

// Close closes the socket, unblocking a read. Datagrams still queued
// may be dropped.
func (b *Conn) Close() error {
	if b.closed.Swap(true) {
		return ErrClosed
	}
	return b.c.Close()
}

// SetReadBuffer and SetWriteBuffer size the socket's kernel buffers.
func (b *Conn) SetReadBuffer(n int) error  { return b.c.SetReadBuffer(n) }
func (b *Conn) SetWriteBuffer(n int) error { return b.c.SetWriteBuffer(n) }

// LocalAddr implements net.PacketConn.
func (b *Conn) LocalAddr() net.Addr { return b.c.LocalAddr() }

// SetDeadline implements net.PacketConn.
func (b *Conn) SetDeadline(t time.Time) error { return b.c.SetDeadline(t) }

// SetReadDeadline implements net.PacketConn.
func (b *Conn) SetReadDeadline(t time.Time) error { return b.c.SetReadDeadline(t) }

// SetWriteDeadline implements net.PacketConn.
func (b *Conn) SetWriteDeadline(t time.Time) error { return b.c.SetWriteDeadline(t) }

// readBatch holds the datagrams of one read call.
type readBatch struct {
	bufs [Batch][]byte
	lens [Batch]int
	from [Batch]netip.AddrPort
	sys  readSys // the system's headers
}

func newReadBatch() *readBatch {
	r := &readBatch{}
	for i := range r.bufs {
		r.bufs[i] = make([]byte, maxDatagram)
	}
	r.sys.init(r)
	return r
}

// writeBatch holds datagrams waiting to be sent.
type writeBatch struct {
	n     int
	first time.Time // when the first datagram was added, if it waited
	bufs  [Batch][maxDatagram]byte
	lens  [Batch]int
	to    [Batch]netip.AddrPort
	sys   writeSys
}

func newWriteBatch() *writeBatch {
	w := &writeBatch{}
	w.sys.init(w)
	return w
}

func (w *writeBatch) add(p []byte, to netip.AddrPort) {
	w.lens[w.n] = copy(w.bufs[w.n][:], p)
	w.to[w.n] = to
	w.n++
}
