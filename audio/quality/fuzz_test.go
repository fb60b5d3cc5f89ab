package quality

import (
	"encoding/binary"
	"math"
	"testing"
	"time"

	"github.com/pion/rtcp"
)

var fuzzT0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

// FuzzReception feeds a received stream as 8-byte packets (sequence,
// timestamp, arrival step in ms): the RFC 3550 A.3 counts and the A.8
// jitter stay sane whatever the order, wraps and jumps. A second pass
// numbers the same packets in order and demands no loss.
func FuzzReception(f *testing.F) {
	f.Add([]byte{0xff, 0xfe, 0, 0, 0, 0, 0, 20, 0xff, 0xff, 0, 0, 0, 160, 0, 20, 0, 0, 0, 0, 1, 64, 0, 20})
	f.Add([]byte{0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 1, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var r, inOrder Reception
		at := fuzzT0
		n := int64(0)
		for ; len(data) >= 8; data = data[8:] {
			seq := binary.BigEndian.Uint16(data)
			ts := binary.BigEndian.Uint32(data[2:])
			at = at.Add(time.Duration(binary.BigEndian.Uint16(data[6:])) * time.Millisecond)
			r.Packet(seq, ts, 8000, at, data[0]&1 == 0)
			inOrder.Packet(uint16(n)+0xfff0, ts, 48000, at, true)
			n++
		}
		if n == 0 {
			return
		}
		if r.Received() != n || !r.Started() || r.Expected() < 1 || r.MaxSeq() < 0 {
			t.Fatalf("received %d of %d, expected %d, max %d", r.Received(), n, r.Expected(), r.MaxSeq())
		}
		if j := r.Jitter(); j < 0 || math.IsNaN(r.jitter) || math.IsInf(r.jitter, 0) {
			t.Fatalf("jitter %v", j)
		}
		if inOrder.Expected() != n || inOrder.Received() != n {
			t.Fatalf("in order across a wrap: expected %d received %d of %d", inOrder.Expected(), inOrder.Received(), n)
		}
		m := NewMonitor("PCMU", 8000)
		m.rec = r
		s := m.Snapshot()
		if s.Lost < 0 || s.Loss < 0 || s.Loss > 1 || math.IsNaN(s.MOS) || s.MOS < 1 || s.MOS > 4.5 {
			t.Fatalf("snapshot %+v", s)
		}
	})
}

// FuzzMonitorRTCP: whatever RTCP comes back about our stream, the monitor
// takes it without panicking and its figures stay in range.
func FuzzMonitorRTCP(f *testing.F) {
	rr := &rtcp.ReceiverReport{SSRC: 1, Reports: []rtcp.ReceptionReport{{SSRC: 2, FractionLost: 255, TotalLost: 0xffffff,
		LastSenderReport: 0xffffffff, Delay: 0xffffffff, Jitter: 0xffffffff}}}
	b, _ := rr.Marshal()
	f.Add(b)
	sr := &rtcp.SenderReport{SSRC: 2, NTPTime: NTPTime(fuzzT0), Reports: rr.Reports}
	b, _ = sr.Marshal()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		pkts, err := rtcp.Unmarshal(data)
		if err != nil {
			return
		}
		m := NewMonitor("opus", 48000)
		m.OnRTP(1, 960, fuzzT0)
		m.OnRTCP(pkts, fuzzT0.Add(time.Second))
		s := m.Snapshot()
		if s.RTT < 0 || s.RemoteLoss < 0 || s.RemoteLoss > 1 || math.IsNaN(s.MOS) || s.MOS < 1 || s.MOS > 4.5 {
			t.Fatalf("after %d RTCP packets: %+v", len(pkts), s)
		}
	})
}
