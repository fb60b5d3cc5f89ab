package rtc

import "github.com/pion/rtp"

func rtpHeader(h rtp.Header, pt uint8, seq uint16, ts, ssrc uint32, marker bool) rtp.Header {
	h = rtp.Header{Version: 2, PayloadType: pt, SequenceNumber: seq, Timestamp: ts, SSRC: ssrc, Marker: marker, Extensions: h.Extensions[:0]}
	return h
}
