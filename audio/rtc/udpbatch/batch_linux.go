package udpbatch

import (
	"net"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mmsghdr is struct mmsghdr.
type mmsghdr struct {
	hdr unix.Msghdr
	n   uint32
	_   [4]byte
}

// readSys and writeSys are a batch's recvmmsg/sendmmsg headers, pointing
// at the batch's buffers once (init) and at its addresses.
type readSys struct {
	hdrs  [Batch]mmsghdr
	iovs  [Batch]unix.Iovec
	names [Batch]unix.RawSockaddrInet6
}

type writeSys = readSys

func (s *readSys) init(any) {
	for i := range s.hdrs {
		s.hdrs[i].hdr.Name = (*byte)(unsafe.Pointer(&s.names[i]))
		s.hdrs[i].hdr.Iov = &s.iovs[i]
		s.hdrs[i].hdr.Iovlen = 1
	}
}

// ioPath makes the batch system calls through the socket's RawConn, so Go's
// poller parks a reader (or a writer facing a full buffer) and Close and
// deadlines unblock it.
type ioPath struct {
	rc syscall.RawConn
	v6 bool // an AF_INET6 socket: IPv4 peers as IPv4-mapped addresses
}

func newIOPath(c *net.UDPConn) (ioPath, error) {
	rc, err := c.SyscallConn()
	la, _ := c.LocalAddr().(*net.UDPAddr)
	return ioPath{rc: rc, v6: la != nil && la.IP.To4() == nil}, err
}

func (p ioPath) read(r *readBatch) (int, error) {
	s := &r.sys
	for i := range s.hdrs {
		s.iovs[i].Base = &r.bufs[i][0]
		s.iovs[i].SetLen(len(r.bufs[i]))
		s.hdrs[i].hdr.Namelen = unix.SizeofSockaddrInet6
		s.hdrs[i].n = 0
	}
	var n uintptr
	var errno syscall.Errno
	err := p.rc.Read(func(fd uintptr) bool {
		n, _, errno = unix.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&s.hdrs[0])), Batch,
			unix.MSG_DONTWAIT, 0, 0)
		return errno != unix.EAGAIN && errno != unix.EINTR
	})
	if err != nil {
		return 0, err
	}
	if errno != 0 {
		return 0, &net.OpError{Op: "read", Net: "udp", Err: errno}
	}
	for i := range int(n) {
		r.lens[i] = int(s.hdrs[i].n)
		r.from[i] = decodeSockaddr((*[unix.SizeofSockaddrInet6]byte)(unsafe.Pointer(&s.names[i]))[:s.hdrs[i].hdr.Namelen])
	}
	return int(n), nil
}

// write sends w's datagrams from i on in one sendmmsg (waiting while the
// socket's buffer is full); it returns how many went, and the error of the
// first that did not.
func (p ioPath) write(w *writeBatch, from int) (int, error) {
	s := &w.sys
	for i := from; i < w.n; i++ {
		s.iovs[i].Base = &w.bufs[i][0]
		s.iovs[i].SetLen(w.lens[i])
		s.hdrs[i].hdr.Namelen = uint32(encodeSockaddr((*[unix.SizeofSockaddrInet6]byte)(unsafe.Pointer(&s.names[i]))[:], w.to[i], p.v6))
	}
	var n uintptr
	var errno syscall.Errno
	err := p.rc.Write(func(fd uintptr) bool {
		n, _, errno = unix.Syscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&s.hdrs[from])), uintptr(w.n-from),
			unix.MSG_DONTWAIT, 0, 0)
		return errno != unix.EAGAIN && errno != unix.EINTR
	})
	if err != nil {
		return 0, err
	}
	if errno != 0 {
		return 0, &net.OpError{Op: "write", Net: "udp", Err: errno}
	}
	return int(n), nil
}
