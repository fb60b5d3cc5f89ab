package sdp

import (
	"crypto/rand"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/rtpleg"
	"github.com/agentty/agentty/audio/stream"
)

// Payload types we offer: the static G.711 ones, and the usual dynamic
// numbers for Opus and telephone-event (as audio/rtc).
const (
	PTPCMU          = 0
	PTPCMA          = 8
	PTOpus          = 111
	PTTelEvent8000  = 101
	PTTelEvent48000 = 110
)

// Local is our side of a negotiation.
type Local struct {
	// Addr is the connection address to announce (the RTP socket's, or
	// the host's address the far end can reach); RTPPort and RTCPPort
	// come from rtpleg.Ports.
	Addr              netip.Addr
	RTPPort, RTCPPort uint16
	// Codecs is the order from the settings: "opus", "pcmu", "pcma" (nil:
	// opus when built in, then pcmu, pcma). Unknown names are an error.
	Codecs []string
	// SRTP is the srtp setting (zero: off).
	SRTP SRTPMode
	// Direction is what we want: SendRecv, or SendOnly to hold (zero:
	// SendRecv). The Params returned follow the SDP: a hold by sendonly
	// still has Sending set, so a phone that must not be heard on hold
	// clears it (or mutes, or plays music) itself.
	Direction Direction
	// User, SessionID and Version fill o=; bump Version on every new
	// offer or answer in a dialog.
	User               string
	SessionID, Version uint64
	// Key is our SDES master key and salt to reuse in a re-offer (nil:
	// a fresh key from Rand). Keep the one of the first offer for the
	// dialog, so a hold does not re-key.
	Key []byte
	// Rand is the key source (nil: crypto/rand).
	Rand io.Reader
}

// DefaultCodecs is the codec order when the settings name none.
func DefaultCodecs() []string {
	if audio.OpusAvailable {
		return []string{"opus", "pcmu", "pcma"}
	}
	return []string{"pcmu", "pcma"}
}

// ourCodecs turns the settings' names into payload formats, then
// telephone-event at each clock used.
func ourCodecs(names []string) ([]stream.Codec, error) {
	if names == nil {
		names = DefaultCodecs()
	}
	var cs []stream.Codec
	clocks := map[uint32]bool{}
	for _, n := range names {
		var c stream.Codec
		switch strings.ToLower(strings.TrimSpace(n)) {
		case "opus":
			if !audio.OpusAvailable {
				return nil, fmt.Errorf("sdp: codec opus: %w", audio.ErrOpusUnavailable)
			}
			c = stream.Codec{PT: PTOpus, Name: "opus", Clock: 48000, Channels: 2, Fmtp: "minptime=10;useinbandfec=1"}
		case "pcmu", "g711u", "ulaw":
			c = stream.Codec{PT: PTPCMU, Name: "PCMU", Clock: 8000}
		case "pcma", "g711a", "alaw":
			c = stream.Codec{PT: PTPCMA, Name: "PCMA", Clock: 8000}
		default:
			return nil, fmt.Errorf("sdp: codec %q: want opus, pcmu or pcma", n)
		}
		cs = append(cs, c)
		clocks[c.Clock] = true
	}
	if clocks[8000] {
		cs = append(cs, stream.Codec{PT: PTTelEvent8000, Name: stream.TelephoneEvent, Clock: 8000, Fmtp: "0-16"})
	}
	if clocks[48000] {
		cs = append(cs, stream.Codec{PT: PTTelEvent48000, Name: stream.TelephoneEvent, Clock: 48000, Fmtp: "0-16"})
	}
	return cs, nil
}

func (l Local) media(codecs []stream.Codec, proto string, dir Direction) Media {
	m := Media{Addr: l.Addr, Port: l.RTPPort, Proto: proto, Codecs: codecs, Direction: dir.Norm(), PTime: int(audio.FrameDuration.Milliseconds())}
	if l.RTCPPort != 0 && l.RTCPPort != l.RTPPort+1 {
		m.RTCP = netip.AddrPortFrom(l.Addr, l.RTCPPort)
	}
	return m
}

