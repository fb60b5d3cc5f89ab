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
type rawSock struct {
	fd   int
	port int
}

func openRawSock() (*rawSock, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	// A few milliseconds of every leg's packets must fit (the kernel caps
	// these at net.core.rmem_max and wmem_max).
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 4<<20)
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, 4<<20)
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
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

// sendTo sends one packet to 127.0.0.1:port.
func (s *rawSock) sendTo(p []byte, port int) error {
	return unix.Sendto(s.fd, p, unix.MSG_DONTWAIT, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}})
}

type mmsghdr struct {
	hdr unix.Msghdr
	n   uint32
	_   [4]byte
}

// mmsgs is a batch of datagrams for recvmmsg or sendmmsg; Bufs[i] and
// Ports[i] are the i-th datagram and its far end's port on 127.0.0.1.
type mmsgs struct {
	hdrs  []mmsghdr
	iovs  []unix.Iovec
	names []unix.RawSockaddrInet4
	Bufs  [][]byte
	Ports []int
}

func newMmsgs(n, size int) *mmsgs {
	m := &mmsgs{hdrs: make([]mmsghdr, n), iovs: make([]unix.Iovec, n), names: make([]unix.RawSockaddrInet4, n),
		Bufs: make([][]byte, n), Ports: make([]int, n)}
	for i := range n {
		m.Bufs[i] = make([]byte, size)
		m.hdrs[i].hdr.Name = (*byte)(unsafe.Pointer(&m.names[i]))
		m.hdrs[i].hdr.Iov = &m.iovs[i]
		m.hdrs[i].hdr.Iovlen = 1
	}
	return m
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
	}
	return int(n), nil
}

// send sends Bufs[:n], each to 127.0.0.1:Ports[i]; it returns how many
// went (the rest when the socket's buffer is full).
func (s *rawSock) send(m *mmsgs, n int) (int, error) {
	for i := range n {
		m.names[i] = unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: [4]byte{127, 0, 0, 1}}
		pb := (*[2]byte)(unsafe.Pointer(&m.names[i].Port))
		pb[0], pb[1] = byte(m.Ports[i]>>8), byte(m.Ports[i])
		m.hdrs[i].hdr.Namelen = unix.SizeofSockaddrInet4
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
