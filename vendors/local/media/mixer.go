package media

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/jitter"
	"github.com/agentty/agentty/audio/rtc"
)

// mixSource marks packets the mixer wrote in a relayTrack's source
// bookkeeping (leg sources are 32-bit SSRCs).
const mixSource = 1 << 32

// pausedSource is a relayTrack's source while nothing feeds it (a held
// party hears nothing): whatever comes next starts a new run of sequence
// numbers right after the last one sent, so the pause is no loss.
const pausedSource = 1 << 33

// mixOut is one listener that hears a mix: of the legs from, and music.
type mixOut struct {
	to    *leg
	from  []*leg
	music bool
}

// plan is the mixer's work for each frame tick; the loop replaces it.
type plan struct {
	outs []mixOut
	rec  *recTap // the call's recording, or nil
}

// mixer is one call's mixing goroutine: every frame period it takes a frame from
// every leg someone hears, sums what each listener hears, encodes it with
// the listener's codec and writes it to the listener's track.
type mixer struct {
	s      *Server
	plan   atomic.Pointer[plan]
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func (s *Server) startMixer(c *call) *mixer {
	ctx, cancel := context.WithCancel(s.ctx)
	m := &mixer{s: s, cancel: cancel}
	m.plan.Store(&plan{})
	m.wg.Add(1)
	go m.run(ctx)
	return m
}

// stop ends the mixer and waits for it.
func (m *mixer) stop() {
	m.cancel()
	m.wg.Wait()
}

// encoder is one listener's encoding state.
type encoder struct {
	name    string
	enc     *audio.FrameEncoder
	codec   audio.Codec
	seq     uint16
	ts      uint32
	step    uint32
	payload []byte
	// the telephone-event being passed on: its source and start
	// timestamp there, and its start timestamp in this listener's stream
	telFrom        *leg
	telSrc, telOut uint32
}

// source is one heard leg's state in the mixer: its decoder and this
// tick's frame and events.
type source struct {
	name   string
	up     *rtc.Unpacker
	codec  audio.Codec
	frame  []int16
	events []telPacket
	tick   uint64 // the tick frame and events are for
}

func (m *mixer) run(ctx context.Context) {
	defer m.wg.Done()
	t := time.NewTicker(audio.FrameDuration)
	defer t.Stop()
	encs := map[*leg]*encoder{}
	srcs := map[*leg]*source{}
	defer func() {
		for _, e := range encs {
			e.codec.Close()
		}
		for _, s := range srcs {
			if s.codec != nil {
				s.codec.Close()
			}
		}
	}()
	music := make([]int16, audio.FrameSamples)
	own := make([]int16, audio.FrameSamples) // a leg's own clip or music (announce.go)
	mix := make([]int16, audio.FrameSamples)
	heard := make([][]int16, 0, 4)
	var hdr rtp.Header
	var last time.Time
	for tick := uint64(1); ; tick++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		p := m.plan.Load()
		now := time.Now()
		slot := musicSlot(now)
		// A mixer that falls behind its ticker loses ticks (time.Ticker
		// drops them): frames its listeners never get. Counted.
		if !last.IsZero() {
			if k := int64((now.Sub(last) + audio.FrameDuration/2) / audio.FrameDuration); k > 1 {
				m.s.mixMissed.Add(uint64(k-1) * uint64(len(p.outs)))
			}
		}
		last = now
		needMusic := false
		for _, o := range p.outs {
			needMusic = needMusic || (o.music && len(o.from) > 0) // music alone comes encoded (music.go)
			for _, f := range o.from {
				src := srcs[f]
				if src == nil {
					src = &source{frame: make([]int16, audio.FrameSamples)}
					srcs[f] = src
				}
				if src.tick != tick {
					src.tick = tick
					src.take(f, now)
				}
			}
		}
		m.record(p.rec, srcs, tick, now)
		for f, src := range srcs {
			if src.tick != tick { // no longer heard
				if src.codec != nil {
					src.codec.Close()
				}
				delete(srcs, f)
			}
		}
		if needMusic {
			m.s.music.frame(slot, music)
		}
		for _, o := range p.outs {
			e := encs[o.to]
			name := o.to.outCodec()
			if e == nil || e.name != name {
				if e != nil {
					e.codec.Close()
				}
				if e = newEncoder(name, m.s.cfg.OpusComplexity); e == nil {
					delete(encs, o.to)
					continue
				}
				encs[o.to] = e
			}
			if m.passEvents(o, e, srcs, now) {
				e.ts += e.step // the event took this slot
				continue
			}
			var n int
			var ownF []int16
			if o.music {
				ownF = ownMusic(o, own) // a leg's own clip or music (announce.go)
			}
			if o.music && len(o.from) == 0 && ownF == nil {
				// Music alone: the relay's frame for this slot, already
				// encoded with this codec for whoever else hears it.
				var ok bool
				if n, ok = m.s.music.encoded(slot, e.name, e.payload); !ok {
					continue
				}
			} else {
				heard = heard[:0]
				for _, f := range o.from {
					heard = append(heard, srcs[f].frame)
				}
				switch {
				case ownF != nil:
					heard = append(heard, ownF)
				case o.music:
					heard = append(heard, music)
				}
				audio.Mix(mix, heard...)
				var err error
				if n, err = e.enc.Encode(mix, e.payload); err != nil {
					continue
				}
			}
			hdr = rtp.Header{SequenceNumber: e.seq, Timestamp: e.ts}
			e.seq++
			e.ts += e.step
			if err := o.to.out.write(mixSource, false, &hdr, e.payload[:n], now, nil); err != nil {
				m.s.writeErrs.Add(1)
			} else {
				m.s.mixed.Add(1)
			}
		}
	}
}

