// Package device moves frames (FrameDuration, 10 ms) of 48 kHz mono int16 PCM between the
// media path and the outside: a real sound card through malgo (PulseAudio
// backend first), a null device, and a WAV-file device for headless use and
// tests.
package device

import (
	"context"
	"errors"
	"time"
)

// Frame geometry, the same as package audio's (kept here so that devices
// depend on nothing of ours).
const (
	SampleRate    = 48000
	FrameSamples  = 480
	FrameDuration = 10 * time.Millisecond
)

var (
	// ErrClosed is returned by a device used after Close.
	ErrClosed = errors.New("device: closed")
	// ErrStalled is returned by ReadFrame when a capture device delivered
	// nothing for its stall timeout; reopening the device usually helps.
	ErrStalled = errors.New("device: capture stalled")
	// ErrNullFallback wraps the reason OpenOrNull fell back to the null
	// device; show it to the user once.
	ErrNullFallback = errors.New("device: no sound device, using the null device (no audio)")
	// ErrFrameSize is returned for a frame that is not FrameSamples long.
	ErrFrameSize = errors.New("device: frame must be 480 samples (10 ms)")
)

// Source produces captured frames.
type Source interface {
	// ReadFrame fills frame (FrameSamples long) with the next frame of
	// capture, blocking until it is available, ctx is done, or the device
	// fails. Call it from one goroutine at a time.
	ReadFrame(ctx context.Context, frame []int16) error
}

// Sink consumes frames to play.
type Sink interface {
	// WriteFrame queues frame (FrameSamples long) for playback, blocking
	// while the device's buffer is full (so a real device paces its
	// writer). Call it from one goroutine at a time.
	WriteFrame(ctx context.Context, frame []int16) error
}

// Waiter is a Sink that can say when it has room before the frame exists:
// a player calls WaitWritable, then takes the next frame from its jitter
// buffer and writes it (which then does not block), so the frame is taken
// at the last moment instead of waiting, decoded, inside WriteFrame.
type Waiter interface {
	// WaitWritable blocks until WriteFrame would not block.
	WaitWritable(ctx context.Context) error
}

// PartialSink is a Sink that also takes less than a frame: a player that
// found delay to spare plays part of a frame, and everything after it is
// heard that much sooner.
type PartialSink interface {
	// WriteSamples queues 1 to FrameSamples samples, blocking as
	// WriteFrame does.
	WriteSamples(ctx context.Context, samples []int16) error
}

// Scheduler is a Sink that takes audio a period at a time, at known
// times, and can say when the audio queued in it runs out. A player that
// finds no packet yet for the next slot waits for it until just before
// then instead of concealing the slot at once: a packet may arrive after
// the sink asked for room and still be played on time.
type Scheduler interface {
	// Deadline is when the sink will next take audio it does not have:
	// what is written before then plays without a gap. spare is the audio
	// queued beyond the whole periods the sink takes before then: cutting
	// that much from what is written next plays it sooner and moves no
	// deadline. ok is false until the sink has taken audio once.
	Deadline() (t time.Time, spare time.Duration, ok bool)
	// Period is how much audio the sink takes at a time: cutting more
	// than the spare moves the next deadline a period earlier.
	Period() time.Duration
}

// Device is a microphone and a speaker. ReadFrame and WriteFrame may run on
// two different goroutines; Stats and Name on any; Close once, after which
// both return ErrClosed.
type Device interface {
	Source
	Sink
	// Name says what the device is, for the console ("pulse: agentty_a").
	Name() string
	// Stats returns the counters.
	Stats() Stats
	Close() error
}

// Stats count frames and trouble.
type Stats struct {
	Captured     uint64 // frames delivered by ReadFrame
	Played       uint64 // frames accepted by WriteFrame
	CaptureDrops uint64 // samples the capture callback dropped (ring full)
	Underruns    uint64 // samples the playback callback had to fill with silence
	Stalls       uint64 // ReadFrame calls that timed out on a stalled capture
	// PlaybackQueue is how much playback the device lets queue now (it
	// adapts to underruns); 0 for devices that do not queue.
	PlaybackQueue time.Duration
	// CaptureBacklog sums, over every frame ReadFrame delivered, the
	// capture left waiting in the device after it: divided by Captured it
	// is how long a frame's newest sample waited for its reader on
	// average. PlaybackAhead sums, over every write, the playback queued
	// ahead of the written audio: divided by Played it is how long written
	// audio waited for the sound server on average (the server's own
	// buffer not included). Both are 0 for devices that do not queue.
	CaptureBacklog, PlaybackAhead time.Duration
}

// Pacer makes an unpaced source or sink run at real time, with no
// goroutine: each Wait returns at its frame's slot (at once when the
// caller is more than 200 ms late, starting over from now). The zero value
// does not wait; set On.
type Pacer struct {
	On   bool
	next time.Time
}

// Wait blocks until the next frame's slot or ctx ends.
func (p *Pacer) Wait(ctx context.Context) error {
	if !p.On {
		return ctx.Err()
	}
	now := time.Now()
	if p.next.IsZero() || now.Sub(p.next) > 200*time.Millisecond {
		p.next = now
	}
	d := p.next.Sub(now)
	p.next = p.next.Add(FrameDuration)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
