//go:build !linux

package udpbatch

import (
	"net"
)

type readSys struct{}
type writeSys = readSys

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

func (p ioPath) write(w *writeBatch, from int) (int, error) {
	if _, err := p.c.WriteToUDPAddrPort(w.bufs[from][:w.lens[from]], w.to[from]); err != nil {
		return 0, err
	}
	return 1, nil
}
