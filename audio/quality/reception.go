package quality

import (
	"math"
	"time"
)

// Reception counts one received RTP stream as RFC 3550 A.3 and A.8 do:
// the first and the extended highest sequence number, the packets
// received (duplicates included) and the interarrival jitter. Its owner
// serialises the calls. The zero value is ready: the first packet starts
// the count.
type Reception struct {
	started  bool
	baseSeq  int64 // first sequence number
	maxSeq   int64 // extended highest sequence number
	received int64

	timed   bool // base and transit are set
	base    time.Time
	baseTS  uint32
	transit float64 // seconds, relative to the first timed packet
	jitter  float64 // seconds
}

// Packet records one packet of the stream, which arrived at arrival. With
// timed false the packet is counted but leaves the jitter alone (the
// packets of an RFC 4733 event all carry the event's start time).
func (r *Reception) Packet(seq uint16, ts uint32, clockRate float64, arrival time.Time, timed bool) {
	ext := int64(seq)
	if r.started {
		ext = r.maxSeq + int64(int16(seq-uint16(r.maxSeq)))
	} else {
		r.started, r.baseSeq, r.maxSeq = true, ext, ext
	}
	r.maxSeq = max(r.maxSeq, ext)
	r.received++
	if !timed {
		return
	}
	// J += (|D| - J) / 16, in seconds, over arrival - ts.
	if !r.timed {
		r.base, r.baseTS = arrival, ts
	}
	transit := arrival.Sub(r.base).Seconds() - float64(int32(ts-r.baseTS))/clockRate
	if r.timed {
		d := math.Abs(transit - r.transit)
		// Ignore timestamp wraps and jumps (a new talk spurt after a hold).
		if d < 10 {
			r.jitter += (d - r.jitter) / 16
		}
	}
	r.transit, r.timed = transit, true
}

// Started reports whether a packet was recorded.
func (r *Reception) Started() bool { return r.started }

// Received returns the packets received.
func (r *Reception) Received() int64 { return r.received }

// MaxSeq returns the extended highest sequence number (the first
// packet's number, plus 65,536 per wrap since).
func (r *Reception) MaxSeq() int64 { return r.maxSeq }

// Expected returns the packets expected: extended highest - first + 1.
func (r *Reception) Expected() int64 {
	if !r.started {
		return 0
	}
	return r.maxSeq - r.baseSeq + 1
}

// Jitter returns the interarrival jitter.
func (r *Reception) Jitter() time.Duration { return time.Duration(r.jitter * float64(time.Second)) }

// JitterUnits returns the interarrival jitter in units of a clock of
// clockRate, as a reception report carries it.
func (r *Reception) JitterUnits(clockRate float64) uint32 { return uint32(r.jitter * clockRate) }
