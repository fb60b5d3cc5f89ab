package udpbatch

import (
	"net"
	"net/netip"
	"testing"
)

// packetConn is what the round trip needs of either connection.
type packetConn interface {
	ReadFromAddrPort([]byte) (int, netip.AddrPort, error)
	WriteToAddrPort([]byte, netip.AddrPort) (int, error)
	Close() error
}

// roundTrip measures one datagram there and back at light load (one in
// flight), against a plain net.UDPConn.
func roundTrip(b *testing.B, open func() packetConn) {
	a, e := open(), open()
	defer a.Close()
	defer e.Close()
	ea := e.(interface{ LocalAddr() net.Addr }).LocalAddr().(*net.UDPAddr).AddrPort()
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 1500)
		for {
			n, from, err := e.ReadFromAddrPort(buf)
			if err != nil {
				return
			}
			e.WriteToAddrPort(buf[:n], from)
		}
	}()
	p := make([]byte, 172)
	buf := make([]byte, 1500)
	b.ResetTimer()
	for range b.N {
		if _, err := a.WriteToAddrPort(p, ea); err != nil {
			b.Fatal(err)
		}
		if _, _, err := a.ReadFromAddrPort(buf); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	e.Close()
	<-done
}

func BenchmarkRoundTripBatch(b *testing.B) {
	roundTrip(b, func() packetConn {
		c, err := Listen("udp4", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		return c
	})
}

func BenchmarkRoundTripUDPConn(b *testing.B) {
	roundTrip(b, func() packetConn {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			b.Fatal(err)
		}
		return plainConn{c}
	})
}

// plainConn is a net.UDPConn under packetConn's names.
type plainConn struct{ *net.UDPConn }

func (c plainConn) ReadFromAddrPort(p []byte) (int, netip.AddrPort, error) {
	return c.ReadFromUDPAddrPort(p)
}

func (c plainConn) WriteToAddrPort(p []byte, a netip.AddrPort) (int, error) {
	return c.WriteToUDPAddrPort(p, a)
}
