// Package rtc carries audio over pion WebRTC peer connections: a media
// engine with our codecs, an outbound track that reads frames from a
// device, encodes them with the negotiated codec and sends RTP (and RFC 4733
// DTMF on request), and an inbound player that reads a remote track through
// the jitter buffer into a device, yielding DTMF digits and call quality.
//
// pion's callbacks (OnTrack and friends) run on pion's goroutines: hand the
// track to NewInbound and return.
package rtc

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
)

// Payload types we offer. Opus and telephone-event are dynamic; the
// numbers are the common ones (browsers use 111 for Opus).
const (
	PTOpus          = 111
	PTPCMU          = 0
	PTPCMA          = 8
	PTTelEvent48000 = 110
	PTTelEvent8000  = 101
)

// MimeTelephoneEvent is the RFC 4733 MIME type.
const MimeTelephoneEvent = "audio/telephone-event"

// ErrNoCodec is returned when negotiation left no codec we can encode.
var ErrNoCodec = errors.New("rtc: no common audio codec")

// DefaultCodecs is the preference order: Opus first (when built in), then
// PCMU and PCMA.
func DefaultCodecs() []string {
	if audio.OpusAvailable {
		return []string{audio.NameOpus, audio.NamePCMU, audio.NamePCMA}
	}
	return []string{audio.NamePCMU, audio.NamePCMA}
}

// NewMediaEngine registers the given audio codecs (SDP names, in order of
// preference; nil means DefaultCodecs) and telephone-event at each clock
// rate used (CodecParameters).
func NewMediaEngine(codecs []string) (*webrtc.MediaEngine, error) {
	ps, err := CodecParameters(codecs)
	if err != nil {
		return nil, err
	}
	m := &webrtc.MediaEngine{}
	for _, c := range ps {
		if err := m.RegisterCodec(c, webrtc.RTPCodecTypeAudio); err != nil {
			return nil, fmt.Errorf("rtc: register %s: %w", CodecName(c.MimeType), err)
		}
	}
	return m, nil
}

// CodecParameters returns what NewMediaEngine registers for codecs (SDP
// names, in order of preference; nil means DefaultCodecs): each codec with
// its payload type and clock, then telephone-event at each clock rate
// used.
func CodecParameters(codecs []string) ([]webrtc.RTPCodecParameters, error) {
	if codecs == nil {
		codecs = DefaultCodecs()
	}
	var ps []webrtc.RTPCodecParameters
	rates := map[uint32]bool{}
	for _, name := range codecs {
		var c webrtc.RTPCodecParameters
		switch strings.ToLower(name) {
		case "opus":
			if !audio.OpusAvailable {
				return nil, fmt.Errorf("rtc: media engine: %w", audio.ErrOpusUnavailable)
			}
			c = webrtc.RTPCodecParameters{PayloadType: PTOpus, RTPCodecCapability: webrtc.RTPCodecCapability{
				MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"}}
		case "pcmu":
			c = webrtc.RTPCodecParameters{PayloadType: PTPCMU, RTPCodecCapability: webrtc.RTPCodecCapability{
				MimeType: webrtc.MimeTypePCMU, ClockRate: 8000, Channels: 1}}
		case "pcma":
			c = webrtc.RTPCodecParameters{PayloadType: PTPCMA, RTPCodecCapability: webrtc.RTPCodecCapability{
				MimeType: webrtc.MimeTypePCMA, ClockRate: 8000, Channels: 1}}
		default:
			return nil, fmt.Errorf("rtc: media engine: %w: %q", audio.ErrUnknownCodec, name)
		}
		ps = append(ps, c)
		rates[c.ClockRate] = true
	}
	for _, te := range []webrtc.RTPCodecParameters{
		{PayloadType: PTTelEvent48000, RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: MimeTelephoneEvent, ClockRate: 48000, Channels: 1, SDPFmtpLine: "0-16"}},
		{PayloadType: PTTelEvent8000, RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: MimeTelephoneEvent, ClockRate: 8000, Channels: 1, SDPFmtpLine: "0-16"}},
	} {
		if rates[te.ClockRate] {
			ps = append(ps, te)
		}
	}
	return ps, nil
}

// APIConfig shapes NewAPI.
type APIConfig struct {
	// Codecs in order of preference; nil means DefaultCodecs.
	Codecs []string
	// LoopbackOnly restricts ICE to UDP4 host candidates on 127.0.0.1 with
	// mDNS off: for tests and the embedded centre's same-host legs.
	LoopbackOnly bool
	// SettingEngine, when set, is the starting point (LoopbackOnly edits a
	// copy).
	SettingEngine *webrtc.SettingEngine
	// Interceptors, when set, registers the interceptors instead of
	// pion's defaults (NACK, RTCP sender and receiver reports, TWCC,
	// stats): for relays and load generators, where every packet's cost
	// counts. ReportInterceptors is the usual choice.
	Interceptors func(*webrtc.MediaEngine, *interceptor.Registry) error
}

// ReportInterceptors registers only pion's RTCP sender and receiver
// report interceptors, which is all the quality figures need (RTT and the
// far end's loss come from the reports; loss and jitter from the RTP
// itself): no NACK (pion negotiates it for video only), no transport-wide
// congestion control feedback, no GetStats recorder.
func ReportInterceptors(_ *webrtc.MediaEngine, ir *interceptor.Registry) error {
	return webrtc.ConfigureRTCPReports(ir)
}

// NewAPI returns a pion API with our media engine, pion's default
// interceptors (NACK, RTCP sender/receiver reports, TWCC, stats) unless
// cfg.Interceptors says otherwise, and the setting engine. Use
// api.NewPeerConnection. DTLS-SRTP is always on in pion.
func NewAPI(cfg APIConfig) (*webrtc.API, error) {
	m, err := NewMediaEngine(cfg.Codecs)
	if err != nil {
		return nil, err
	}
	ir := &interceptor.Registry{}
	register := webrtc.RegisterDefaultInterceptors
	if cfg.Interceptors != nil {
		register = cfg.Interceptors
	}
	if err := register(m, ir); err != nil {
		return nil, fmt.Errorf("rtc: interceptors: %w", err)
	}
	var se webrtc.SettingEngine
	if cfg.SettingEngine != nil {
		se = *cfg.SettingEngine
	}
	if cfg.LoopbackOnly {
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
		se.SetIncludeLoopbackCandidate(true)
		se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
		se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se)), nil
}

// CodecName returns the codec name of a MIME type ("audio/PCMU": "PCMU");
// a string without a type is returned as it is.
func CodecName(mime string) string {
	if _, name, ok := strings.Cut(mime, "/"); ok {
		return name
	}
	return mime
}

func isTelEvent(mime string) bool { return strings.EqualFold(mime, MimeTelephoneEvent) }
