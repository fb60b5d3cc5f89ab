package media

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync/atomic"

	"github.com/pion/ice/v4"

	"github.com/agentty/agentty/audio/rtc/udpbatch"
)

// sockBuffer is the kernel buffer each way of a shared socket: every leg's
// packets go through it, so it must hold a few milliseconds of all of
// them (the kernel caps it at net.core.rmem_max and wmem_max).
const sockBuffer = 4 << 20

// sharedUDP is the relay's few UDP sockets per host address that the
// legs' ICE runs on, through pion's UDP mux: the mux tells the legs apart
// by the ICE username of a peer's first connectivity check, then by the
// peer's address. The sockets batch their reads (udpbatch), so the packets
// of many legs share a recvmmsg, and their writers send in parallel.
//
// The legs are spread over several sockets (groups), in turn: each mux
// has one reader goroutine, which on a busy relay waits its turn behind
// thousands of runnable goroutines while its socket's buffer fills. With
// one socket for 2,000 legs (100,000 packets/s) the kernel dropped more
// than half of them and callers' DTLS handshakes timed out
// (bench/relay/README.md).
type sharedUDP struct {
	groups []udpGroup
	next   atomic.Uint32
	conns  []*udpbatch.Conn // every group's
	own    ownIndex         // the legs running their own SRTP (fast.go), for the sockets' taps
}

// udpGroup is one mux and its sockets, one per host address.
type udpGroup struct {
	mux   ice.UDPMux
	conns []*udpbatch.Conn
}

// DefaultSharedSockets is Config.SharedSockets's default per CPU.
const DefaultSharedSockets = 4

// openSharedUDP opens n groups of sockets, each on an ephemeral port: on
// 127.0.0.1 when loopback, else on each up interface's addresses (no
// link-local IPv6), as pion's own gathering would use them.
func openSharedUDP(loopback bool, n int) (*sharedUDP, error) {
	ips := []net.IP{net.IPv4(127, 0, 0, 1)}
	if !loopback {
		var err error
		if ips, err = hostIPs(); err != nil {
			return nil, err
		}
	}
	u := &sharedUDP{}
	for range max(1, n) {
		g, err := openGroup(ips, loopback)
		if err != nil {
			u.close()
			return nil, err
		}
		u.groups = append(u.groups, g)
		u.conns = append(u.conns, g.conns...)
	}
	for _, c := range u.conns {
		c.SetTap(u.own.tap)
		c.SetWarm(u.own.warm)
	}
	return u, nil
}

// conn returns the shared socket on local address a.
func (u *sharedUDP) conn(a netip.AddrPort) (packetWriter, bool) {
	for _, c := range u.conns {
		if la, ok := c.LocalAddr().(*net.UDPAddr); ok && unmapped(la.AddrPort()) == a {
			return c, true
		}
	}
	return nil, false
}

// nextGroup is the group of the next call's legs: the groups in turn.
// A call's legs share a group, so that what one leg's socket reads goes
// out on the same socket, and a tap's queue sends a batch's forwards in
// one system call (udpbatch.Queue), not one per socket.
func (u *sharedUDP) nextGroup() int {
	return int(u.next.Add(1)-1) % len(u.groups)
}

// mux is group g's mux.
func (u *sharedUDP) mux(g int) ice.UDPMux {
	return u.groups[g%len(u.groups)].mux
}

// muxFor is the mux of call c's legs: its group's, the next group when
// c has none yet. Loop only.
func (u *sharedUDP) muxFor(c *call) ice.UDPMux {
	if c.udpGroup == 0 {
		c.udpGroup = u.nextGroup() + 1
	}
	return u.mux(c.udpGroup - 1)
}

// openGroup opens one socket on each of ips under one mux.
func openGroup(ips []net.IP, loopback bool) (udpGroup, error) {
	u := udpGroup{}
	var muxes []ice.UDPMux
	var bindErr error
	for _, ip := range ips {
		network := "udp4"
		if ip.To4() == nil {
			network = "udp6"
		}
		c, err := udpbatch.Listen(network, net.JoinHostPort(ip.String(), "0"))
		if err != nil {
			if loopback || len(ips) == 1 {
				for _, c := range u.conns {
					c.Close()
				}
				return u, fmt.Errorf("media: shared socket on %s: %w", ip, err)
			}
			bindErr = errors.Join(bindErr, err)
			continue // an address that takes no socket (an IPv6 one still in DAD): its legs' peers use another
		}
		c.SetReadBuffer(sockBuffer)
		c.SetWriteBuffer(sockBuffer)
		u.conns = append(u.conns, c)
		muxes = append(muxes, ice.NewUDPMuxDefault(ice.UDPMuxParams{UDPConn: c}))
	}
	if len(muxes) == 0 {
		return u, fmt.Errorf("media: no shared socket: %w", bindErr)
	}
	if len(muxes) == 1 {
		u.mux = muxes[0]
	} else {
		u.mux = ice.NewMultiUDPMuxDefault(muxes...)
	}
	return u, nil
}

// hostIPs are the addresses of the up, non-loopback interfaces.
func hostIPs() ([]net.IP, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("media: interfaces: %w", err)
	}
	var ips []net.IP
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			n, ok := a.(*net.IPNet)
			if !ok || n.IP.IsLinkLocalUnicast() || n.IP.IsLoopback() {
				continue
			}
			ips = append(ips, n.IP)
		}
	}
	if len(ips) == 0 {
		return nil, errors.New("media: no host address for the shared socket")
	}
	return ips, nil
}

// addrs returns the shared sockets' addresses (nil with per-leg sockets).
func (u *sharedUDP) addrs() []net.Addr {
	if u == nil {
		return nil
	}
	var as []net.Addr
	for _, c := range u.conns {
		as = append(as, c.LocalAddr())
	}
	return as
}

// close closes the muxes, which close the sockets.
func (u *sharedUDP) close() error {
	if u == nil {
		return nil
	}
	var err error
	for _, g := range u.groups {
		if g.mux != nil {
			err = errors.Join(err, g.mux.Close())
		}
	}
	for _, c := range u.conns {
		if e := c.Close(); e != nil && !errors.Is(e, net.ErrClosed) {
			err = errors.Join(err, e)
		}
	}
	return err
}

// stats sums the sockets' counters.
func (u *sharedUDP) stats() (t udpbatch.Stats) {
	if u == nil {
		return t
	}
	for _, c := range u.conns {
		t = t.Plus(c.Stats())
	}
	return t
}
