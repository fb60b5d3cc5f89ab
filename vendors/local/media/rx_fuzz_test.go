package media

import (
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// FuzzRxStats drives the centre's receive accounting with what arrives on
// a leg: 16-byte chunks read as RTP headers (payload type 101 is a
// telephone-event) or, when they do not parse, as RTCP. The receiver
// reports it writes stay within RFC 3550's field ranges.
func FuzzRxStats(f *testing.F) {
	h := rtp.Header{Version: 2, PayloadType: 0, SequenceNumber: 0xffff, Timestamp: 0xffffff00, SSRC: 7}
	b, _ := h.Marshal()
	f.Add(append(append(b, 0, 0, 0, 0), b...))
	sr := &rtcp.SenderReport{SSRC: 7, NTPTime: 0xffffffffffffffff}
	b, _ = sr.Marshal()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var s rxStats
		now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
		for n := 0; len(data) > 0; n++ {
			chunk := data[:min(16, len(data))]
			data = data[len(chunk):]
			now = now.Add(20 * time.Millisecond)
			var h rtp.Header
			if _, err := h.Unmarshal(chunk); err == nil {
				s.see(&h, ptCodec{name: "PCMU", clock: 8000, tel: h.PayloadType == 101}, now)
			} else if pkts, err := rtcp.Unmarshal(chunk); err == nil {
				for _, p := range pkts {
					if sr, ok := p.(*rtcp.SenderReport); ok {
						s.senderReport(sr, now)
					}
				}
			}
			if n%3 == 2 {
				rr, ok := s.report(now)
				if ok && (rr.TotalLost > 0xffffff || rr.Jitter > 1<<31) {
					t.Fatalf("report out of range: %+v", rr)
				}
			}
		}
	})
}
