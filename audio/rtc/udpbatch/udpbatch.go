// Package udpbatch is a UDP net.PacketConn for one socket that many
// goroutines share, on Linux: reads take up to Batch datagrams a recvmmsg
// and serve them one by one from ReadFrom; writes go out at once, each a
// sendto on the socket's descriptor from its writer's goroutine, in
// parallel. It is meant to sit under pion's ICE UDP mux
// (ice.NewUDPMuxDefault), where one socket carries many legs of the
// relay. It also implements ReadFromAddrPort and WriteToAddrPort (pion's
// ice.AddrPortReaderWriter), so the mux allocates no address per packet.
//
// Why writes bypass Go's net package: every write through a net.UDPConn
// (or its RawConn) takes the descriptor's write lock, which serialises
// the writers of one socket; at 1,000 relayed calls 900 goroutines were
// parked on it at once, each write paying a park and a wake-up. (A
// first design grouped concurrent writes into sendmmsg calls: they
// averaged 1.0 datagram a call, and a batch waited up to 3.7 s for its
// flusher's turn on a busy relay.) The kernel's UDP send path needs no
// such lock. A write that finds the socket's buffer full (EAGAIN) falls
// back to the net package, which waits for room on Go's poller; Close
// waits for writes in flight before it closes the descriptor.
//
// A relay can take its media on the reader's goroutine (SetTap), look at
// each batch's senders before the first datagram of it (SetWarm), and
// send what it forwards through the tap's Queue: one sendmmsg for a
// batch's forwards on each socket, when the tap has seen the batch. (Those
// batches are a reader's own: unlike the concurrent writers above, they
// come whole.)
//
// On other systems Conn makes one system call per datagram through the
// net package.
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
	Reads, ReadCalls uint64 // datagrams read, system calls that read them
	Writes           uint64 // datagrams sent (one system call each)
	WriteErrs        uint64 // datagrams the kernel refused
	// WaitedWrites counts the writes that found the socket's buffer full
	// and waited for room on Go's poller.
	WaitedWrites uint64
	// Queued counts the datagrams of Writes sent from a tap's Queue, and
	// QueueCalls the system calls that sent them.
	Queued, QueueCalls uint64
}

// Plus returns the sum of s and t.
func (s Stats) Plus(t Stats) Stats {
	return Stats{Reads: s.Reads + t.Reads, ReadCalls: s.ReadCalls + t.ReadCalls, Writes: s.Writes + t.Writes,
		WriteErrs: s.WriteErrs + t.WriteErrs, WaitedWrites: s.WaitedWrites + t.WaitedWrites,
		Queued: s.Queued + t.Queued, QueueCalls: s.QueueCalls + t.QueueCalls}
}

// Conn is a UDP connection with batched reads and parallel writes.
// ReadFrom and ReadFromAddrPort may be called from one goroutine at a
// time (calls are serialised); the write methods are safe for concurrent
// use.
type Conn struct {
	c  *net.UDPConn
	ip ioPath // the system's calls (batch_linux.go) or the net package's

	rmu    sync.Mutex
	rb     *readBatch
	q      *Queue // the tap's sends
	ri, n  int
	tap    atomic.Pointer[Tap]
	warm   atomic.Pointer[Warm]
	warmth uintptr // what the last Warm returned

	// wmu is held for reading by each write on the descriptor and for
	// writing by Close, so that the descriptor is not closed (and its
	// number reused) under a write.
	wmu    sync.RWMutex
	closed atomic.Bool

	reads, readCalls   atomic.Uint64
	writes, writeErrs  atomic.Uint64
	waitedWrites       atomic.Uint64
	queued, queueCalls atomic.Uint64
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
	return &Conn{c: c, ip: ip, rb: newReadBatch(), q: newQueue()}, nil
}

// A Tap sees each datagram the Conn reads before its reader does, on the
// reader's goroutine; p is valid only during the call. It returns true
// when it took the datagram: the reader never sees it. A relay decrypts
// and forwards its media there, with no hand-off between goroutines, and
// queues what it sends on q (valid only during the call too), which the
// reader sends when the tap has seen the batch.
type Tap func(p []byte, from netip.AddrPort, q *Queue) bool

// SetTap sets the Conn's tap (nil: none).
func (b *Conn) SetTap(t Tap) {
	if t == nil {
		b.tap.Store(nil)
		return
	}
	b.tap.Store(&t)
}

// A Warm sees the senders of each batch the Conn reads before its tap
// sees the first datagram of it, on the reader's goroutine: a relay reads
// the state the whole batch will need there, for all of its datagrams
// at once, so that their cache misses overlap. It returns a value made of
// what it read, which the Conn keeps, so that its loads are not dropped.
type Warm func(from []netip.AddrPort) uintptr

// SetWarm sets the Conn's warm (nil: none).
func (b *Conn) SetWarm(w Warm) {
	if w == nil {
		b.warm.Store(nil)
		return
	}
	b.warm.Store(&w)
}

// ReadFromAddrPort reads one datagram the tap does not take into p
// (truncated to len(p)) and returns its sender.
func (b *Conn) ReadFromAddrPort(p []byte) (int, netip.AddrPort, error) {
	b.rmu.Lock()
	defer b.rmu.Unlock()
	for {
		if b.ri == b.n {
			b.q.flush()
			b.ri, b.n = 0, 0
			n, err := b.ip.read(b.rb)
			if err != nil {
				return 0, netip.AddrPort{}, err
			}
			b.n = n
			if w := b.warm.Load(); w != nil {
				b.warmth += (*w)(b.rb.from[:n])
			}
			b.readCalls.Add(1)
			b.reads.Add(uint64(n))
		}
		i := b.ri
		b.ri++
		d, from := b.rb.bufs[i][:b.rb.lens[i]], b.rb.from[i]
		if t := b.tap.Load(); t != nil && (*t)(d, from, b.q) {
			continue
		}
		b.q.flush()
		return copy(p, d), from, nil
	}
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

// WriteToAddrPort sends p to addr now, on the caller's goroutine; it
// waits only when the socket's buffer is full.
func (b *Conn) WriteToAddrPort(p []byte, addr netip.AddrPort) (int, error) {
	b.wmu.RLock()
	if b.closed.Load() {
		b.wmu.RUnlock()
		return 0, ErrClosed
	}
	n, err := b.ip.send(p, addr)
	b.wmu.RUnlock()
	if errors.Is(err, errWouldBlock) {
		b.waitedWrites.Add(1)
		n, err = b.c.WriteToUDPAddrPort(p, addr)
	}
	if err != nil {
		b.writeErrs.Add(1)
		return n, err
	}
	b.writes.Add(1)
	return n, nil
}

// Stats returns the counters.
func (b *Conn) Stats() Stats {
	return Stats{Reads: b.reads.Load(), ReadCalls: b.readCalls.Load(), Writes: b.writes.Load(),
		WriteErrs: b.writeErrs.Load(), WaitedWrites: b.waitedWrites.Load(),
		Queued: b.queued.Load(), QueueCalls: b.queueCalls.Load()}
}

// Close closes the socket, unblocking a read, once the writes on its
// descriptor have returned.
func (b *Conn) Close() error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
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
