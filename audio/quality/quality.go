// Package quality measures call quality for one RTP stream: loss and
// interarrival jitter (RFC 3550 A.3, A.8), round-trip time from RTCP
// reception reports (RFC 3550 6.4.1), and a MOS estimate from the ITU-T
// G.107 E-model reduced to its delay and packet-loss terms. A threshold
// check says whether the call is degraded.
package quality

import (
	"math"
	"sync"
	"time"

	"github.com/pion/rtcp"
)

// Stats is a snapshot of one stream's quality.
type Stats struct {
	Expected   int64         // packets expected (extended highest - first + 1)
	Received   int64         // packets received (duplicates included, as RFC 3550)
	Lost       int64         // cumulative, never negative
	Loss       float64       // Lost / Expected, 0..1
	Jitter     time.Duration // RFC 3550 interarrival jitter
	RTT        time.Duration // last RTT from RTCP, 0 until known
	RemoteLoss float64       // loss of our sent stream as the far end reported it, 0..1
	Delay      time.Duration // estimated one-way mouth-to-ear delay used by the E-model
	R          float64       // E-model transmission rating
	MOS        float64       // 1..4.5
}

// Monitor accumulates statistics for one received stream and the RTCP that
// comes back about our sent stream. Safe for concurrent use: the RTP reader
// calls OnRTP, the RTCP reader calls OnRTCP, the UI calls Snapshot.
type Monitor struct {
	mu        sync.Mutex
	codec     string
	clockRate float64

	rec     Reception
	playout time.Duration
	last    time.Time // arrival of the newest packet
	// counts of the segments before the last Rebase
	priorExpected, priorReceived int64

	rtt        time.Duration
	remoteLoss float64
}

// NewMonitor returns a Monitor for a stream of codec (SDP name) with the
// given RTP clock rate.
func NewMonitor(codec string, clockRate int) *Monitor {
	return &Monitor{codec: codec, clockRate: float64(clockRate)}
}

// OnRTP records one received media packet.
func (m *Monitor) OnRTP(seq uint16, ts uint32, arrival time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rec.Packet(seq, ts, m.clockRate, arrival, true)
	if arrival.After(m.last) {
		m.last = arrival
	}
}

// LastArrival returns when the newest packet arrived, zero before any.
func (m *Monitor) LastArrival() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.last
}

// Rebase makes the next packet start a new segment of the stream (a new
// SSRC, a stream the far end stopped on purpose and restarted, as around a
// hold): the counts so far are kept, the sequence numbers of the new
// segment are counted from its first packet, so the jump between the two
// is not loss. The jitter estimate carries over.
func (m *Monitor) Rebase() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.priorExpected += m.rec.Expected()
	m.priorReceived += m.rec.Received()
	m.rec = Reception{jitter: m.rec.jitter}
}

// SetCodec sets the codec (SDP name) and RTP clock once they are
// negotiated; statistics so far are kept.
func (m *Monitor) SetCodec(codec string, clockRate int) {
	m.mu.Lock()
	m.codec, m.clockRate = codec, float64(clockRate)
	m.mu.Unlock()
}

// SetPlayoutDelay tells the E-model the receiver's current jitter-buffer
// delay.
func (m *Monitor) SetPlayoutDelay(d time.Duration) {
	m.mu.Lock()
	m.playout = d
	m.mu.Unlock()
}

// OnRTCP handles RTCP read from the RTPSender (reports about our stream):
// RTT from the reception blocks of receiver and sender reports, and the
// far end's loss figure.
func (m *Monitor) OnRTCP(pkts []rtcp.Packet, now time.Time) {
	for _, p := range pkts {
		var reports []rtcp.ReceptionReport
		switch p := p.(type) {
		case *rtcp.ReceiverReport:
			reports = p.Reports
		case *rtcp.SenderReport:
			reports = p.Reports
		}
		for _, r := range reports {
			m.mu.Lock()
			if rtt, ok := RTT(r, now); ok {
				m.rtt = rtt
			}
			m.remoteLoss = float64(r.FractionLost) / 256
			m.mu.Unlock()
		}
	}
}

// Snapshot returns the current statistics with the E-model applied.
func (m *Monitor) Snapshot() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := Stats{Received: m.priorReceived + m.rec.Received(), Expected: m.priorExpected + m.rec.Expected(), RTT: m.rtt, RemoteLoss: m.remoteLoss}
	s.Lost = max(0, s.Expected-s.Received)
	if s.Expected > 0 {
		s.Loss = float64(s.Lost) / float64(s.Expected)
	}
	s.Jitter = m.rec.Jitter()
	// Mouth to ear: half the RTT, one frame of packetisation, the playout
	// buffer (or twice the jitter when unknown).
	buf := m.playout
	if buf == 0 {
		buf = 2 * s.Jitter
	}
	s.Delay = s.RTT/2 + 20*time.Millisecond + buf
	s.R, s.MOS = EModel(m.codec, s.Delay, math.Max(s.Loss, s.RemoteLoss)*100)
	return s
}

// RTT computes the round-trip time from one reception report received at
// now: now - LSR - DLSR in NTP short format (RFC 3550 6.4.1). ok is false
// until the far end has seen a sender report (LSR 0).
//
// A far end that keeps time in milliseconds (baresip's libre does) can
// state a DLSR up to a couple of milliseconds long: on a path faster than
// that (loopback, a LAN) the difference comes out zero or a little under.
// That is a round trip below what the far end can measure, reported as
// MinRTT, not as unknown; a difference further under is nonsense and
// ignored.
func RTT(r rtcp.ReceptionReport, now time.Time) (time.Duration, bool) {
	if r.LastSenderReport == 0 {
		return 0, false
	}
	mid := uint32(NTPTime(now) >> 16)
	d := int32(mid - r.LastSenderReport - r.Delay)
	if d < -dlsrSlack {
		return 0, false
	}
	d = max(d, 1) // below what the far end resolves: MinRTT
	return time.Duration(float64(d) / 65536 * float64(time.Second)), true
}

// MinRTT is the round trip reported when it is below what the far end's
// clock resolves: one unit of the NTP short format.
const MinRTT = time.Second / 65536 // 15.258 µs, as RTT converts one unit

// dlsrSlack is how far a far end's DLSR may overstate its hold, in NTP
// short units: 3 ms, the millisecond clocks' truncation at both ends of
// its hold and a margin.
const dlsrSlack = 3 * 65536 / 1000

// NTPTime converts t to the 64-bit NTP timestamp format.
func NTPTime(t time.Time) uint64 {
	const ntpEpochOffset = 2208988800
	secs := uint64(t.Unix() + ntpEpochOffset)
	frac := uint64(t.Nanosecond()) << 32 / 1e9
	return secs<<32 | frac
}
