package stream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/pion/rtp"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
)

// Writer sends one RTP packet. The Sender calls it from its Run goroutine
// only; header and payload are reused after it returns.
type Writer interface {
	WriteRTP(h *rtp.Header, payload []byte) error
}

// WriterFunc adapts a function to Writer.
type WriterFunc func(h *rtp.Header, payload []byte) error

// WriteRTP implements Writer.
func (f WriterFunc) WriteRTP(h *rtp.Header, payload []byte) error { return f(h, payload) }

// Format is what a Sender sends: the media codec, the telephone-event
// payload at the codec's clock (zero Codec: no RFC 4733 digits) and the
// SSRC.
type Format struct {
	Codec Codec
	Tel   Codec
	SSRC  uint32
}

// SenderConfig configures a Sender.
type SenderConfig struct {
	// Source gives frames (audio.FrameDuration) at 48 kHz (a device, a WAV file, a mixer).
	// At io.EOF the stream carries silence until closed.
	Source device.Source
	// Pace runs an internal frame ticker; set it for sources that return at
	// once (WAV, null unpaced); leave it off for a sound card, which paces
	// itself.
	Pace bool
	// Mute and Meter are optional; the sender creates its own when nil.
	Mute  *audio.Mute
	Meter *audio.Meter
	// Drop, when set, is asked for every RTP packet and drops it when it
	// returns true: loss injection for tests. Called on the Run goroutine.
	Drop func(seq uint16) bool
	// OnError gets non-fatal errors (a stalled microphone, a write failure);
	// called on the Run goroutine, must not block.
	OnError func(error)
	// DTMFDuration and DTMFGap shape sent digits (defaults 100 ms, 60 ms).
	DTMFDuration, DTMFGap time.Duration
}

// Sender reads the source, applies mute, measures the level, encodes and
// writes RTP, with RFC 4733 events in the same stream (same SSRC and
// sequence) while a digit is sent. Run is its loop; every other method is
// safe from any goroutine.
type Sender struct {
	cfg   SenderConfig
	mute  *audio.Mute
	meter *audio.Meter

	mu      sync.Mutex
	format  Format
	version int // bumped by SetFormat
	paused  bool
	digits  []rune
	sent    uint64
	dropped uint64
}

// NewSender returns a sender; start it with Run.
func NewSender(cfg SenderConfig) *Sender {
	if cfg.Source == nil {
		cfg.Pace = true // nothing else would pace sending
	}
	if cfg.DTMFDuration <= 0 {
		cfg.DTMFDuration = 100 * time.Millisecond
	}
	if cfg.DTMFGap <= 0 {
		cfg.DTMFGap = 60 * time.Millisecond
	}
	s := &Sender{cfg: cfg, mute: cfg.Mute, meter: cfg.Meter}
	if s.mute == nil {
		s.mute = &audio.Mute{}
	}
	if s.meter == nil {
		s.meter = &audio.Meter{}
	}
	return s
}

// Mute returns the sender's mute switch.
func (s *Sender) Mute() *audio.Mute { return s.mute }

// Meter returns the sender's level meter (after mute).
func (s *Sender) Meter() *audio.Meter { return s.meter }

// Sent returns the RTP packets sent and dropped (by Config.Drop).
func (s *Sender) Sent() (sent, dropped uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent, s.dropped
}

// Format returns the current format.
func (s *Sender) Format() Format {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.format
}

// SetFormat changes the format from the next frame (a re-negotiation);
// the sequence numbers and timestamps carry on.
func (s *Sender) SetFormat(f Format) {
	s.mu.Lock()
	s.format = f
	s.version++
	s.mu.Unlock()
}

// SetPaused stops (true) or resumes sending: while paused the source is
// still read (a sound card must be drained) and the RTP clock runs on,
// but nothing is written and no sequence number is used, so the far end
// sees no loss when sending resumes. For hold.
func (s *Sender) SetPaused(on bool) {
	s.mu.Lock()
	s.paused = on
	s.mu.Unlock()
}

