package media_test

import (
	"net"
	"runtime"
	"testing"

	"github.com/agentty/agentty/vendors/local/media"
)

// The relay's legs share a few sockets per host address: 127.0.0.1 on
// loopback, the interfaces' (none of them loopback) otherwise; none
// with SocketPerLeg.
func TestSharedSocketAddrs(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  media.Config
		want func([]net.Addr) bool
	}{
		{"loopback", media.Config{Loopback: true, SharedSockets: 1}, func(as []net.Addr) bool {
			return len(as) == 1 && as[0].(*net.UDPAddr).IP.Equal(net.IPv4(127, 0, 0, 1)) && as[0].(*net.UDPAddr).Port != 0
		}},
		{"three on loopback", media.Config{Loopback: true, SharedSockets: 3}, func(as []net.Addr) bool {
			ports := map[int]bool{}
			for _, a := range as {
				if !a.(*net.UDPAddr).IP.Equal(net.IPv4(127, 0, 0, 1)) {
					return false
				}
				ports[a.(*net.UDPAddr).Port] = true
			}
			return len(as) == 3 && len(ports) == 3
		}},
		{"default on loopback", media.Config{Loopback: true}, func(as []net.Addr) bool {
			return len(as) == media.DefaultSharedSockets*runtime.GOMAXPROCS(0)
		}},
		{"host", media.Config{}, func(as []net.Addr) bool {
			for _, a := range as {
				if a.(*net.UDPAddr).IP.IsLoopback() {
					return false
				}
			}
			return len(as) > 0
		}},
		{"per leg", media.Config{Loopback: true, SocketPerLeg: true}, func(as []net.Addr) bool { return as == nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := media.New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if as := m.UDPAddrs(); !tc.want(as) {
				t.Errorf("shared sockets on %v", as)
			}
		})
	}
}
