//go:build !linux

package udpbatch

import (
	"errors"
	"net"
	"net/netip"
)

type readSys struct{}

func (*readSys) init(any) {}

type sendSys struct{}

func (*sendSys) init() {}

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

// sendQueued sends q's datagrams idx one by one.
func (p ioPath) sendQueued(q *Queue, idx []uint8) (int, error) {
	for k, i := range idx {
		m := &q.msgs[i]
		if _, err := p.send(q.bufs[i][:m.len], m.to); err != nil {
			return k, err
		}
	}
	return len(idx), nil
}
