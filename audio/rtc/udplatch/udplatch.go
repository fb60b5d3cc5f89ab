// Package udplatch gives pion's ICE agent UDP sockets that connect
// themselves to the one address they talk to. A relayed call's leg sends
// every packet to the same phone once ICE has chosen its pair; on Linux
// a send on a connected socket uses the route the socket keeps, where a
// sendto on an unconnected one looks the route up again for each packet
// (on this project's 2-core test machine, 4.0 against 4.9 µs a packet on
// loopback; see bench_test.go).
//
// A Conn latches (connects) after Run writes in a row to one address,
// once something has come in. It unlatches
// (disconnects) before it writes anywhere else, so ICE's checks of other
// pairs go out and their answers come in, and when Run writes in a row
// to the latched address have gone without a single datagram back: a
// phone that went quiet, or moved (a NAT that gave it a new port), is
// heard again from any address. While latched, the kernel delivers only
// the latched address's datagrams, as a connected socket does; pion's
// agent drops other sources' media anyway, and ICE traffic from
// elsewhere is what the second rule lets back in.
//
// A connected socket reports a far end's ICMP "port unreachable" as
// ECONNREFUSED on its next read or write; an unconnected one never does,
// and pion's candidate read loop ends at a read error. Conn hides these:
// a read goes on to the next datagram, a write is tried once more.
//
// On systems other than Linux a Conn never latches.
package udplatch

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/pion/transport/v4"
	"github.com/pion/transport/v4/stdnet"
)

// Run is how many writes in a row to one address latch a Conn to it, and
// how many in a row to the latched address with no datagram back unlatch
// it. At 50 to 100 packets a second a leg latches within a second of its
// media starting, and a silent far end is let go after one to three.
const Run = 128

// Stats are the counters of every Conn a Net made.
type Stats struct {
	Latches   uint64 // connects
	Unlatches uint64 // disconnects (to write elsewhere, or a silent far end)
	Refused   uint64 // ECONNREFUSED reads and writes hidden
}

// Net is pion's standard network (transport.Net) whose UDP sockets are
// Conns. Give one to webrtc.SettingEngine.SetNet.
type Net struct {
	*stdnet.Net
	stats *counters
	tap   atomic.Pointer[Tap] // its Conns'

	mu    sync.Mutex
	conns []*Conn // every Conn n made
}

// A Tap sees each datagram a Net's Conns read before their reader does,
// on the reader's goroutine; p is valid only during the call. It returns
// true when it took the datagram: the reader (pion's candidate read
// loop) never sees it. A relay's leg decrypts and forwards its media
// there, with none of pion's hand-offs between goroutines.
type Tap func(c *Conn, p []byte, from netip.AddrPort) bool

type counters struct{ latches, unlatches, refused atomic.Uint64 }

// NewNet returns a Net over the host's interfaces as they are now.
func NewNet() (*Net, error) {
	n, err := stdnet.NewNet()
	if err != nil {
		return nil, err
	}
	return &Net{Net: n, stats: &counters{}}, nil
}

// Share returns a Net over n's interfaces whose Conns count into n's
// Stats (one per leg, say, with one set of counters for the relay).
func (n *Net) Share() (*Net, error) {
	m, err := stdnet.NewNet()
	if err != nil {
		return nil, err
	}
	return &Net{Net: m, stats: n.stats}, nil
}

// SetTap sets the tap of n's Conns, those made and to be made (nil: none).
// A share has its own.
func (n *Net) SetTap(t Tap) {
	if t == nil {
		n.tap.Store(nil)
		return
	}
	n.tap.Store(&t)
}

// Conn returns the open Conn n made on local address a, if any.
func (n *Net) Conn(a netip.AddrPort) (*Conn, bool) {
	a = unmap(a)
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, c := range n.conns {
		if c.local == a {
			return c, true
		}
	}
	return nil, false
}

// Stats returns the counters of every Conn n (and its shares) made.
func (n *Net) Stats() Stats {
	return Stats{Latches: n.stats.latches.Load(), Unlatches: n.stats.unlatches.Load(), Refused: n.stats.refused.Load()}
}