// Paused reports whether sending is paused.
func (s *Sender) Paused() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paused
}

// QueueDTMF queues digits ("0"-"9", "*", "#", "A"-"D"; ',' pauses 500 ms)
// to send as RFC 4733 events. Digits are skipped while the format has no
// telephone-event.
func (s *Sender) QueueDTMF(digits string) error {
	for _, d := range digits {
		if d == ',' {
			continue
		}
		if _, err := dtmf.Code(d); err != nil {
			return fmt.Errorf("stream: send dtmf: %w", err)
		}
	}
	s.mu.Lock()
	s.digits = append(s.digits, []rune(digits)...)
	s.mu.Unlock()
	return nil
}

func (s *Sender) report(err error) {
	if s.cfg.OnError != nil && err != nil {
		s.cfg.OnError(err)
	}
}

// sendState is the send loop's private state.
type sendState struct {
	w       Writer
	version int
	enc     *audio.FrameEncoder
	close   func() error
	f       Format
	seq     uint16
	ts      uint32
	first   bool
	eof     bool
	failing bool // the source's last read failed
	event   []dtmf.Event
	eventTS uint32
	gap     int // frames of silence after an event
	hdr     rtp.Header
	payload []byte
	drops   uint64 // the device's capture drops at the last read
	counted bool   // drops is set
}

// Run sends f through w until ctx ends (SetFormat may change the format
// on the way). It returns early, with the error, only when the codec
// cannot be made.
func (s *Sender) Run(ctx context.Context, f Format, w Writer) error {
	s.SetFormat(f)
	st := &sendState{w: w, seq: uint16(rand.Uint32()), ts: rand.Uint32(), first: true,
		payload: make([]byte, audio.MaxPayload), version: -1}
	defer func() {
		if st.close != nil {
			st.close()
		}
	}()
	if err := s.refresh(st); err != nil {
		s.report(err)
		return err
	}
	var tick <-chan time.Time
	if s.cfg.Pace {
		t := time.NewTicker(audio.FrameDuration)
		defer t.Stop()
		tick = t.C
	}
	frame := make([]int16, audio.FrameSamples)
	for {
		if tick != nil {
			select {
			case <-ctx.Done():
				return nil
			case <-tick:
			}
		}
		if st.eof && tick == nil {
			// The self-paced source is gone: pace the silence ourselves.
			t := time.NewTicker(audio.FrameDuration)
			defer t.Stop()
			tick = t.C
		}
		if err := s.readFrame(ctx, st, frame); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			// Report once per run of failures; send silence; when nothing
			// else paces the loop, wait a frame so a dead source cannot spin.
			if !st.failing {
				s.report(err)
			}
			st.failing = true
			clear(frame)
			if tick == nil && !WaitFrame(ctx) {
				return nil
			}
		} else {
			st.failing = false
		}
		if err := s.refresh(st); err != nil {
			s.report(err) // keep the old encoder
		}
		if err := s.sendFrame(st, frame); err != nil {
			s.report(err)
		}
		st.ts += audio.FrameTicks(st.f.Codec.Clock)
	}
}

// refresh picks up a format changed by SetFormat.
func (s *Sender) refresh(st *sendState) error {
	s.mu.Lock()
	f, v := s.format, s.version
	s.mu.Unlock()
	if v == st.version {
		return nil
	}
	st.version = v
	if st.enc != nil && st.f.Codec.Name == f.Codec.Name && st.f.Codec.Clock == f.Codec.Clock {
		st.f = f
		return nil
	}
	c, err := audio.NewCodec(f.Codec.Name)
	if err != nil {
		return fmt.Errorf("stream: sender: %w", err)
	}
	enc, err := audio.NewFrameEncoder(c)
	if err != nil {
		c.Close()
		return fmt.Errorf("stream: sender: %w", err)
	}
	if st.close != nil {
		st.close()
	}
	st.enc, st.close, st.f = enc, c.Close, f
	if f.Codec.Clock == 0 {
		st.f.Codec.Clock = uint32(c.ClockRate())
	}
	st.event = nil
	return nil
}