// take decodes leg f's next frame, from as many packets as it takes,
// concealing what is lost or late.
func (src *source) take(f *leg, now time.Time) {
	name := f.inCodec()
	if src.up == nil || src.name != name {
		if src.codec != nil {
			src.codec.Close()
			src.codec = nil
		}
		src.name, src.up = name, rtc.NewUnpacker(nil)
		if c, err := audio.NewCodec(name); err == nil {
			if d, err := audio.NewFrameDecoder(c); err == nil {
				src.codec, src.up = c, rtc.NewUnpacker(d)
			} else {
				c.Close()
			}
		}
	}
	src.events = src.events[:0]
	src.up.Fill(src.frame, func() {
		fr, evs := f.mixIn.pop(now, src.events)
		src.events = evs
		switch fr.Kind {
		case jitter.KindPacket:
			f.s.mixPlayed.Add(1)
		case jitter.KindLost:
			f.s.mixLost.Add(1)
		case jitter.KindUnderrun:
			f.s.mixUnderrun.Add(1)
		}
		src.up.Unpack(fr) // an error leaves silence
	})
}

// passEvents sends listener o the telephone-events its heard legs sent
// this tick, in place of the slot's audio (as a phone sends them), each
// event's packets keeping one start timestamp in the listener's stream.
// It reports whether any was sent.
func (m *mixer) passEvents(o mixOut, e *encoder, srcs map[*leg]*source, now time.Time) bool {
	sent := false
	for _, f := range o.from {
		for _, ev := range srcs[f].events {
			if e.telFrom != f || e.telSrc != ev.ts {
				e.telFrom, e.telSrc, e.telOut = f, ev.ts, e.ts
			}
			hdr := rtp.Header{Marker: ev.marker, SequenceNumber: e.seq, Timestamp: e.telOut}
			e.seq++
			if err := o.to.out.write(mixSource, true, &hdr, ev.payload[:ev.n], now, nil); err != nil {
				m.s.writeErrs.Add(1)
			}
			sent = true
		}
	}
	return sent
}

func newEncoder(name string, complexity int) *encoder {
	if name == "" {
		return nil
	}
	c, err := newRelayCodec(name, complexity)
	if err != nil {
		return nil
	}
	enc, err := audio.NewFrameEncoder(c)
	if err != nil {
		c.Close()
		return nil
	}
	return &encoder{name: name, enc: enc, codec: c, seq: uint16(rand.Uint32()), ts: rand.Uint32(),
		step: audio.FrameTicks(uint32(c.ClockRate())), payload: make([]byte, audio.MaxPayload)}
}

// newRelayCodec is a codec for the relay's encoders: Opus at the relay's
// complexity (Config.OpusComplexity).
func newRelayCodec(name string, complexity int) (audio.Codec, error) {
	c, err := audio.NewCodec(name)
	if err != nil {
		return nil, err
	}
	if oc, ok := c.(interface{ SetComplexity(int) error }); ok && complexity > 0 {
		if err := oc.SetComplexity(complexity); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}
