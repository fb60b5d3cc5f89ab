package stream

import (
	"context"
	"fmt"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
)

// The play loop: a frame from the jitter buffer, decoded or concealed, to
// the sink, at the sink's pace.

func (p *Player) playLoop(ctx context.Context) {
	defer p.wg.Done()
	var tick <-chan time.Time
	if p.cfg.Pace {
		t := time.NewTicker(audio.FrameDuration)
		defer t.Stop()
		tick = t.C
	}
	frame := make([]int16, audio.FrameSamples)
	det := dtmf.Detector{Rate: audio.SampleRate}
	// A sound card takes each packet's audio as it comes (less what the
	// jitter buffer trims); other sinks take whole frames.
	ps, partial := p.cfg.Sink.(device.PartialSink)
	partial = partial && tick == nil
	sched, _ := p.cfg.Sink.(device.Scheduler)
	if !partial {
		sched = nil
	}
	late := time.NewTimer(time.Hour)
	defer late.Stop()
	failing := false
	for {
		if tick != nil {
			select {
			case <-ctx.Done():
				return
			case <-tick:
			}
		} else if ctx.Err() != nil {
			return
		}
		// A sound card says when it has room: take the frame from the
		// jitter buffer then, not a frame period before.
		if w, ok := p.cfg.Sink.(device.Waiter); ok && tick == nil {
			if err := w.WaitWritable(ctx); err != nil && ctx.Err() != nil {
				return
			}
		}
		var due time.Time
		if sched != nil {
			due = p.await(ctx, sched, late)
		}
		out := p.next(frame, partial, due)
		p.meter.Update(out)
		if p.cfg.InbandDTMF && p.cfg.OnDigit != nil {
			if d, ok := det.Frame(out); ok {
				p.cfg.OnDigit(d)
			}
		}
		if p.cfg.Sink == nil {
			continue
		}
		var err error
		if partial {
			err = ps.WriteSamples(ctx, out)
		} else {
			err = p.cfg.Sink.WriteFrame(ctx, frame)
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			// Report once per run of failures; when nothing else paces
			// playout, wait a frame so a dead sink cannot spin.
			if !failing {
				p.report(fmt.Errorf("stream: player sink: %w", err))
			}
			failing = true
			if tick == nil && !WaitFrame(ctx) {
				return
			}
		} else {
			failing = false
		}
	}
}

// next returns what to play now. For a sink that takes part frames it is
// up to a frame of the packet being played (the next packet is popped
// when the last is used up); for another it is frame, filled from as many
// packets as it takes. due, when set, is when the next packet is needed
// (await); otherwise it is needed now.
func (p *Player) next(frame []int16, partial bool, due time.Time) []int16 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.jb == nil {
		clear(frame)
		return frame
	}
	if due.IsZero() {
		due = p.cfg.Now()
	}
	if partial {
		if p.up.Pending() == 0 {
			p.unpack(due)
		}
		return p.up.Take(len(frame))
	}
	p.up.Fill(frame, func() { p.unpack(due) })
	return frame
}

// unpack pops the jitter buffer for a packet needed at due and decodes or
// conceals it into the unpacker, counting what was played. p.mu held.
func (p *Player) unpack(due time.Time) {
	f := p.jb.Pop(due)
	st := p.jb.Stats()
	p.quality.SetPlayoutDelay(time.Duration(st.Depth)*st.Frame + time.Duration(p.up.Pending())*time.Second/audio.SampleRate)
	played, err := p.up.Unpack(f)
	switch played {
	case PlayedDecoded:
		if err != nil {
			p.decodeErrs.Add(1)
			break
		}
		p.played.Add(1)
		if p.up.LastCut() > 0 { // only with a PartialSink
			p.trimmed.Add(1)
		}
	case PlayedRecovered:
		p.recovered.Add(1)
	case PlayedConcealed:
		p.concealed.Add(1)
	}
}

// WaitFrame waits one frame period; false when ctx ended first.
func WaitFrame(ctx context.Context) bool {
	t := time.NewTimer(audio.FrameDuration)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