func (l Local) key(suite string) ([]byte, error) {
	n, err := rtpleg.KeyLen(suite)
	if err != nil {
		return nil, err
	}
	if len(l.Key) == n {
		return l.Key, nil
	}
	r := l.Rand
	if r == nil {
		r = rand.Reader
	}
	k := make([]byte, n)
	if _, err := io.ReadFull(r, k); err != nil {
		return nil, fmt.Errorf("sdp: srtp key: %w", err)
	}
	return k, nil
}

// Offer builds our offer: the codecs in the settings' order with
// telephone-event, the direction, and with SRTP optional or mandatory one
// a=crypto line (AES_CM_128_HMAC_SHA1_80) on RTP/AVP or RTP/SAVP.
func Offer(l Local) (*Session, error) {
	cs, err := ourCodecs(l.Codecs)
	if err != nil {
		return nil, err
	}
	proto := ProtoAVP
	if l.SRTP == SRTPMandatory {
		proto = ProtoSAVP
	}
	m := l.media(cs, proto, l.Direction)
	if l.SRTP == SRTPOptional || l.SRTP == SRTPMandatory {
		k, err := l.key(rtpleg.SuiteAES128SHA80)
		if err != nil {
			return nil, err
		}
		m.Crypto = []Crypto{{Tag: 1, Suite: rtpleg.SuiteAES128SHA80, Key: k}}
	}
	return &Session{User: l.User, SessionID: l.SessionID, Version: l.Version, Origin: l.Addr, Audio: m}, nil
}

// Answer answers a far end's offer: the offered codecs we have, in our
// settings' order and with the offer's payload numbers, telephone-event
// if offered at the chosen codec's clock, the direction (Answering), and
// our key for the first usable a=crypto when SRTP is not off. It returns
// the answer and the leg's Params. A refused stream (port 0 offered) or
// no common codec is ErrNotAcceptable.
func Answer(offer *Session, l Local) (*Session, rtpleg.Params, error) {
	om := offer.Audio
	if om.Port == 0 {
		return nil, rtpleg.Params{}, fmt.Errorf("%w: audio stream refused (port 0)", ErrNotAcceptable)
	}
	switch strings.ToUpper(om.Proto) {
	case ProtoAVP, ProtoSAVP, "RTP/AVPF", "RTP/SAVPF":
	default:
		return nil, rtpleg.Params{}, fmt.Errorf("%w: transport %q", ErrNotAcceptable, om.Proto)
	}
	ours, err := ourCodecs(l.Codecs)
	if err != nil {
		return nil, rtpleg.Params{}, err
	}
	var chosen []stream.Codec
	for _, want := range ours {
		if want.IsTelephoneEvent() {
			continue
		}
		if c, ok := find(om.Codecs, want); ok {
			chosen = append(chosen, c)
		}
	}
	if len(chosen) == 0 {
		return nil, rtpleg.Params{}, fmt.Errorf("%w: offered %s", ErrNotAcceptable, names(om.Codecs))
	}
	if tel, ok := telAt(om.Codecs, chosen[0].Clock); ok {
		chosen = append(chosen, tel)
	}
	savp := strings.HasPrefix(strings.ToUpper(om.Proto), "RTP/SAVP")
	var crypto *Crypto
	for i := range om.Crypto {
		if om.Crypto[i].usable() {
			crypto = &om.Crypto[i]
			break
		}
	}
	switch {
	case l.SRTP == SRTPOff || l.SRTP == "":
		if savp {
			return nil, rtpleg.Params{}, fmt.Errorf("%w: the far end offers RTP/SAVP and srtp is off", ErrSRTPRequired)
		}
		crypto = nil
	case crypto == nil && (savp || l.SRTP == SRTPMandatory):
		return nil, rtpleg.Params{}, fmt.Errorf("%w: no usable a=crypto offered", ErrSRTPRequired)
	}
	dir := Answering(om.Direction, l.Direction)
	m := l.media(chosen, om.Proto, dir)
	p := rtpleg.Params{Remote: om.RemoteRTP(), RemoteRTCP: om.RemoteRTCP(), Send: chosen[0], Recv: chosen,
		Sending: dir.Sends(), Receiving: dir.Receives()}
	if tel, ok := telAt(chosen, chosen[0].Clock); ok {
		p.Tel = tel
	}
	if om.RTCPMux {
		m.RTCPMux = true
		m.RTCP = netip.AddrPort{}
	}
	if crypto != nil {
		k, err := l.key(crypto.Suite)
		if err != nil {
			return nil, rtpleg.Params{}, err
		}
		m.Crypto = []Crypto{{Tag: crypto.Tag, Suite: crypto.Suite, Key: k}}
		p.SRTP = &rtpleg.SRTP{Suite: crypto.Suite, Local: k, Remote: crypto.Key}
	}
	ans := &Session{User: l.User, SessionID: l.SessionID, Version: l.Version, Origin: l.Addr, Audio: m,
		Others: offer.Others, AudioIndex: offer.AudioIndex}
	return ans, p, nil
}

