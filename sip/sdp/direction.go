// Package sdp is agentty's SDP offer/answer (RFC 3264) for one audio
// stream of a SIP call, on github.com/pion/sdp/v3: RTP/AVP and RTP/SAVP,
// PCMU, PCMA and Opus (G.722 is not offered), RFC 4733 telephone-event,
// the stream direction (sendrecv, sendonly, recvonly, inactive: hold and
// retrieve), SDES keys (RFC 4568 a=crypto) and the RTCP address (a=rtcp,
// rtcp-mux).
//
// Offer and Answer turn our Local settings (the addresses of the reserved
// audio/rtpleg.Ports, the codec order from the settings, the SRTP mode,
// the direction we want) into a Session to send; Answer and Negotiate
// return the rtpleg.Params to Start or Update the call's RTP leg with.
// Errors wrap ErrBadSDP (answer 400), ErrNotAcceptable (answer 488) or
// ErrSRTPRequired (488 too).
package sdp

import (
	"fmt"
	"strings"
)

// Direction is an SDP stream direction attribute, from the point of view
// of the side that wrote it.
type Direction string

// The four directions (RFC 3264 5.1). The zero Direction reads as
// SendRecv (an SDP without one is sendrecv).
const (
	SendRecv Direction = "sendrecv"
	SendOnly Direction = "sendonly"
	RecvOnly Direction = "recvonly"
	Inactive Direction = "inactive"
)

// ParseDirection reads an attribute name; ok is false for anything else.
func ParseDirection(s string) (Direction, bool) {
	switch d := Direction(strings.ToLower(s)); d {
	case SendRecv, SendOnly, RecvOnly, Inactive:
		return d, true
	}
	return "", false
}

// Norm returns d with the zero value read as SendRecv.
func (d Direction) Norm() Direction {
	if d == "" {
		return SendRecv
	}
	return d
}

// String implements fmt.Stringer.
func (d Direction) String() string { return string(d.Norm()) }

// Sends reports whether the side that wrote d sends media.
func (d Direction) Sends() bool { d = d.Norm(); return d == SendRecv || d == SendOnly }

// Receives reports whether the side that wrote d receives media.
func (d Direction) Receives() bool { d = d.Norm(); return d == SendRecv || d == RecvOnly }

// Reverse is the direction the other side sees: sendonly <-> recvonly.
func (d Direction) Reverse() Direction {
	switch d.Norm() {
	case SendOnly:
		return RecvOnly
	case RecvOnly:
		return SendOnly
	}
	return d.Norm()
}

// Make builds the direction with the given send and receive.
func Make(send, recv bool) Direction {
	switch {
	case send && recv:
		return SendRecv
	case send:
		return SendOnly
	case recv:
		return RecvOnly
	}
	return Inactive
}

// Answering is the direction an answerer that wants want writes for an
// offer written with offered (RFC 3264 6.1): it sends only if it wants
// to and the offerer receives, and receives only if it wants to and the
// offerer sends.
func Answering(offered, want Direction) Direction {
	return Make(want.Sends() && offered.Receives(), want.Receives() && offered.Sends())
}

// Held reports whether a far end that wrote d has put the call on hold
// (it does not want our media).
func (d Direction) Held() bool { return !d.Receives() }

// SRTPMode is the srtp setting: off (plain RTP only), optional (offer
// RTP/AVP with SDES keys, accept either), mandatory (RTP/SAVP only).
type SRTPMode string

// The SRTP modes.
const (
	SRTPOff       SRTPMode = "off"
	SRTPOptional  SRTPMode = "optional"
	SRTPMandatory SRTPMode = "mandatory"
)

// ParseSRTPMode reads a setting ("" is off).
func ParseSRTPMode(s string) (SRTPMode, error) {
	switch m := SRTPMode(strings.ToLower(strings.TrimSpace(s))); m {
	case "", SRTPOff:
		return SRTPOff, nil
	case SRTPOptional, SRTPMandatory:
		return m, nil
	}
	return "", fmt.Errorf("sdp: srtp %q: want off, optional or mandatory", s)
}
