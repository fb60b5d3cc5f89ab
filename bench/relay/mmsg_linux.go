package main

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawSock is a caller socket outside Go's network poller: its worker
// polls it every millisecond (recvmmsg with MSG_DONTWAIT) instead of
// sleeping on it, so that no arriving packet wakes a thread. On loopback
// the sender's system call pays for waking the receiver, and a relay
// sending to remote phones pays nothing of the kind: with callers that
// never sleep on their sockets, what the relay's sends cost here is closer
// to what they cost in service.
//
// The socket is bound to every local address (0.0.0.0) and each leg has
// its own loopback address (legAddr), chosen per packet with IP_PKTINFO:
// the relay's legs may share one port (its ICE UDP mux tells them apart
// by the caller's address), and the callers tell their legs apart by the
// address a packet came to.
type rawSock struct {
	fd   int
	port int
}

// ctrlLen is the room for one IP_PKTINFO control message.
var ctrlLen = unix.CmsgSpace(unix.SizeofInet4Pktinfo)

// legAddr is the loopback address of the i-th leg: 127.1.i/256.i%256.
func legAddr(i int) [4]byte { return [4]byte{127, 1, byte(i >> 8), byte(i)} }

// legIndex is legAddr's inverse (for an address of that form).
func legIndex(a [4]byte) int { return int(a[2])<<8 | int(a[3]) }

func openRawSock() (*rawSock, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	// A few milliseconds of every leg's packets must fit (the kernel caps
	// these at net.core.rmem_max and wmem_max).
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 4<<20)
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, 4<<20)
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_PKTINFO, 1); err != nil {
		unix.Close(fd)
		return nil, err
	}
	if err := unix.Bind(fd, &unix.SockaddrInet4{}); err != nil {
		unix.Close(fd)
		return nil, err
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	in4, ok := sa.(*unix.SockaddrInet4)
	if !ok {
		unix.Close(fd)
		return nil, errors.New("not an IPv4 socket")
	}
	return &rawSock{fd: fd, port: in4.Port}, nil
}

func (s *rawSock) close() error { return unix.Close(s.fd) }

// sendTo sends one packet from src (a leg's address) to 127.0.0.1:port.
func (s *rawSock) sendTo(p []byte, src [4]byte, port int) error {
	oob := unix.PktInfo4(&unix.Inet4Pktinfo{Spec_dst: src})
	return unix.Sendmsg(s.fd, p, oob, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}, unix.MSG_DONTWAIT)
}

type mmsghdr struct {
	hdr unix.Msghdr
	n   uint32
	_   [4]byte
}

// mmsgs is a batch of datagrams for recvmmsg or sendmmsg; Bufs[i] and
// Ports[i] are the i-th datagram and its far end's port on 127.0.0.1,
// Local[i] the leg's own address (sent from, or received on).
type mmsgs struct {
	hdrs  []mmsghdr
	iovs  []unix.Iovec
	names []unix.RawSockaddrInet4
	ctrl  []byte
	Bufs  [][]byte
	Ports []int
	Local [][4]byte
}

func newMmsgs(n, size int) *mmsgs {
	m := &mmsgs{hdrs: make([]mmsghdr, n), iovs: make([]unix.Iovec, n), names: make([]unix.RawSockaddrInet4, n),
		ctrl: make([]byte, n*ctrlLen), Bufs: make([][]byte, n), Ports: make([]int, n), Local: make([][4]byte, n)}
	for i := range n {
		m.Bufs[i] = make([]byte, size)
		m.hdrs[i].hdr.Name = (*byte)(unsafe.Pointer(&m.names[i]))
		m.hdrs[i].hdr.Iov = &m.iovs[i]
		m.hdrs[i].hdr.Iovlen = 1
		m.hdrs[i].hdr.Control = &m.ctrl[i*ctrlLen]
	}
	return m
}

// pktinfo is the i-th message's IP_PKTINFO control message.
func (m *mmsgs) pktinfo(i int) (*unix.Cmsghdr, *unix.Inet4Pktinfo) {
	b := m.ctrl[i*ctrlLen : (i+1)*ctrlLen]
	return (*unix.Cmsghdr)(unsafe.Pointer(&b[0])), (*unix.Inet4Pktinfo)(unsafe.Pointer(&b[unix.CmsgLen(0)]))
}

// recv reads up to len(m.Bufs) waiting datagrams without blocking; it
// returns how many, each one's length in Bufs[i] (resliced) and its
// sender's port in Ports[i].
func (s *rawSock) recv(m *mmsgs) (int, error) {
	for i := range m.hdrs {
		b := m.Bufs[i][:cap(m.Bufs[i])]
		m.Bufs[i] = b
		m.iovs[i].Base = &b[0]
		m.iovs[i].SetLen(len(b))
		m.hdrs[i].hdr.Namelen = unix.SizeofSockaddrInet4
		m.hdrs[i].hdr.SetControllen(ctrlLen)
		m.hdrs[i].n = 0
	}
	n, _, e := unix.Syscall6(unix.SYS_RECVMMSG, uintptr(s.fd), uintptr(unsafe.Pointer(&m.hdrs[0])), uintptr(len(m.hdrs)),
		unix.MSG_DONTWAIT, 0, 0)
	if e == unix.EAGAIN || e == unix.EINTR {
		return 0, nil
	}
	if e != 0 {
		return 0, e
	}
	for i := range int(n) {
		m.Bufs[i] = m.Bufs[i][:m.hdrs[i].n]
		pb := (*[2]byte)(unsafe.Pointer(&m.names[i].Port))
		m.Ports[i] = int(pb[0])<<8 | int(pb[1])
		m.Local[i] = [4]byte{}
		if h, info := m.pktinfo(i); int(m.hdrs[i].hdr.Controllen) >= unix.CmsgLen(unix.SizeofInet4Pktinfo) &&
			h.Level == unix.IPPROTO_IP && h.Type == unix.IP_PKTINFO {
			m.Local[i] = info.Addr
		}
	}
	return int(n), nil
}

// send sends Bufs[:n], each from Local[i] to 127.0.0.1:Ports[i]; it returns how many
// went (the rest when the socket's buffer is full).
func (s *rawSock) send(m *mmsgs, n int) (int, error) {
	for i := range n {
		m.names[i] = unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: [4]byte{127, 0, 0, 1}}
		pb := (*[2]byte)(unsafe.Pointer(&m.names[i].Port))
		pb[0], pb[1] = byte(m.Ports[i]>>8), byte(m.Ports[i])
		m.hdrs[i].hdr.Namelen = unix.SizeofSockaddrInet4
		h, info := m.pktinfo(i)
		h.Level, h.Type = unix.IPPROTO_IP, unix.IP_PKTINFO
		h.SetLen(unix.CmsgLen(unix.SizeofInet4Pktinfo))
		*info = unix.Inet4Pktinfo{Spec_dst: m.Local[i]}
		m.hdrs[i].hdr.SetControllen(ctrlLen)
		m.iovs[i].Base = &m.Bufs[i][0]
		m.iovs[i].SetLen(len(m.Bufs[i]))
	}
	sent := 0
	for sent < n {
		k, _, e := unix.Syscall6(unix.SYS_SENDMMSG, uintptr(s.fd), uintptr(unsafe.Pointer(&m.hdrs[sent])), uintptr(n-sent), 0, 0, 0)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return sent, e
		}
		sent += int(k)
	}
	return sent, nil
}
