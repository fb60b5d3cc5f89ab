//go:build !linux

package udplatch

import (
	"errors"
	"net"
	"net/netip"
)

var errUnsupported = errors.New("udplatch: no latching on this system")

func (c *Conn) connect(netip.AddrPort) error { return errUnsupported }
func (c *Conn) disconnect() error            { return nil }

func listen(network string, laddr *net.UDPAddr) (*net.UDPConn, bool, error) {
	c, err := net.ListenUDP(network, laddr)
	return c, false, err
}
