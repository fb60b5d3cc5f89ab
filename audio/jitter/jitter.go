// Package jitter is an adaptive playout buffer for one RTP stream. Packets
// are keyed by sequence number (extended across wrap-around); the consumer
// pops one packet per packet period and gets a packet, a loss to conceal,
// an underrun to conceal, or "waiting" before playout starts. The packet
// period starts at Config.Frame and follows what the stream's timestamps
// say (a far end may pack 10, 20 or 30 ms in a packet).
//
// The playout delay is not fixed: it starts at a target computed from the
// measured delay variation (the 95th percentile of relative transit delay
// over the last Window packets, RFC 3550-style), grows by one frame on each
// underrun (the frame is concealed and playout does not advance), and
// shrinks by dropping frames when, for a whole second, the buffer never
// held fewer than three (all but two of the surplus go, never below the
// target). Time comes in as arguments (arrival and now), so tests
// drive it with an injected clock.
package jitter

import (
	"slices"
	"sync"
	"time"
)

// Kind says what Pop produced.
type Kind int

const (
	// KindUnknown is the zero Kind.
	KindUnknown Kind = iota
	// KindWaiting: playout has not started (or restarted); play silence.
	KindWaiting
	// KindPacket: Frame.Payload holds the next packet's payload.
	KindPacket
	// KindLost: the next packet is missing and later ones exist; conceal.
	KindLost
	// KindUnderrun: nothing has arrived for this slot yet; conceal (playout
	// waits, so the delay grows by one frame).
	KindUnderrun
)

// String names the kind for logs.
func (k Kind) String() string {
	switch k {
	case KindWaiting:
		return "waiting"
	case KindPacket:
		return "packet"
	case KindLost:
		return "lost"
	case KindUnderrun:
		return "underrun"
	}
	return "unknown"
}

// Packet is one received RTP packet.
type Packet struct {
	Seq       uint16
	Timestamp uint32
	Payload   []byte // copied by Push
}

// Frame is what Pop returns. Payload and Next are valid until the next call
// on the Buffer.
type Frame struct {
	Kind      Kind
	Seq       uint16
	Timestamp uint32
	Payload   []byte
	// Next, for KindLost, is the following packet's payload when it is
	// already buffered: a codec with in-band FEC (Opus) can rebuild the lost
	// frame from it.
	Next []byte
	// Trim, for KindPacket with Config.PartialFrames, is delay the buffer
	// has found to spare (at most MaxTrim): the consumer leaves out this
	// much of the frame (crossfaded), and the packets that follow are
	// played that much sooner after they arrive.
	Trim time.Duration
}

// Config tunes a Buffer; zero fields take the defaults noted.
type Config struct {
	ClockRate int           // RTP clock, Hz (default 48000)
	Frame     time.Duration // packet period until the timestamps tell (default 20 ms)
	MinDelay  time.Duration // floor of the target delay (default one packet period)
	MaxDelay  time.Duration // ceiling; older frames are dropped (default 400 ms)
	Window    int           // packets in the jitter estimate (default 100)
	// PartialFrames says the consumer plays part of a frame when offered
	// Frame.Trim: surplus delay is then given back that way, a little per
	// frame, instead of by dropping whole frames.
	PartialFrames bool
	// Quantum, with PartialFrames, is the period of a consumer that takes
	// audio a period at a time at fixed times (a sound card): cutting
	// delay moves when packets are needed in steps of it, so surplus is
	// offered as Frame.Trim in whole quanta only (less would move the
	// playout point a whole quantum anyway, and the packets after it would
	// come late). The consumer gives back what is left below a quantum
	// itself. Zero offers any surplus.
	Quantum time.Duration
	// ResetAfter restarts playout after this much continuous underrun, e.g.
	// across a hold or a silence suppression gap (default 1 s).
	ResetAfter time.Duration
}

// Stats are the buffer's counters and current state.
type Stats struct {
	Received  uint64        // packets accepted
	Duplicate uint64        // packets already buffered
	Late      uint64        // packets arriving after their slot was played or given up
	Lost      uint64        // slots given up with no packet
	Concealed uint64        // frames the consumer had to conceal (lost + underrun)
	Dropped   uint64        // frames dropped to shrink the delay or on overflow
	Resets    uint64        // playout restarts
	Target    time.Duration // current target delay from the jitter estimate
	Depth     int           // frames between the playout point and the newest packet
	Jitter    time.Duration // RFC 3550 interarrival jitter estimate
	// Played counts the packets Pop returned (KindPacket); Waited sums how
	// long each of them was buffered, arrival to Pop: Waited / Played is
	// the buffer's mean share of the mouth-to-ear delay.
	Played uint64
	Waited time.Duration
	// Frame is the packet period, learnt from the timestamps.
	Frame time.Duration
}

