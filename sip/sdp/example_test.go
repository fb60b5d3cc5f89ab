package sdp_test

import (
	"net/netip"

	"github.com/agentty/agentty/audio/rtpleg"
	"github.com/agentty/agentty/sip/sdp"
)

// The flow of an outgoing SIP call's media: reserve the ports, offer,
// read the answer, start the leg; hold and retrieve by re-offers with the
// same key; hang up by closing the leg.
func Example() {
	ports, err := rtpleg.Listen(netip.MustParseAddr("127.0.0.1"))
	if err != nil {
		return
	}
	local := sdp.Local{Addr: ports.RTP().Addr(), RTPPort: ports.RTP().Port(), RTCPPort: ports.RTCP().Port(),
		Codecs: []string{"pcmu", "pcma"}, SRTP: sdp.SRTPOptional, User: "agentty", SessionID: 42, Version: 1}
	offer, err := sdp.Offer(local)
	if err != nil {
		ports.Close()
		return
	}
	body, _ := offer.Marshal() // the INVITE's body
	_ = body
	var answerBody []byte // the 200 OK's body
	answer, err := sdp.Parse(answerBody)
	if err != nil {
		ports.Close() // 400 / end the call
		return
	}
	params, err := sdp.Negotiate(offer, answer)
	if err != nil {
		ports.Close() // no common codec: BYE
		return
	}
	leg, err := rtpleg.Start(ports, params, rtpleg.Config{OnDigit: func(d rune) { /* call.dtmf */ }})
	if err != nil {
		return
	}
	defer leg.Close()

	// Hold: a re-INVITE with sendonly and the same key.
	if len(offer.Audio.Crypto) > 0 {
		local.Key = offer.Audio.Crypto[0].Key
	}
	local.Direction, local.Version = sdp.SendOnly, 2
	hold, _ := sdp.Offer(local)
	var holdAnswer *sdp.Session // parsed from the re-INVITE's 200 OK
	if holdAnswer == nil {
		return
	}
	if p, err := sdp.Negotiate(hold, holdAnswer); err == nil {
		p.Sending = false // not heard while holding
		leg.Update(p)
	}
}
