package sdp

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	psdp "github.com/pion/sdp/v3"

	"github.com/agentty/agentty/audio/stream"
)

// Errors; each wraps into the returned error.
var (
	// ErrBadSDP: the SDP does not parse or has no audio stream (400).
	ErrBadSDP = errors.New("sdp: malformed")
	// ErrNotAcceptable: no common codec, or the audio stream was refused
	// (port 0) (488 Not Acceptable Here).
	ErrNotAcceptable = errors.New("sdp: no common audio codec")
	// ErrSRTPRequired: SRTP is mandatory here and the far end offered or
	// answered no usable key, or the far end requires SRTP and it is off
	// (488).
	ErrSRTPRequired = errors.New("sdp: srtp required on one side and not possible")
)

// Protocols of the audio m= line.
const (
	ProtoAVP  = "RTP/AVP"
	ProtoSAVP = "RTP/SAVP"
)

// Media is the audio stream of a session description.
type Media struct {
	// Addr is the connection address (media-level c=, else session-level).
	Addr netip.Addr
	// Port is the RTP port; 0 means the stream is refused.
	Port uint16
	// RTCP is the a=rtcp address (zero when absent: Port+1 at Addr).
	RTCP netip.AddrPort
	// RTCPMux is set by a=rtcp-mux.
	RTCPMux bool
	// Proto is ProtoAVP or ProtoSAVP (others are kept as written).
	Proto string
	// Codecs are the payload formats in m= order, telephone-event
	// included. A static payload type without a=rtpmap gets its RFC 3551
	// name.
	Codecs []stream.Codec
	// Direction is the stream's direction ("" when absent: sendrecv).
	Direction Direction
	// Crypto are the SDES keys offered or answered.
	Crypto []Crypto
	// PTime is a=ptime in milliseconds, 0 when absent.
	PTime int
}

// Session is a session description with one audio stream (the first
// audio m= line; other media lines are kept for the answer to refuse).
type Session struct {
	User      string
	SessionID uint64
	Version   uint64
	Origin    netip.Addr
	Audio     Media
	// Others are the media names of the other m= lines ("video", ...), in
	// order, with the audio line's index: an answer must list as many
	// lines (the others with port 0).
	Others     []string
	AudioIndex int
}

// RemoteRTP returns the stream's RTP address.
func (m Media) RemoteRTP() netip.AddrPort { return netip.AddrPortFrom(m.Addr, m.Port) }

// RemoteRTCP returns where RTCP goes: a=rtcp, the RTP address with
// rtcp-mux, else Port+1.
func (m Media) RemoteRTCP() netip.AddrPort {
	switch {
	case m.RTCP.IsValid():
		return m.RTCP
	case m.RTCPMux:
		return m.RemoteRTP()
	}
	return netip.AddrPortFrom(m.Addr, m.Port+1)
}

// static are the RFC 3551 payload types an SDP may list without rtpmap.
var static = map[uint8]stream.Codec{
	0: {PT: 0, Name: "PCMU", Clock: 8000},
	8: {PT: 8, Name: "PCMA", Clock: 8000},
	9: {PT: 9, Name: "G722", Clock: 8000},
}

// Parse reads a session description with at least one audio stream.
func Parse(b []byte) (*Session, error) {
	var d psdp.SessionDescription
	if err := d.UnmarshalString(string(b)); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadSDP, err)
	}
	s := &Session{User: d.Origin.Username, SessionID: d.Origin.SessionID, Version: d.Origin.SessionVersion, AudioIndex: -1}
	s.Origin, _ = netip.ParseAddr(d.Origin.UnicastAddress)
	sessionAddr, err := connAddr(d.ConnectionInformation)
	if err != nil {
		return nil, err
	}
	sessionDir := Direction("")
	for _, a := range d.Attributes {
		if dir, ok := ParseDirection(a.Key); ok {
			sessionDir = dir
		}
	}
	for i, md := range d.MediaDescriptions {
		if md.MediaName.Media != "audio" || s.AudioIndex >= 0 {
			s.Others = append(s.Others, md.MediaName.Media)
			continue
		}
		s.AudioIndex = i
		m, err := parseMedia(md, sessionAddr, sessionDir)
		if err != nil {
			return nil, err
		}
		s.Audio = m
	}
	if s.AudioIndex < 0 {
		return nil, fmt.Errorf("%w: no audio stream", ErrBadSDP)
	}
	return s, nil
}

