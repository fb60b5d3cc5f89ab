//go:build !linux

package udpbatch

import (
	"errors"
	"net"
	"net/netip"
)

type readSys struct{}

func (*readSys) init(any) {}

// ioPath makes one system call per datagram.
type ioPath struct{ c *net.UDPConn }

func newIOPath(c *net.UDPConn) (ioPath, error) { return ioPath{c: c}, nil }

func (p ioPath) read(r *readBatch) (int, error) {
	n, a, err := p.c.ReadFromUDPAddrPort(r.bufs[0])
	if err != nil {
		return 0, err
	}
	r.lens[0], r.from[0] = n, a
	return 1, nil
}

// errWouldBlock is never returned here: the net package waits for room.
var errWouldBlock = errors.New("udpbatch: would block")

func (p ioPath) send(b []byte, a netip.AddrPort) (int, error) {
	return p.c.WriteToUDPAddrPort(b, a)
}
