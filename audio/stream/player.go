package stream

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
	"github.com/agentty/agentty/audio/jitter"
	"github.com/agentty/agentty/audio/quality"
)

// PlayerConfig configures a Player.
type PlayerConfig struct {
	// Sink plays the decoded 48 kHz frames (a device, a WAV recorder, a
	// mixer input). Nil discards.
	Sink device.Sink
	// Pace runs playout on an internal frame ticker; set it for sinks that
	// return at once (WAV, null unpaced); leave it off for a sound card.
	Pace bool
	// Meter is optional; the player creates its own when nil.
	Meter *audio.Meter
	// Quality is optional; the player creates its own when nil.
	Quality *quality.Monitor
	// OnDigit gets each received DTMF digit once, on the goroutine that
	// calls Push: hand it over (a non-blocking send, a tea.Msg), do not
	// block.
	OnDigit func(rune)
	// OnError gets non-fatal errors, on the goroutine that met them.
	OnError func(error)
	// InbandDTMF also detects DTMF tones in the decoded audio (Goertzel) and
	// reports them through OnDigit, on the playout goroutine: for far ends
	// that send tones in band instead of RFC 4733 events. Leave it off when
	// both are possible, or digits come twice.
	InbandDTMF bool
	// Jitter tunes the jitter buffer (ClockRate is set from the codec).
	Jitter jitter.Config
	// Now is the clock (default time.Now), injectable for tests.
	Now func() time.Time
}

