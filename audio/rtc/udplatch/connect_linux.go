package udplatch

import (
	"errors"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

var errFamily = errors.New("udplatch: address of another family")

// connect connects the socket to to.
func (c *Conn) connect(to netip.AddrPort) error {
	var sa syscall.Sockaddr
	switch {
	case to.Addr().Zone() != "":
		return errFamily // a scoped address: left to sendto
	case c.v6:
		sa = &syscall.SockaddrInet6{Port: int(to.Port()), Addr: to.Addr().As16()}
	case to.Addr().Is4():
		sa = &syscall.SockaddrInet4{Port: int(to.Port()), Addr: to.Addr().As4()}
	default:
		return errFamily
	}
	var cerr error
	if err := c.raw.Control(func(fd uintptr) { cerr = syscall.Connect(int(fd), sa) }); err != nil {
		return err
	}
	return cerr
}

// disconnect dissolves the connection (connect to AF_UNSPEC). The socket
// keeps its port only because ListenUDP bound it to a port it named: the
// kernel unbinds a socket whose port it chose itself.
func (c *Conn) disconnect() error {
	sa := syscall.RawSockaddr{Family: syscall.AF_UNSPEC}
	var cerr error
	err := c.raw.Control(func(fd uintptr) {
		_, _, e := syscall.Syscall(syscall.SYS_CONNECT, fd, uintptr(unsafe.Pointer(&sa)), unsafe.Sizeof(sa))
		if e != 0 {
			cerr = e
		}
	})
	if err != nil {
		return err
	}
	return cerr
}

// listen binds a UDP socket to laddr; for port 0 it picks the port itself
// from the system's ephemeral range (so that a disconnect keeps it).
// latch is false when it had to let the kernel choose.
func listen(network string, laddr *net.UDPAddr) (c *net.UDPConn, latch bool, err error) {
	if laddr != nil && laddr.Port != 0 {
		c, err = net.ListenUDP(network, laddr)
		return c, true, err
	}
	lo, hi := ephemeralPorts()
	for range 32 {
		a := net.UDPAddr{Port: lo + rand.IntN(hi-lo+1)}
		if laddr != nil {
			a.IP, a.Zone = laddr.IP, laddr.Zone
		}
		c, err = net.ListenUDP(network, &a)
		if err == nil {
			return c, true, nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			return nil, false, err
		}
	}
	c, err = net.ListenUDP(network, laddr)
	return c, false, err
}

var ephemeral struct {
	once   sync.Once
	lo, hi int
}

// ephemeralPorts is the system's ephemeral port range
// (net.ipv4.ip_local_port_range), or Linux's default.
func ephemeralPorts() (lo, hi int) {
	ephemeral.once.Do(func() {
		ephemeral.lo, ephemeral.hi = 32768, 60999
		b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
		if err != nil {
			return
		}
		f := strings.Fields(string(b))
		if len(f) != 2 {
			return
		}
		l, err1 := strconv.Atoi(f[0])
		h, err2 := strconv.Atoi(f[1])
		if err1 == nil && err2 == nil && 0 < l && l <= h && h < 65536 {
			ephemeral.lo, ephemeral.hi = l, h
		}
	})
	return ephemeral.lo, ephemeral.hi
}
