package media

import (
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// TestReceiverReport feeds a leg's receiver statistics a stream with
// gaps, a sequence number wrap and a sender report, and checks the
// reception reports (RFC 3550 6.4.1, A.3).
func TestReceiverReport(t *testing.T) {
	pcmu := ptCodec{name: "PCMU", clock: 8000}
	t0 := time.Unix(1_700_000_000, 0)
	var s rxStats
	if _, ok := s.report(t0); ok {
		t.Fatal("report before any packet")
	}
	// 100 packets from 65500, wrapping at 65536; 65510-65514 and 3 lost.
	seq, ts, at := uint16(65500), uint32(1000), t0
	lost := map[uint16]bool{65510: true, 65511: true, 65512: true, 65513: true, 65514: true, 3: true}
	for range 100 {
		if !lost[seq] {
			s.see(&rtp.Header{SSRC: 7, SequenceNumber: seq, Timestamp: ts}, pcmu, at)
		}
		seq++
		ts += 160
		at = at.Add(20 * time.Millisecond)
	}
	s.senderReport(&rtcp.SenderReport{SSRC: 7, NTPTime: 0x1122334455667788}, at)
	r, ok := s.report(at.Add(500 * time.Millisecond))
	if !ok {
		t.Fatal("no report")
	}
	want := rtcp.ReceptionReport{SSRC: 7, FractionLost: 6 * 256 / 100, TotalLost: 6,
		LastSequenceNumber: 1<<16 | 63, LastSenderReport: 0x33445566, Delay: 65536 / 2}
	if r != want {
		t.Errorf("first report\n got %+v\nwant %+v", r, want)
	}
	// The next interval: 50 packets, none lost, one reordered.
	for i := range 50 {
		q := seq + uint16(i)
		if i == 10 {
			q++
		} else if i == 11 {
			q--
		}
		s.see(&rtp.Header{SSRC: 7, SequenceNumber: q, Timestamp: ts + uint32(i)*160}, pcmu, at.Add(time.Duration(i)*20*time.Millisecond))
	}
	r, _ = s.report(at.Add(time.Second))
	if r.FractionLost != 0 || r.TotalLost != 6 || r.LastSequenceNumber != 1<<16|113 {
		t.Errorf("second report %+v, want no new loss, 6 in all, up to 1<<16|113", r)
	}
	if r.Jitter > 2 {
		t.Errorf("jitter %d timestamp units for a perfectly paced stream", r.Jitter)
	}
}

// TestReceiverReportJitter: packets arriving 10 ms early and late in
// turn give a jitter near 80 timestamp units at 8 kHz (RFC 3550 A.8).
func TestReceiverReportJitter(t *testing.T) {
	pcmu := ptCodec{name: "PCMU", clock: 8000}
	t0 := time.Unix(1_700_000_000, 0)
	var s rxStats
	for i := range 500 {
		d := time.Duration(i) * 20 * time.Millisecond
		if i%2 == 1 {
			d += 10 * time.Millisecond
		}
		s.see(&rtp.Header{SSRC: 1, SequenceNumber: uint16(i), Timestamp: uint32(i) * 160}, pcmu, t0.Add(d))
	}
	r, _ := s.report(t0.Add(10 * time.Second))
	if r.Jitter < 75 || r.Jitter > 85 {
		t.Errorf("jitter %d, want about 80", r.Jitter)
	}
}
