package rtc

import (
	"fmt"
	"strings"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
)

// CodecsFor turns a "codec" setting into the codecs to offer or accept:
// the named codec alone, or every codec (Opus first) when empty.
func CodecsFor(opt string) ([]string, error) {
	switch strings.ToLower(opt) {
	case "":
		return DefaultCodecs(), nil
	case "opus":
		if !audio.OpusAvailable {
			return nil, fmt.Errorf("codec opus: %w", audio.ErrOpusUnavailable)
		}
		return []string{audio.NameOpus}, nil
	case "pcmu", "g711", "ulaw":
		return []string{audio.NamePCMU}, nil
	case "pcma", "alaw":
		return []string{audio.NamePCMA}, nil
	}
	return nil, fmt.Errorf("codec %q: want opus or pcmu", opt)
}

// HostOnly returns a setting engine for host candidates only: no mDNS, and
// UDP on loopback when loopback is set (NewAPI's LoopbackOnly adds the
// filter), else on the host's own addresses.
func HostOnly(loopback bool) *webrtc.SettingEngine {
	se := &webrtc.SettingEngine{}
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6})
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetIncludeLoopbackCandidate(loopback)
	return se
}