// Negotiate reads the far end's answer to our offer and returns the leg's
// Params: we send the answer's first codec that we offered, with the
// answer's payload numbers.
func Negotiate(offer, answer *Session) (rtpleg.Params, error) {
	am, om := answer.Audio, offer.Audio
	if am.Port == 0 {
		return rtpleg.Params{}, fmt.Errorf("%w: audio stream refused (port 0)", ErrNotAcceptable)
	}
	var send stream.Codec
	var recv []stream.Codec
	for _, c := range am.Codecs {
		if c.IsTelephoneEvent() {
			continue
		}
		if _, ok := find(om.Codecs, c); ok {
			if send.IsZero() {
				send = c
			}
			recv = append(recv, c)
		}
	}
	if send.IsZero() {
		return rtpleg.Params{}, fmt.Errorf("%w: answered %s", ErrNotAcceptable, names(am.Codecs))
	}
	// We receive what we offered: the far end sends with our numbers.
	recv = recv[:0]
	for _, c := range om.Codecs {
		if _, ok := find(am.Codecs, c); ok || c.IsTelephoneEvent() {
			recv = append(recv, c)
		}
	}
	dir := am.Direction.Reverse()
	// What we asked for limits what the answer grants.
	dir = Make(dir.Sends() && om.Direction.Sends(), dir.Receives() && om.Direction.Receives())
	p := rtpleg.Params{Remote: am.RemoteRTP(), RemoteRTCP: am.RemoteRTCP(), Send: send, Recv: recv,
		Sending: dir.Sends(), Receiving: dir.Receives()}
	if tel, ok := telAt(am.Codecs, send.Clock); ok {
		p.Tel = tel
	}
	if len(om.Crypto) > 0 {
		var got *Crypto
		for i := range am.Crypto {
			for _, mine := range om.Crypto {
				if am.Crypto[i].Tag == mine.Tag && strings.EqualFold(am.Crypto[i].Suite, mine.Suite) && am.Crypto[i].usable() {
					p.SRTP = &rtpleg.SRTP{Suite: mine.Suite, Local: mine.Key, Remote: am.Crypto[i].Key}
					got = &am.Crypto[i]
				}
			}
		}
		if got == nil && strings.EqualFold(om.Proto, ProtoSAVP) {
			return rtpleg.Params{}, fmt.Errorf("%w: the answer has no usable a=crypto", ErrSRTPRequired)
		}
	}
	return p, nil
}

// find returns the codec of list with want's name, clock and channels.
func find(list []stream.Codec, want stream.Codec) (stream.Codec, bool) {
	for _, c := range list {
		if strings.EqualFold(c.Name, want.Name) && c.Clock == want.Clock && max(c.Channels, 1) == max(want.Channels, 1) {
			return c, true
		}
	}
	return stream.Codec{}, false
}

// telAt returns list's telephone-event at clock.
func telAt(list []stream.Codec, clock uint32) (stream.Codec, bool) {
	for _, c := range list {
		if c.IsTelephoneEvent() && c.Clock == clock {
			return c, true
		}
	}
	return stream.Codec{}, false
}

func names(list []stream.Codec) string {
	var ns []string
	for _, c := range list {
		ns = append(ns, c.Name)
	}
	if len(ns) == 0 {
		return "nothing"
	}
	return strings.Join(ns, ", ")
}
