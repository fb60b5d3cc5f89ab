package udpbatch

import (
	"encoding/binary"
	"net/netip"
)

// Address families as the kernel numbers them in a sockaddr (Linux's
// values; only batch_linux.go uses these).
const (
	afInet  = 2
	afInet6 = 10
)

// decodeSockaddr reads a struct sockaddr_in or sockaddr_in6 (family in the
// host's byte order, port big-endian); anything else, or too short, is the
// zero AddrPort.
func decodeSockaddr(b []byte) netip.AddrPort {
	if len(b) < 2 {
		return netip.AddrPort{}
	}
	port := func() uint16 { return binary.BigEndian.Uint16(b[2:4]) }
	switch binary.NativeEndian.Uint16(b) {
	case afInet:
		if len(b) < 8 {
			return netip.AddrPort{}
		}
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(b[4:8])), port())
	case afInet6:
		if len(b) < 24 {
			return netip.AddrPort{}
		}
		return netip.AddrPortFrom(netip.AddrFrom16([16]byte(b[8:24])), port())
	}
	return netip.AddrPort{}
}

// encodeSockaddr writes a into b (at least 28 bytes) as the kernel reads
// it and returns its length: sockaddr_in for an IPv4 (or IPv4-mapped)
// address, sockaddr_in6 otherwise or when v6 (an AF_INET6 socket, which
// takes IPv4 peers as IPv4-mapped addresses).
func encodeSockaddr(b []byte, a netip.AddrPort, v6 bool) int {
	clear(b[:28])
	ip := a.Addr()
	binary.BigEndian.PutUint16(b[2:4], a.Port())
	if !v6 && (ip.Is4() || ip.Is4In6()) {
		binary.NativeEndian.PutUint16(b, afInet)
		v := ip.Unmap().As4()
		copy(b[4:8], v[:])
		return 16
	}
	binary.NativeEndian.PutUint16(b, afInet6)
	v := ip.As16()
	copy(b[8:24], v[:])
	return 28
}