// Buffer is safe for concurrent use: typically the network goroutine calls
// Push and the playout goroutine calls Pop.
type Buffer struct {
	mu  sync.Mutex
	cfg Config

	pkts    map[int64]*slot
	free    []*slot
	out     *slot // returned by the last Pop, recycled on the next
	highest int64
	haveAny bool
	next    int64
	started bool
	startAt time.Time // first arrival since (re)start

	// delay estimation
	rel     []time.Duration // relative transit delays, ring
	relN    int
	scratch []time.Duration
	base    time.Time
	baseTS  uint32
	jitter  float64 // RFC 3550, in seconds
	lastD   float64
	haveD   bool

	minSlack  time.Duration // least wait of a played packet in this window
	pops      int
	underruns int
	// concealedNext: the last pop was an underrun at slot next, and
	// slackBefore the window's minSlack before the first underrun of the
	// run.
	concealedNext bool
	slackBefore   time.Duration
	trim          time.Duration // offered with the next packet
	lastPop       time.Time     // the last Pop since playout started

	// packet period learning: the last packet pushed, and a new period
	// seen once, adopted when the next pair agrees
	minDefault bool
	prevExt    int64
	prevTS     uint32
	havePrev   bool
	candidate  uint32

	st Stats
}

type slot struct {
	seq uint16
	ts  uint32
	arr time.Time
	buf []byte
}

// New returns a Buffer.
func New(cfg Config) *Buffer {
	if cfg.ClockRate <= 0 {
		cfg.ClockRate = 48000
	}
	if cfg.Frame <= 0 {
		cfg.Frame = 20 * time.Millisecond
	}
	minDefault := cfg.MinDelay <= 0
	if minDefault {
		cfg.MinDelay = cfg.Frame
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = 400 * time.Millisecond
	}
	if cfg.Window <= 0 {
		cfg.Window = 100
	}
	if cfg.ResetAfter <= 0 {
		cfg.ResetAfter = time.Second
	}
	return &Buffer{
		cfg:        cfg,
		minDefault: minDefault,
		pkts:       make(map[int64]*slot),
		rel:        make([]time.Duration, cfg.Window),
		scratch:    make([]time.Duration, cfg.Window),
		st:         Stats{Target: cfg.MinDelay, Frame: cfg.Frame},
	}
}

// Push stores a packet that arrived at arrival.
func (b *Buffer) Push(p Packet, arrival time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ext := int64(p.Seq)
	if b.haveAny {
		ext = b.highest + int64(int16(p.Seq-uint16(b.highest)))
		if d := ext - b.highest; d > 3000 || d < -3000 {
			b.reset() // new stream or a huge jump: start over
			ext = int64(p.Seq)
		}
	}
	if b.started && ext < b.next {
		b.st.Late++
		return
	}
	if _, dup := b.pkts[ext]; dup {
		b.st.Duplicate++
		return
	}
	b.st.Received++
	b.learnPeriod(ext, p.Timestamp)
	b.estimate(p.Timestamp, arrival)
	if !b.haveAny || ext > b.highest {
		b.highest = ext
	}
	if !b.haveAny {
		b.startAt = arrival
	}
	b.haveAny = true
	s := b.alloc()
	s.seq, s.ts, s.arr = p.Seq, p.Timestamp, arrival
	s.buf = append(s.buf[:0], p.Payload...)
	b.pkts[ext] = s
}

func (b *Buffer) alloc() *slot {
	if n := len(b.free); n > 0 {
		s := b.free[n-1]
		b.free = b.free[:n-1]
		return s
	}
	return &slot{buf: make([]byte, 0, 256)}
}

// estimate updates the relative transit delay window and the RFC 3550
// jitter.
func (b *Buffer) estimate(ts uint32, arrival time.Time) {
	if b.base.IsZero() {
		b.base, b.baseTS = arrival, ts
	}
	media := time.Duration(float64(int32(ts-b.baseTS)) / float64(b.cfg.ClockRate) * float64(time.Second))
	d := arrival.Sub(b.base) - media
	b.rel[b.relN%len(b.rel)] = d
	b.relN++
	ds := d.Seconds()
	if b.haveD {
		diff := ds - b.lastD
		if diff < 0 {
			diff = -diff
		}
		b.jitter += (diff - b.jitter) / 16
	}
	b.lastD, b.haveD = ds, true
	// Target: spread between the fastest packet and the 95th percentile.
	n := min(b.relN, len(b.rel))
	w := b.scratch[:n]
	copy(w, b.rel[:n])
	slices.Sort(w)
	spread := w[(n-1)*95/100] - w[0]
	b.st.Target = min(b.cfg.MaxDelay, max(b.cfg.MinDelay, spread+b.cfg.Frame/2))
}

// learnPeriod follows the packet period the timestamps of consecutive
// packets give: a new period is adopted when two pairs in a row agree
// (a timestamp jump of silence suppression is seen once, and is longer
// than the 120 ms a packet can hold).
func (b *Buffer) learnPeriod(ext int64, ts uint32) {
	prevExt, prevTS, had := b.prevExt, b.prevTS, b.havePrev
	b.prevExt, b.prevTS, b.havePrev = ext, ts, true
	if !had || ext != prevExt+1 {
		return
	}
	step := ts - prevTS
	if step == 0 || uint64(step)*1000 > uint64(b.cfg.ClockRate)*120 {
		b.candidate = 0
		return
	}
	d := time.Duration(step) * time.Second / time.Duration(b.cfg.ClockRate)
	if d == b.cfg.Frame {
		b.candidate = 0
		return
	}
	if step != b.candidate {
		b.candidate = step
		return
	}
	b.candidate = 0
	b.cfg.Frame = d
	b.st.Frame = d
	if b.minDefault {
		b.cfg.MinDelay = d
		b.st.Target = max(b.st.Target, d)
	}
}

func (b *Buffer) frames(d time.Duration) int64 {
	return int64((d + b.cfg.Frame - 1) / b.cfg.Frame)
}
