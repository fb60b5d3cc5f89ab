package main

import (
	"net"
	"os"
	"sync"
	"time"
)

// legConn is a leg's DTLS packets as a net.PacketConn: what the socket's
// reader hands it, and writes to the centre's candidate on the shared
// socket.
type legConn struct {
	l    *cleg
	in   chan []byte
	done chan struct{}
	once sync.Once

	mu       sync.Mutex
	deadline time.Time
	changed  chan struct{} // closed when the deadline changes
}

func newLegConn(l *cleg) *legConn {
	return &legConn{l: l, in: make(chan []byte, 32), done: make(chan struct{}), changed: make(chan struct{})}
}

// push queues a copy of p; dropped when the queue is full, as a socket
// would.
func (c *legConn) push(p []byte) {
	select {
	case c.in <- append([]byte(nil), p...):
	default:
	}
}

func (c *legConn) ReadFrom(p []byte) (int, net.Addr, error) {
	for {
		c.mu.Lock()
		d, changed := c.deadline, c.changed
		c.mu.Unlock()
		var expire <-chan time.Time
		var t *time.Timer
		if !d.IsZero() {
			w := time.Until(d)
			if w <= 0 {
				return 0, nil, os.ErrDeadlineExceeded
			}
			t = time.NewTimer(w)
			expire = t.C
		}
		select {
		case b := <-c.in:
			if t != nil {
				t.Stop()
			}
			return copy(p, b), c.l.remote, nil
		case <-c.done:
			if t != nil {
				t.Stop()
			}
			return 0, nil, net.ErrClosed
		case <-changed:
			if t != nil {
				t.Stop()
			}
		case <-expire:
			return 0, nil, os.ErrDeadlineExceeded
		}
	}
}

func (c *legConn) WriteTo(p []byte, _ net.Addr) (int, error) {
	select {
	case <-c.done:
		return 0, net.ErrClosed
	default:
	}
	if err := c.l.sock.sendTo(p, c.l.addr, c.l.remote.Port); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (c *legConn) Close() error {
	c.once.Do(func() { close(c.done) })
	return nil
}

func (c *legConn) LocalAddr() net.Addr { return c.l.localAddr() }

// localAddr is the leg's own address and its socket's port.
func (l *cleg) localAddr() *net.UDPAddr {
	return &net.UDPAddr{IP: net.IP(l.addr[:]), Port: l.sock.port}
}

func (c *legConn) SetDeadline(t time.Time) error { return c.SetReadDeadline(t) }

func (c *legConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deadline = t
	close(c.changed)
	c.changed = make(chan struct{})
	return nil
}

func (c *legConn) SetWriteDeadline(time.Time) error { return nil }