// sendFrame sends one frame slot: the next telephone-event packet while a
// digit is being sent, else the encoded frame.
func (s *Sender) sendFrame(st *sendState, frame []int16) error {
	s.mute.Apply(frame)
	s.meter.Update(frame)
	if len(st.event) == 0 && st.gap == 0 {
		s.nextDigit(st)
	}
	if len(st.event) > 0 {
		e := st.event[0]
		st.event = st.event[1:]
		n, _ := e.Marshal(st.payload)
		marker := e.Duration == uint16(audio.FrameTicks(st.f.Codec.Clock)) && !e.End
		if len(st.event) == 0 {
			st.gap = int(s.cfg.DTMFGap / audio.FrameDuration)
		}
		return s.write(st, st.f.Tel.PT, st.eventTS, marker, st.payload[:n])
	}
	if st.gap > 0 {
		st.gap--
	}
	n, err := st.enc.Encode(frame, st.payload)
	if err != nil {
		return fmt.Errorf("stream: sender encode: %w", err)
	}
	marker := st.first
	st.first = false
	return s.write(st, st.f.Codec.PT, st.ts, marker, st.payload[:n])
}

// nextDigit starts the next queued digit, if any.
func (s *Sender) nextDigit(st *sendState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.digits) > 0 {
		d := s.digits[0]
		s.digits = s.digits[1:]
		if d == ',' {
			st.gap = 25
			return
		}
		code, err := dtmf.Code(d)
		if err != nil || st.f.Tel.IsZero() {
			continue
		}
		clock := st.f.Codec.Clock
		dur := uint16(int64(clock) * int64(s.cfg.DTMFDuration) / int64(time.Second))
		st.event = dtmf.Packets(code, 10, dur, uint16(audio.FrameTicks(clock)))
		st.eventTS = st.ts
		return
	}
}

func (s *Sender) write(st *sendState, pt uint8, ts uint32, marker bool, payload []byte) error {
	s.mu.Lock()
	paused := s.paused
	s.mu.Unlock()
	if paused {
		st.first = true // a new talk spurt when sending resumes
		return nil
	}
	seq := st.seq
	st.seq++
	if s.cfg.Drop != nil && s.cfg.Drop(seq) {
		s.mu.Lock()
		s.dropped++
		s.mu.Unlock()
		return nil
	}
	s.mu.Lock()
	s.sent++
	s.mu.Unlock()
	st.hdr = rtp.Header{Version: 2, PayloadType: pt, SequenceNumber: seq, Timestamp: ts, SSRC: st.f.SSRC, Marker: marker, Extensions: st.hdr.Extensions[:0]}
	if err := st.w.WriteRTP(&st.hdr, payload); err != nil {
		return fmt.Errorf("stream: write rtp: %w", err)
	}
	return nil
}

func (s *Sender) readFrame(ctx context.Context, st *sendState, frame []int16) error {
	if st.eof || s.cfg.Source == nil {
		clear(frame)
		return ctx.Err()
	}
	err := s.cfg.Source.ReadFrame(ctx, frame)
	if errors.Is(err, io.EOF) {
		st.eof = true
		clear(frame)
		return nil
	}
	if err != nil {
		return fmt.Errorf("stream: sender source: %w", err)
	}
	s.skipDropped(st)
	return nil
}

// skipDropped moves the RTP clock past capture the device dropped (a
// reader that fell behind, a full ring): the timestamps stay the sampling
// times, so the far end's jitter estimate sees the gap as the time it was
// and not as network delay.
func (s *Sender) skipDropped(st *sendState) {
	dev, ok := s.cfg.Source.(interface{ Stats() device.Stats })
	if !ok {
		return
	}
	d := dev.Stats().CaptureDrops
	if st.counted && d > st.drops {
		st.ts += uint32((d - st.drops) * uint64(st.f.Codec.Clock) / device.SampleRate)
	}
	st.drops, st.counted = d, true
}