// ListenUDP opens a UDP socket as the standard network does and wraps it.
func (n *Net) ListenUDP(network string, laddr *net.UDPAddr) (transport.UDPConn, error) {
	c, latch, err := listen(network, laddr)
	if err != nil {
		return nil, err
	}
	lc, err := newConn(c, latch, n.stats)
	if err != nil {
		return nil, err
	}
	lc.net = n
	n.mu.Lock()
	n.conns = append(n.conns, lc)
	n.mu.Unlock()
	return lc, nil
}

// Conn is a UDP socket that latches to the address it talks to. The
// write methods are safe for concurrent use; reads are one goroutine's
// (pion's candidate read loop).
type Conn struct {
	*net.UDPConn
	raw   syscall.RawConn
	v6    bool // an AF_INET6 socket
	never bool // never latches: the kernel chose the port (a disconnect would lose it), or not Linux
	stats *counters
	local netip.AddrPort // the bound address, unmapped
	net   *Net           // that made it (its tap), or nil

	peer  atomic.Pointer[netip.AddrPort] // latched to; nil while not
	reads atomic.Uint64                  // datagrams read
	quiet atomic.Uint32                  // writes to peer since reads last moved
	seen  atomic.Uint64                  // reads when quiet was last reset

	mu    sync.Mutex // the fields below, and every connect and disconnect
	cand  netip.AddrPort
	run   int    // writes in a row to cand
	stale bool   // unlatched for silence: no latch until reads move
	heard uint64 // reads when it went stale
}

func newConn(c *net.UDPConn, latch bool, st *counters) (*Conn, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		_ = c.Close()
		return nil, err
	}
	la, _ := c.LocalAddr().(*net.UDPAddr)
	v6 := la != nil && la.IP.To4() == nil
	var local netip.AddrPort
	if la != nil {
		local = unmap(la.AddrPort())
	}
	return &Conn{UDPConn: c, raw: raw, v6: v6, stats: st, never: !latch, local: local}, nil
}

// Close closes the socket; its Net forgets it.
func (c *Conn) Close() error {
	if n := c.net; n != nil {
		n.mu.Lock()
		for i, o := range n.conns {
			if o == c {
				n.conns = append(n.conns[:i], n.conns[i+1:]...)
				break
			}
		}
		n.mu.Unlock()
	}
	return c.UDPConn.Close()
}

// Latched returns the address the socket is connected to, if any.
func (c *Conn) Latched() (netip.AddrPort, bool) {
	if p := c.peer.Load(); p != nil {
		return *p, true
	}
	return netip.AddrPort{}, false
}

// ReadFromAddrPort reads the next datagram the tap does not take, going
// past the ECONNREFUSED a connected socket reports after an ICMP "port
// unreachable".
func (c *Conn) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	for {
		n, from, err := c.UDPConn.ReadFromUDPAddrPort(b)
		if err != nil && errors.Is(err, syscall.ECONNREFUSED) {
			c.stats.refused.Add(1)
			continue
		}
		if err != nil {
			return n, from, err
		}
		c.reads.Add(1)
		if c.net != nil {
			if t := c.net.tap.Load(); t != nil && (*t)(c, b[:n], unmap(from)) {
				continue
			}
		}
		return n, from, nil
	}
}

// ReadFrom is ReadFromAddrPort for net.PacketConn's callers.
func (c *Conn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, from, err := c.ReadFromAddrPort(b)
	if err != nil {
		return n, nil, err
	}
	return n, net.UDPAddrFromAddrPort(from), nil
}

// ReadFromUDPAddrPort is ReadFromAddrPort under net.UDPConn's name.
func (c *Conn) ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error) {
	return c.ReadFromAddrPort(b)
}

// WriteToAddrPort sends b to to: on the connected socket when latched to
// to, else with sendto (unlatching first when latched elsewhere).
func (c *Conn) WriteToAddrPort(b []byte, to netip.AddrPort) (int, error) {
	to = unmap(to)
	if p := c.peer.Load(); p != nil {
		if *p == to {
			if n, err := c.writeLatched(b); err == nil {
				c.checkQuiet()
				return n, nil
			}
			// Unlatched meanwhile (EDESTADDRREQ), or refused twice: sendto
			// says which.
		} else {
			c.unlatch(*p)
		}
	} else if !c.never {
		c.count(to)
	}
	return c.sendto(b, to)
}