func connAddr(c *psdp.ConnectionInformation) (netip.Addr, error) {
	if c == nil || c.Address == nil {
		return netip.Addr{}, nil
	}
	host, _, _ := strings.Cut(c.Address.Address, "/") // multicast TTL
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%w: connection address %q (host names are not supported)", ErrBadSDP, c.Address.Address)
	}
	return a, nil
}

func parseMedia(md *psdp.MediaDescription, sessionAddr netip.Addr, dir Direction) (Media, error) {
	m := Media{Addr: sessionAddr, Direction: dir, Proto: strings.Join(md.MediaName.Protos, "/")}
	if md.MediaName.Port.Value < 0 || md.MediaName.Port.Value > 65535 {
		return m, fmt.Errorf("%w: port %d", ErrBadSDP, md.MediaName.Port.Value)
	}
	m.Port = uint16(md.MediaName.Port.Value)
	if md.ConnectionInformation != nil {
		a, err := connAddr(md.ConnectionInformation)
		if err != nil {
			return m, err
		}
		m.Addr = a
	}
	if !m.Addr.IsValid() && m.Port != 0 {
		return m, fmt.Errorf("%w: no connection address", ErrBadSDP)
	}
	rtpmap := map[uint8]stream.Codec{}
	fmtp := map[uint8]string{}
	for _, a := range md.Attributes {
		switch key := strings.ToLower(a.Key); key {
		case "rtpmap":
			pt, c, ok := parseRtpmap(a.Value)
			if ok {
				rtpmap[pt] = c
			}
		case "fmtp":
			ptS, params, _ := strings.Cut(a.Value, " ")
			if pt, err := strconv.ParseUint(ptS, 10, 7); err == nil {
				fmtp[uint8(pt)] = strings.TrimSpace(params)
			}
		case "rtcp":
			m.RTCP = parseRTCP(a.Value, m.Addr)
		case "rtcp-mux":
			m.RTCPMux = true
		case "crypto":
			if c, err := ParseCrypto(a.Value); err == nil {
				m.Crypto = append(m.Crypto, c)
			}
		case "ptime":
			m.PTime, _ = strconv.Atoi(strings.TrimSpace(a.Value))
		default:
			if d, ok := ParseDirection(key); ok {
				m.Direction = d
			}
		}
	}
	for _, f := range md.MediaName.Formats {
		pt, err := strconv.ParseUint(f, 10, 7)
		if err != nil {
			continue // not RTP
		}
		c, ok := rtpmap[uint8(pt)]
		if !ok {
			if c, ok = static[uint8(pt)]; !ok {
				continue
			}
		}
		c.Fmtp = fmtp[uint8(pt)]
		m.Codecs = append(m.Codecs, c)
	}
	return m, nil
}

// parseRtpmap reads "PT NAME/CLOCK[/CHANNELS]".
func parseRtpmap(v string) (uint8, stream.Codec, bool) {
	ptS, enc, ok := strings.Cut(strings.TrimSpace(v), " ")
	pt, err := strconv.ParseUint(ptS, 10, 7)
	if !ok || err != nil {
		return 0, stream.Codec{}, false
	}
	parts := strings.Split(strings.TrimSpace(enc), "/")
	if len(parts) < 2 || parts[0] == "" {
		return 0, stream.Codec{}, false
	}
	clock, err := strconv.ParseUint(parts[1], 10, 32)
	if err != nil || clock == 0 {
		return 0, stream.Codec{}, false
	}
	c := stream.Codec{PT: uint8(pt), Name: parts[0], Clock: uint32(clock)}
	if len(parts) > 2 {
		ch, err := strconv.Atoi(parts[2])
		if err != nil || ch < 1 || ch > 8 {
			return 0, stream.Codec{}, false
		}
		c.Channels = ch
	}
	return uint8(pt), c, true
}

