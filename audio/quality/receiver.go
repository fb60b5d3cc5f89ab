package quality

import (
	"sync"
	"time"

	"github.com/pion/rtcp"
)

// Receiver keeps what a receiver needs for its reception reports about
// one incoming stream (RFC 3550 6.4.1): the stream's Reception, the counts
// at the previous report and the far end's last sender report. Safe for
// concurrent use (the RTP reader calls Packet, the RTCP reader
// SenderReport, a report timer Report).
type Receiver struct {
	mu    sync.Mutex
	ssrc  uint32
	clock uint32 // RTP clock of the newest media packet, for the jitter's unit
	rec   Reception
	// at the previous report
	expectedPrior, receivedPrior int64
	// the far end's last sender report
	lsr   uint32
	lsrAt time.Time
}

// Packet records one packet of SSRC ssrc with the given RTP clock. A new
// SSRC starts the counts afresh. timed false counts the packet without
// timing it (every packet of an RFC 4733 event carries the event's start).
func (r *Receiver) Packet(ssrc uint32, seq uint16, ts uint32, clock uint32, timed bool, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.rec.Started() || ssrc != r.ssrc {
		r.ssrc, r.rec, r.expectedPrior, r.receivedPrior = ssrc, Reception{}, 0, 0
	}
	if timed {
		r.clock = clock
	}
	r.rec.Packet(seq, ts, float64(clock), now, timed)
}

// Restart makes the next packet start the counts afresh (a stream the far
// end stopped and restarted on purpose, as around a hold).
func (r *Receiver) Restart() {
	r.mu.Lock()
	r.rec, r.expectedPrior, r.receivedPrior = Reception{}, 0, 0
	r.mu.Unlock()
}

// Counts returns the current stream's packets expected (from its
// sequence numbers: highest - first + 1) and received, since it started
// (a new SSRC or a Restart starts them afresh).
func (r *Receiver) Counts() (expected, received int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rec.Expected(), r.rec.Received()
}

// SenderReport records the far end's sender report, received at now.
func (r *Receiver) SenderReport(sr *rtcp.SenderReport, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lsr, r.lsrAt = uint32(sr.NTPTime>>16), now
}

// Report returns a reception report for the interval since the previous
// one; false before the first packet.
func (r *Receiver) Report(now time.Time) (rtcp.ReceptionReport, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.rec.Started() {
		return rtcp.ReceptionReport{}, false
	}
	expected, received := r.rec.Expected(), r.rec.Received()
	lost := max(-0x800000, min(0x7fffff, expected-received))
	expInt := expected - r.expectedPrior
	recvInt := received - r.receivedPrior
	r.expectedPrior, r.receivedPrior = expected, received
	var fraction uint8
	if lostInt := expInt - recvInt; expInt > 0 && lostInt > 0 {
		fraction = uint8(lostInt << 8 / expInt)
	}
	rr := rtcp.ReceptionReport{
		SSRC:               r.ssrc,
		FractionLost:       fraction,
		TotalLost:          uint32(lost) & 0xffffff,
		LastSequenceNumber: uint32(r.rec.MaxSeq()),
		Jitter:             r.rec.JitterUnits(float64(r.clock)),
		LastSenderReport:   r.lsr,
	}
	if !r.lsrAt.IsZero() {
		rr.Delay = uint32(now.Sub(r.lsrAt).Seconds() * 65536)
	}
	return rr, true
}
