package udpbatch

import (
	"net"
	"net/netip"
	"os"
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

// readSys is a batch's recvmmsg headers, pointing at the batch's buffers
// once (init) and at its addresses.
type readSys struct {
	hdrs  [Batch]mmsghdr
	iovs  [Batch]unix.Iovec
	names [Batch]unix.RawSockaddrInet6
}

func (s *readSys) init(any) {
	for i := range s.hdrs {
		s.hdrs[i].hdr.Name = (*byte)(unsafe.Pointer(&s.names[i]))
		s.hdrs[i].hdr.Iov = &s.iovs[i]
		s.hdrs[i].hdr.Iovlen = 1
	}
}

// sendSys is a Queue's sendmmsg headers, pointing at the queue's
// addresses once (init), at its buffers per call.
type sendSys struct {
	hdrs  [Batch]mmsghdr
	iovs  [Batch]unix.Iovec
	names [Batch][unix.SizeofSockaddrInet6]byte
}

func (s *sendSys) init() {
	for i := range s.hdrs {
		s.hdrs[i].hdr.Name = &s.names[i][0]
		s.hdrs[i].hdr.Iov = &s.iovs[i]
		s.hdrs[i].hdr.Iovlen = 1
	}
}

// ioPath reads through the socket's RawConn, so Go's poller parks the
// reader and Close and deadlines unblock it; it writes on the descriptor
// itself (the package comment says why), never waiting.
type ioPath struct {
	rc syscall.RawConn
	fd uintptr
	v6 bool // an AF_INET6 socket: IPv4 peers as IPv4-mapped addresses
}

func newIOPath(c *net.UDPConn) (ioPath, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return ioPath{}, err
	}
	p := ioPath{rc: rc}
	if err := rc.Control(func(fd uintptr) { p.fd = fd }); err != nil {
		return ioPath{}, err
	}
	la, _ := c.LocalAddr().(*net.UDPAddr)
	p.v6 = la != nil && la.IP.To4() == nil
	return p, nil
}

// errWouldBlock is send's answer when the socket's buffer is full.
var errWouldBlock = unix.EAGAIN

// send sends b to a with one sendto that does not wait: errWouldBlock
// when the socket's buffer is full. The Conn keeps the descriptor open
// for the call.
func (p ioPath) send(b []byte, a netip.AddrPort) (int, error) {
	var sa [unix.SizeofSockaddrInet6]byte
	salen := encodeSockaddr(sa[:], a, p.v6)
	var base unsafe.Pointer
	if len(b) > 0 {
		base = unsafe.Pointer(&b[0])
	}
	for {
		n, _, errno := unix.Syscall6(unix.SYS_SENDTO, p.fd, uintptr(base), uintptr(len(b)),
			unix.MSG_DONTWAIT, uintptr(unsafe.Pointer(&sa[0])), uintptr(salen))
		if errno != unix.EINTR {
			return sent("sendto", a, n, errno)
		}
	}
}

// sent is what a sending system call (sendto, sendmmsg, MSG_DONTWAIT)
// that returned n and errno did: errWouldBlock when the socket's buffer
// was full. to is the destination an error names.
func sent(call string, to netip.AddrPort, n uintptr, errno syscall.Errno) (int, error) {
	switch errno {
	case 0:
		return int(n), nil
	case unix.EAGAIN:
		return 0, errWouldBlock
	}
	return 0, &net.OpError{Op: "write", Net: "udp", Addr: net.UDPAddrFromAddrPort(to), Err: os.NewSyscallError(call, errno)}
}

// sendQueued sends q's datagrams idx with one sendmmsg that does not
// wait, and returns how many the kernel took: all but the first it
// refused (its error then, errWouldBlock when the socket's buffer is
// full) and those after it.
func (p ioPath) sendQueued(q *Queue, idx []uint8) (int, error) {
	s := &q.sys
	for k, i := range idx {
		m := &q.msgs[i]
		s.hdrs[k].hdr.Namelen = uint32(encodeSockaddr(s.names[k][:], m.to, p.v6))
		s.iovs[k].Base = &q.bufs[i][0]
		s.iovs[k].SetLen(m.len)
	}
	for {
		n, _, errno := unix.Syscall6(unix.SYS_SENDMMSG, p.fd, uintptr(unsafe.Pointer(&s.hdrs[0])), uintptr(len(idx)),
			unix.MSG_DONTWAIT, 0, 0)
		if errno != unix.EINTR {
			return sent("sendmmsg", q.msgs[idx[0]].to, n, errno)
		}
	}
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
