package udplatch

import (
	"net"
	"testing"
)

// drain reads a loopback socket until the benchmark ends.
func drain(b *testing.B) *net.UDPConn {
	r, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	_ = r.SetReadBuffer(8 << 20)
	go func() {
		buf := make([]byte, 1500)
		for {
			if _, err := r.Read(buf); err != nil {
				return
			}
		}
	}()
	b.Cleanup(func() { r.Close() })
	return r
}

// BenchmarkSend: one 200-byte datagram to a loopback socket, from a
// latched Conn (a write on the connected socket) and from a plain
// unconnected socket (sendto, the route looked up for each: pion's
// default).
//
//	go test -run XXX -bench Send -benchtime 300000x -count 4 ./audio/rtc/udplatch
func BenchmarkSend(b *testing.B) {
	for _, latch := range []bool{true, false} {
		name := "unconnected"
		if latch {
			name = "latched"
		}
		b.Run(name, func(b *testing.B) {
			r := drain(b)
			to := r.LocalAddr().(*net.UDPAddr).AddrPort()
			_, c := listenLoopback(b)
			if latch {
				if err := c.connect(to); err != nil {
					b.Skip("no latching here:", err)
				}
				c.peer.Store(&to)
			}
			p := make([]byte, 200)
			for b.Loop() {
				c.reads.Add(1) // as if the far end spoke: the latch holds
				var err error
				if latch {
					_, err = c.WriteToAddrPort(p, to)
				} else {
					_, err = c.UDPConn.WriteToUDPAddrPort(p, to)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
