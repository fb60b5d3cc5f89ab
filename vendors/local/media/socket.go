package media

import (
	"errors"
	"fmt"
	"net"

	"github.com/pion/ice/v4"

	"github.com/agentty/agentty/audio/rtc/udpbatch"
)

// sockBuffer is the kernel buffer each way of a shared socket: every leg's
// packets go through it, so it must hold a few milliseconds of all of
// them (the kernel caps it at net.core.rmem_max and wmem_max).
const sockBuffer = 4 << 20

// sharedUDP is the relay's one UDP socket per host address that every
// leg's ICE runs on, through pion's UDP mux: the mux tells the legs apart
// by the ICE username of a peer's first connectivity check, then by the
// peer's address. The sockets batch their system calls (udpbatch), so the
// packets of many legs share a recvmmsg or sendmmsg.
type sharedUDP struct {
	mux   ice.UDPMux
	conns []*udpbatch.Conn
}

// openSharedUDP opens the sockets on an ephemeral port: on 127.0.0.1 when
// loopback, else on each up interface's addresses (no link-local IPv6),
// as pion's own gathering would use them.
func openSharedUDP(loopback bool) (*sharedUDP, error) {
	ips := []net.IP{net.IPv4(127, 0, 0, 1)}
	if !loopback {
		var err error
		if ips, err = hostIPs(); err != nil {
			return nil, err
		}
	}
	u := &sharedUDP{}
	var muxes []ice.UDPMux
	var bindErr error
	for _, ip := range ips {
		network := "udp4"
		if ip.To4() == nil {
			network = "udp6"
		}
		c, err := udpbatch.Listen(network, net.JoinHostPort(ip.String(), "0"))
		if err != nil {
			if loopback || len(ips) == 1 {
				u.close()
				return nil, fmt.Errorf("media: shared socket on %s: %w", ip, err)
			}
			bindErr = errors.Join(bindErr, err)
			continue // an address that takes no socket (an IPv6 one still in DAD): its legs' peers use another
		}
		c.SetReadBuffer(sockBuffer)
		c.SetWriteBuffer(sockBuffer)
		u.conns = append(u.conns, c)
		muxes = append(muxes, ice.NewUDPMuxDefault(ice.UDPMuxParams{UDPConn: c}))
	}
	if len(muxes) == 0 {
		return nil, fmt.Errorf("media: no shared socket: %w", bindErr)
	}
	if len(muxes) == 1 {
		u.mux = muxes[0]
	} else {
		u.mux = ice.NewMultiUDPMuxDefault(muxes...)
	}
	return u, nil
}

// hostIPs are the addresses of the up, non-loopback interfaces.
func hostIPs() ([]net.IP, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("media: interfaces: %w", err)
	}
	var ips []net.IP
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			n, ok := a.(*net.IPNet)
			if !ok || n.IP.IsLinkLocalUnicast() || n.IP.IsLoopback() {
				continue
			}
			ips = append(ips, n.IP)
		}
	}
	if len(ips) == 0 {
		return nil, errors.New("media: no host address for the shared socket")
	}
	return ips, nil
}

// addrs returns the shared sockets' addresses (nil with per-leg sockets).
func (u *sharedUDP) addrs() []net.Addr {
	if u == nil {
		return nil
	}
	var as []net.Addr
	for _, c := range u.conns {
		as = append(as, c.LocalAddr())
	}
	return as
}

// close closes the mux, which closes the sockets.
func (u *sharedUDP) close() error {
	if u == nil {
		return nil
	}
	var err error
	if u.mux != nil {
		err = u.mux.Close()
	}
	for _, c := range u.conns {
		if e := c.Close(); e != nil && !errors.Is(e, net.ErrClosed) {
			err = errors.Join(err, e)
		}
	}
	return err
}

// stats sums the sockets' counters.
func (u *sharedUDP) stats() (t udpbatch.Stats) {
	if u == nil {
		return t
	}
	for _, c := range u.conns {
		s := c.Stats()
		t.Reads += s.Reads
		t.ReadCalls += s.ReadCalls
		t.Writes += s.Writes
		t.WriteCalls += s.WriteCalls
		t.WriteErrs += s.WriteErrs
		t.MaxWait = max(t.MaxWait, s.MaxWait)
		t.WaitSum += s.WaitSum
		t.Batches += s.Batches
	}
	return t
}