// WriteTo is WriteToAddrPort for net.PacketConn's callers.
func (c *Conn) WriteTo(b []byte, to net.Addr) (int, error) {
	ua, ok := to.(*net.UDPAddr)
	if !ok {
		return 0, &net.OpError{Op: "write", Net: "udp", Addr: to, Err: syscall.EINVAL}
	}
	return c.WriteToAddrPort(b, ua.AddrPort())
}

// WriteToUDP is WriteTo under net.UDPConn's name.
func (c *Conn) WriteToUDP(b []byte, to *net.UDPAddr) (int, error) { return c.WriteTo(b, to) }

// WriteToUDPAddrPort is WriteToAddrPort under net.UDPConn's name.
func (c *Conn) WriteToUDPAddrPort(b []byte, to netip.AddrPort) (int, error) {
	return c.WriteToAddrPort(b, to)
}

func (c *Conn) writeLatched(b []byte) (int, error) {
	n, err := c.UDPConn.Write(b)
	if err != nil && errors.Is(err, syscall.ECONNREFUSED) {
		c.stats.refused.Add(1)
		n, err = c.UDPConn.Write(b) // the error was the last datagram's
	}
	return n, err
}

func (c *Conn) sendto(b []byte, to netip.AddrPort) (int, error) {
	if c.v6 && to.Addr().Is4() {
		to = netip.AddrPortFrom(netip.AddrFrom16(to.Addr().As16()), to.Port())
	}
	n, err := c.UDPConn.WriteToUDPAddrPort(b, to)
	if err != nil && errors.Is(err, syscall.ECONNREFUSED) {
		c.stats.refused.Add(1)
		n, err = c.UDPConn.WriteToUDPAddrPort(b, to)
	}
	return n, err
}

// checkQuiet unlatches after Run writes to the peer with no datagram
// read: the peer may be talking from elsewhere, which the connected
// socket does not let in.
func (c *Conn) checkQuiet() {
	if c.quiet.Add(1) < Run {
		return
	}
	r := c.reads.Load()
	if r != c.seen.Load() {
		c.seen.Store(r)
		c.quiet.Store(0)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.peer.Load()
	if p == nil || c.reads.Load() != r {
		return
	}
	c.disconnectLocked()
	c.stale, c.heard = true, r
}

// count counts a write to to while not latched, and latches after Run in
// a row once the socket has read something (ICE sends media to a pair
// only once the far end has answered a check on it).
func (c *Conn) count(to netip.AddrPort) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.peer.Load() != nil {
		return // latched meanwhile; this write goes by sendto
	}
	r := c.reads.Load()
	if to != c.cand {
		c.cand, c.run = to, 0
	}
	c.run++
	if c.stale {
		if r == c.heard {
			c.run = 0 // still silent: stay open to every address
			return
		}
		c.stale = false
	}
	if c.run < Run || r == 0 || !to.IsValid() {
		return
	}
	if err := c.connect(to); err != nil {
		c.run = 0 // not this time (or not on this system)
		return
	}
	c.seen.Store(r)
	c.quiet.Store(0)
	c.peer.Store(&to)
	c.stats.latches.Add(1)
}

// unlatch disconnects from p (before a write elsewhere).
func (c *Conn) unlatch(p netip.AddrPort) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if q := c.peer.Load(); q != nil && *q == p {
		c.disconnectLocked()
	}
}

func (c *Conn) disconnectLocked() {
	c.peer.Store(nil)
	c.cand, c.run = netip.AddrPort{}, 0
	_ = c.disconnect() // a socket that stays connected only drops others' datagrams
	c.stats.unlatches.Add(1)
}

// unmap turns an IPv4-mapped IPv6 address into its IPv4 form, the form
// the socket reports a sender in, so that both compare equal.
func unmap(a netip.AddrPort) netip.AddrPort {
	if a.Addr().Is4In6() {
		return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
	}
	return a
}