// Player plays one received RTP stream: Push feeds packets into the
// jitter buffer (telephone-events go to OnDigit), a playout goroutine pops,
// decodes or conceals and writes to the Sink. Push is called from one
// goroutine at a time (the transport's reader); every other method is safe
// from any goroutine. Close stops the playout goroutine and waits for it.
type Player struct {
	cfg     PlayerConfig
	meter   *audio.Meter
	quality *quality.Monitor

	mu     sync.Mutex // guards codecs, jb, up, pt, codec
	codecs map[uint8]Codec
	jb     *jitter.Buffer
	up     *Unpacker
	pt     uint8
	codec  string

	// Push's own state (one goroutine).
	rx     dtmf.Receiver
	mt     MediaTime
	ssrc   uint32
	seen   bool
	resync atomic.Bool

	played, concealed, recovered, decodeErrs, trimmed atomic.Uint64
	// arrived wakes a playout goroutine waiting for a late packet.
	arrived chan struct{}
	// The spare a Scheduler sink held at the pops of this window
	// (watchSpare); p.mu.
	minSpare time.Duration
	spareN   int

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewPlayer starts the playout of a stream whose payload types are codecs
// (media codecs and telephone-event; packets of other types are dropped).
func NewPlayer(codecs []Codec, cfg PlayerConfig) *Player {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sink == nil {
		cfg.Pace = true // nothing else would pace playout
	}
	p := &Player{cfg: cfg, meter: cfg.Meter, quality: cfg.Quality, arrived: make(chan struct{}, 1)}
	if p.meter == nil {
		p.meter = &audio.Meter{}
	}
	p.SetCodecs(codecs)
	if p.quality == nil {
		name, clock := "", uint32(8000)
		for _, c := range codecs {
			if !c.IsTelephoneEvent() {
				name, clock = c.Name, c.Clock
				break
			}
		}
		p.quality = quality.NewMonitor(name, int(clock))
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.wg.Add(1)
	go p.playLoop(ctx)
	return p
}

// SetCodecs replaces the payload type map (a re-negotiation). A change of
// the media codec takes effect at its first packet.
func (p *Player) SetCodecs(codecs []Codec) {
	m := make(map[uint8]Codec, len(codecs))
	for _, c := range codecs {
		m[c.PT] = c
	}
	p.mu.Lock()
	p.codecs = m
	p.mu.Unlock()
}

// Resync makes the next packet start the stream afresh: a new jitter
// buffer and, in the quality figures, a new sequence base, so that a gap
// the far end made on purpose (a hold, a restarted stream) is not counted
// as loss. A change of SSRC does the same by itself.
func (p *Player) Resync() { p.resync.Store(true) }

// Meter returns the level of what is played.
func (p *Player) Meter() *audio.Meter { return p.meter }

// Quality returns the stream's quality monitor.
func (p *Player) Quality() *quality.Monitor { return p.quality }

// Codec returns the name of the codec being decoded ("" before media).
func (p *Player) Codec() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.codec
}

// Stats are the player's counters.
type Stats struct {
	Played, Concealed, DecodeErrors uint64
	Recovered                       uint64 // lost frames rebuilt from Opus in-band FEC
	Trimmed                         uint64 // frames played in part to cut delay the jitter did not need
	Jitter                          jitter.Stats
}

// Stats returns the counters.
func (p *Player) Stats() Stats {
	s := Stats{Played: p.played.Load(), Concealed: p.concealed.Load(), DecodeErrors: p.decodeErrs.Load(), Recovered: p.recovered.Load(), Trimmed: p.trimmed.Load()}
	p.mu.Lock()
	if p.jb != nil {
		s.Jitter = p.jb.Stats()
	}
	p.mu.Unlock()
	return s
}

// Close stops the playout goroutine and waits for it. Push after Close is
// harmless.
func (p *Player) Close() error {
	p.cancel()
	p.wg.Wait()
	return nil
}

func (p *Player) report(err error) {
	if p.cfg.OnError != nil {
		p.cfg.OnError(err)
	}
}

// Push takes one received RTP packet that arrived at now. It may change
// pkt (the payload and timestamp of telephone-events); the jitter buffer
// copies the payload, so the caller may reuse its buffer after Push
// returns. Call from one goroutine at a time.
func (p *Player) Push(pkt *rtp.Packet, now time.Time) {
	p.mu.Lock()
	c, ok := p.codecs[pkt.PayloadType]
	p.mu.Unlock()
	if !ok {
		return
	}
	if (p.seen && pkt.SSRC != p.ssrc) || p.resync.Swap(false) {
		p.restart()
	}
	p.ssrc, p.seen = pkt.SSRC, true
	tel := c.IsTelephoneEvent()
	eventTS := pkt.Timestamp
	if tel {
		// Every packet of an event carries the event's start timestamp:
		// time it as the media frame its slot replaces, so that neither
		// the jitter estimate nor the jitter buffer sees false delay.
		pkt.Timestamp = p.mt.SlotTS(pkt.SequenceNumber, c.Clock)
	} else {
		p.mt.Media(pkt.SequenceNumber, pkt.Timestamp)
	}
	p.quality.OnRTP(pkt.SequenceNumber, pkt.Timestamp, now)
	if tel {
		if d, ok, err := p.rx.Feed(eventTS, pkt.Payload); err == nil && ok && p.cfg.OnDigit != nil {
			p.cfg.OnDigit(d)
		}
		// Keep the slot in the jitter buffer so it is not counted as
		// lost: an empty payload plays as silence.
		pkt.Payload = nil
	} else if err := p.ensureDecoder(c); err != nil {
		p.report(err)
		return
	}
	p.mu.Lock()
	jb := p.jb
	p.mu.Unlock()
	if jb != nil {
		jb.Push(jitter.Packet{Seq: pkt.SequenceNumber, Timestamp: pkt.Timestamp, Payload: pkt.Payload}, now)
		select {
		case p.arrived <- struct{}{}:
		default:
		}
	}
}

// restart starts the stream afresh (a new SSRC, a resync). Push only.
func (p *Player) restart() {
	p.mt = MediaTime{}
	p.quality.Rebase()
	p.mu.Lock()
	p.up = nil // ensureDecoder makes a new decoder and jitter buffer
	p.jb = nil
	p.mu.Unlock()
}

// ensureDecoder (re)creates the decoder and jitter buffer for codec c.
func (p *Player) ensureDecoder(c Codec) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.up != nil && p.pt == c.PT {
		return nil
	}
	codec, err := audio.NewCodec(c.Name)
	if err != nil {
		return fmt.Errorf("stream: player: %w", err)
	}
	dec, err := audio.NewFrameDecoder(codec)
	if err != nil {
		return fmt.Errorf("stream: player: %w", err)
	}
	jc := p.cfg.Jitter
	jc.ClockRate = int(c.Clock)
	if jc.Frame <= 0 {
		jc.Frame = audio.FrameDuration
	}
	_, partial := p.cfg.Sink.(device.PartialSink)
	jc.PartialFrames = partial && !p.cfg.Pace // a ticker's pops would not move
	if s, ok := p.cfg.Sink.(device.Scheduler); ok && jc.PartialFrames {
		jc.Quantum = s.Period()
	}
	p.jb, p.up, p.pt, p.codec = jitter.New(jc), NewUnpacker(dec), c.PT, codec.Name()
	p.quality.SetCodec(codec.Name(), int(c.Clock))
	return nil
}
