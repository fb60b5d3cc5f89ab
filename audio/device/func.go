package device

import (
	"context"
	"sync/atomic"
)

// FuncSource is a Source that fills each frame with a generator function:
// music on hold (audio.MusicOnHold.Fill), a tone (audio.Tone.Fill), a
// prompt. Paced, it runs at real time; unpaced, it returns at once (let
// the consumer pace, e.g. rtc.OutboundConfig.Pace). Use from one goroutine.
type FuncSource struct {
	fill   func([]int16)
	p      Pacer
	closed atomic.Bool
}

// NewFuncSource returns a Source calling fill for every frame.
func NewFuncSource(fill func(frame []int16), paced bool) *FuncSource {
	return &FuncSource{fill: fill, p: Pacer{On: paced}}
}

// ReadFrame implements Source.
func (s *FuncSource) ReadFrame(ctx context.Context, frame []int16) error {
	if s.closed.Load() {
		return ErrClosed
	}
	if len(frame) != FrameSamples {
		return ErrFrameSize
	}
	if err := s.p.Wait(ctx); err != nil {
		return err
	}
	s.fill(frame)
	return nil
}

// Close makes further reads fail with ErrClosed.
func (s *FuncSource) Close() error {
	s.closed.Store(true)
	return nil
}