// parseRTCP reads "PORT [IN IP4 ADDR]"; the address defaults to def.
func parseRTCP(v string, def netip.Addr) netip.AddrPort {
	f := strings.Fields(v)
	if len(f) == 0 {
		return netip.AddrPort{}
	}
	port, err := strconv.ParseUint(f[0], 10, 16)
	if err != nil || port == 0 {
		return netip.AddrPort{}
	}
	addr := def
	if len(f) >= 4 {
		if a, err := netip.ParseAddr(f[3]); err == nil {
			addr = a
		}
	}
	if !addr.IsValid() {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(addr, uint16(port))
}

// Marshal writes the session description.
func (s *Session) Marshal() ([]byte, error) {
	m := s.Audio
	origin := s.Origin
	if !origin.IsValid() {
		origin = m.Addr
	}
	if !origin.IsValid() {
		origin = netip.IPv4Unspecified()
	}
	user := s.User
	if user == "" {
		user = "-"
	}
	d := psdp.SessionDescription{
		Origin: psdp.Origin{Username: user, SessionID: s.SessionID, SessionVersion: s.Version,
			NetworkType: "IN", AddressType: addrType(origin), UnicastAddress: origin.String()},
		SessionName:      "agentty",
		TimeDescriptions: []psdp.TimeDescription{{}},
	}
	if m.Addr.IsValid() {
		d.ConnectionInformation = &psdp.ConnectionInformation{NetworkType: "IN", AddressType: addrType(m.Addr),
			Address: &psdp.Address{Address: m.Addr.String()}}
	}
	proto := m.Proto
	if proto == "" {
		proto = ProtoAVP
	}
	md := &psdp.MediaDescription{MediaName: psdp.MediaName{Media: "audio", Port: psdp.RangedPort{Value: int(m.Port)},
		Protos: strings.Split(proto, "/")}}
	for _, c := range m.Codecs {
		md.MediaName.Formats = append(md.MediaName.Formats, strconv.Itoa(int(c.PT)))
	}
	for _, c := range m.Codecs {
		enc := fmt.Sprintf("%d %s/%d", c.PT, c.Name, c.Clock)
		if c.Channels > 1 {
			enc += "/" + strconv.Itoa(c.Channels)
		}
		md.Attributes = append(md.Attributes, psdp.Attribute{Key: "rtpmap", Value: enc})
		if c.Fmtp != "" {
			md.Attributes = append(md.Attributes, psdp.Attribute{Key: "fmtp", Value: fmt.Sprintf("%d %s", c.PT, c.Fmtp)})
		}
	}
	if len(m.Codecs) == 0 {
		md.MediaName.Formats = []string{"0"} // an m= line needs a format, even refused
	}
	if m.RTCP.IsValid() {
		md.Attributes = append(md.Attributes, psdp.Attribute{Key: "rtcp",
			Value: fmt.Sprintf("%d IN %s %s", m.RTCP.Port(), addrType(m.RTCP.Addr()), m.RTCP.Addr())})
	}
	if m.RTCPMux {
		md.Attributes = append(md.Attributes, psdp.Attribute{Key: "rtcp-mux"})
	}
	for _, c := range m.Crypto {
		md.Attributes = append(md.Attributes, psdp.Attribute{Key: "crypto", Value: c.String()})
	}
	if m.PTime > 0 {
		md.Attributes = append(md.Attributes, psdp.Attribute{Key: "ptime", Value: strconv.Itoa(m.PTime)})
	}
	md.Attributes = append(md.Attributes, psdp.Attribute{Key: m.Direction.String()})
	// Other media lines of an offer are refused in place (RFC 3264 6).
	audioAt := max(s.AudioIndex, 0)
	others := s.Others
	for i := range len(s.Others) + 1 {
		if i == audioAt {
			d.MediaDescriptions = append(d.MediaDescriptions, md)
			continue
		}
		d.MediaDescriptions = append(d.MediaDescriptions, &psdp.MediaDescription{MediaName: psdp.MediaName{
			Media: others[0], Port: psdp.RangedPort{Value: 0}, Protos: []string{"RTP", "AVP"}, Formats: []string{"0"}}})
		others = others[1:]
	}
	out, err := d.Marshal()
	if err != nil {
		return nil, fmt.Errorf("sdp: marshal: %w", err)
	}
	return out, nil
}

func addrType(a netip.Addr) string {
	if a.Is6() && !a.Is4In6() {
		return "IP6"
	}
	return "IP4"
}
