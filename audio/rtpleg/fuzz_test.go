package rtpleg

import (
	"net/netip"
	"testing"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// FuzzReceive feeds arbitrary datagrams to the RTP and RTCP receive
// paths of a plain and an SRTP-keyed leg: nothing may panic, and the
// counters stay consistent.
func FuzzReceive(f *testing.F) {
	pkt, _ := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 0, SequenceNumber: 1, SSRC: 9}, Payload: make([]byte, 160)}).Marshal()
	ev, _ := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 101, SequenceNumber: 2, SSRC: 9}, Payload: []byte{1, 0x8a, 0, 160}}).Marshal()
	sr, _ := rtcp.Marshal([]rtcp.Packet{&rtcp.SenderReport{SSRC: 9, NTPTime: 1 << 40}, &rtcp.ReceiverReport{SSRC: 9,
		Reports: []rtcp.ReceptionReport{{SSRC: 7, LastSenderReport: 5, Delay: 3}}}})
	f.Add(pkt)
	f.Add(ev)
	f.Add(sr)
	f.Add([]byte{0x80, 0xc8})
	f.Add([]byte{})
	var legs []*Leg
	for _, keyed := range []bool{false, true} {
		ports, err := Listen(loop)
		if err != nil {
			f.Fatal(err)
		}
		p := both(pcmu)
		p.Remote = netip.AddrPortFrom(loop, 9)
		if keyed {
			p.SRTP = &SRTP{Suite: SuiteAES128SHA80, Local: key(1), Remote: key(2)}
		}
		l, err := Start(ports, p, Config{OnDigit: func(rune) {}})
		if err != nil {
			f.Fatal(err)
		}
		f.Cleanup(func() { l.Close() })
		legs = append(legs, l)
	}
	from := netip.AddrPortFrom(loop, 9)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, l := range legs {
			l.handleRTP(append([]byte(nil), b...), from)
			l.handleRTCP(append([]byte(nil), b...), from)
			s := l.Stats()
			if q := l.Quality(); q.Loss < 0 || q.Loss > 1 || q.Lost < 0 {
				t.Fatalf("quality %+v stats %+v", q, s)
			}
		}
	})
}
