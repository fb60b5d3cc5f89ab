package media

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"

	"github.com/agentty/agentty/audio"
)

// mixSource marks packets the mixer wrote in a relayTrack's source
// bookkeeping (leg sources are 32-bit SSRCs).
const mixSource = 1 << 32

// mixOut is one listener that hears a mix: of the legs from, and music.
type mixOut struct {
	to    *leg
	from  []*leg
	music bool
}

// plan is the mixer's work for each 20 ms tick; the loop replaces it.
type plan struct{ outs []mixOut }

// mixer is one call's mixing goroutine: every 20 ms it takes a frame from
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
}

func (m *mixer) run(ctx context.Context) {
	defer m.wg.Done()
	t := time.NewTicker(audio.FrameDuration)
	defer t.Stop()
	encs := map[*leg]*encoder{}
	defer func() {
		for _, e := range encs {
			e.codec.Close()
		}
	}()
	frames := map[*leg][]int16{}
	var moh audio.MusicOnHold
	music := make([]int16, audio.FrameSamples)
	mix := make([]int16, audio.FrameSamples)
	srcs := make([][]int16, 0, 4)
	var hdr rtp.Header
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		p := m.plan.Load()
		clear(frames)
		needMusic := false
		for _, o := range p.outs {
			needMusic = needMusic || o.music
			for _, f := range o.from {
				if _, ok := frames[f]; !ok {
					buf := make([]int16, audio.FrameSamples)
					f.mixIn.take(buf)
					frames[f] = buf
				}
			}
		}
		if needMusic {
			moh.Fill(music)
		}
		for _, o := range p.outs {
			e := encs[o.to]
			name := o.to.outCodec()
			if e == nil || e.name != name {
				if e = newEncoder(name); e == nil {
					continue
				}
				encs[o.to] = e
			}
			srcs = srcs[:0]
			for _, f := range o.from {
				srcs = append(srcs, frames[f])
			}
			if o.music {
				srcs = append(srcs, music)
			}
			audio.Mix(mix, srcs...)
			n, err := e.enc.Encode(mix, e.payload)
			if err != nil {
				continue
			}
			hdr = rtp.Header{SequenceNumber: e.seq, Timestamp: e.ts}
			e.seq++
			e.ts += e.step
			if err := o.to.out.write(mixSource, false, &hdr, e.payload[:n]); err != nil {
				m.s.writeErrs.Add(1)
			} else {
				m.s.mixed.Add(1)
			}
		}
	}
}

func newEncoder(name string) *encoder {
	if name == "" {
		return nil
	}
	c, err := audio.NewCodec(name)
	if err != nil {
		return nil
	}
	enc, err := audio.NewFrameEncoder(c)
	if err != nil {
		c.Close()
		return nil
	}
	return &encoder{name: name, enc: enc, codec: c, seq: uint16(rand.Uint32()), ts: rand.Uint32(),
		step: uint32(c.ClockRate() / 50), payload: make([]byte, audio.MaxPayload)}
}
