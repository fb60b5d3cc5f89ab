// Package rtpleg is a plain RTP call leg: one UDP socket pair (RTP on an
// even port, RTCP on the next), symmetric RTP (media goes where the far
// end's packets come from once they arrive), SRTP keyed by SDES
// (RFC 4568, through pion/srtp), RTCP sender and receiver reports for
// round-trip time and the far end's view of loss, RFC 4733
// telephone-events both ways and hold in either direction, all over the
// same audio pipeline as the WebRTC legs (audio/stream: device, jitter
// buffer, concealment, levels, quality).
//
// It knows nothing of SIP: whoever negotiates the session (the SIP phone
// in vendors/sip through sip/sdp, the centre's SIP trunk) reserves Ports
// first to put them in its SDP, then Starts the leg with the negotiated
// Params, and Updates it on every re-negotiation (hold, retrieve, a new
// address or codec).
//
// Import rule: rtpleg imports only audio packages and pion, so both
// sip/... and vendors/local may use it.
package rtpleg

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
)

// Ports is a reserved RTP/RTCP socket pair. A Leg started on it owns it;
// Close a Ports that never started a leg.
type Ports struct {
	rtp, rtcp *net.UDPConn
}

// Listen reserves an even RTP port and the RTCP port after it on ip (an
// unspecified ip listens on every address). It tries a few random pairs.
func Listen(ip netip.Addr) (*Ports, error) {
	if !ip.IsValid() {
		ip = netip.IPv4Unspecified()
	}
	var last error
	for range 20 {
		c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, 0)))
		if err != nil {
			return nil, fmt.Errorf("rtpleg: listen: %w", err)
		}
		port := c.LocalAddr().(*net.UDPAddr).Port
		if port%2 == 1 || port == 65535 {
			// Try the even port below or above instead.
			c.Close()
			if port == 65535 {
				port = 65534
			} else {
				port--
			}
			c, err = net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, uint16(port))))
			if err != nil {
				last = err
				continue
			}
		}
		r, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, uint16(port+1))))
		if err != nil {
			c.Close()
			last = err
			continue
		}
		return &Ports{rtp: c, rtcp: r}, nil
	}
	return nil, fmt.Errorf("rtpleg: listen: no free port pair: %w", errors.Join(last, errors.New("tried 20")))
}

// RTP is the RTP socket's local address.
func (p *Ports) RTP() netip.AddrPort { return p.rtp.LocalAddr().(*net.UDPAddr).AddrPort() }

// RTCP is the RTCP socket's local address.
func (p *Ports) RTCP() netip.AddrPort { return p.rtcp.LocalAddr().(*net.UDPAddr).AddrPort() }

// Close releases both sockets.
func (p *Ports) Close() error { return errors.Join(p.rtp.Close(), p.rtcp.Close()) }
