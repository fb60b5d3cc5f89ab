//go:build cgo

package device

/*
#include <stdlib.h>
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gen2brain/malgo"
)

// Config chooses a sound device.
type Config struct {
	// Capture and Playback name the devices: a PulseAudio source or sink
	// name ("agentty_a.monitor", "agentty_b") or a description; empty means
	// the default device.
	Capture, Playback string
	// NoCapture / NoPlayback open only one direction.
	NoCapture, NoPlayback bool
	// StallTimeout is how long ReadFrame waits for a frame before returning
	// ErrStalled (default 1 s).
	StallTimeout time.Duration
	// PlaybackLatency bounds the queued playback (default 60 ms). The queue
	// starts at one frame and a period (WriteFrame blocks while more is
	// queued), grows by a period each time the sound card ran dry, up to
	// this bound, and shrinks back a period after every 2 s with no gap:
	// a busy machine trades a little delay for no gaps.
	PlaybackLatency time.Duration
	// Period is the sound server's period: the device delivers and takes
	// audio in chunks this long (default DefaultPeriod). Each chunk is
	// mouth-to-ear delay on both sides (capture waits for a chunk to
	// fill; playback keeps a chunk queued ahead of the frame it takes),
	// and each is a wake-up of the device's thread.
	Period time.Duration
}

// DefaultPeriod is Config.Period's default: 5 ms, 240 samples. 2.5 ms
// halves the capture chunk and the playback kept ahead (bench/latency
// -period 2.5ms measures it), but leaves the sound server 7.5 ms of
// capture to hold for a late reader instead of 15 ms: on a loaded
// machine it dropped audio (the bench's own mouth, at 2.5 ms, lost its
// chirps at load 20).
const DefaultPeriod = 5 * time.Millisecond

// captureSlack is how much capture the sound server keeps for a late
// reader (the buffer it drops from when full).
const captureSlack = 30 * time.Millisecond

// periodSamples is DefaultPeriod in samples.
const periodSamples = int(SampleRate * DefaultPeriod / time.Second)

// maxCaptureBacklog is how many frames of capture may wait for ReadFrame
// before the oldest are skipped.
const maxCaptureBacklog = 5

// Malgo is a sound-card device. Its data callbacks run on miniaudio's
// real-time threads and only copy samples to or from preallocated rings,
// count drops and wake the reader or writer without blocking.
type Malgo struct {
	cfg      Config
	ctx      *malgo.AllocatedContext
	cap, ply *malgo.Device
	capID    malgo.DeviceID
	plyID    malgo.DeviceID
	cIDs     []unsafe.Pointer // C copies of device IDs (cgo forbids Go pointers), freed on Close
	name     string

	capRing, plyRing *ring
	capLag           backlog      // touched by ReadFrame only
	noCap, noPly     Pacer        // pace the direction that was not opened
	period           int          // samples per device period
	plyLimit         int          // samples WriteFrame lets queue; WriteFrame only
	plySeen          uint64       // underruns already answered by plyLimit
	plyCalm          int          // frames since the last underrun or shrink
	plyAdapted       bool         // adaptPlayback ran for the frame being written
	plyQueue         atomic.Int64 // plyLimit, for Stats
	epoch            time.Time    // plyLast counts from here (monotonic)
	plyLast          atomic.Int64 // when the card last took audio, since epoch; 0 before
	capReady         notify
	plySpace         notify
	closeOnce        sync.Once
	done             chan struct{}

	captured, played, drops, underruns, stalls atomic.Uint64
	capBacklog, plyAhead                       atomic.Uint64 // samples, summed per frame
}

// Open opens the sound devices described by cfg as a 48 kHz mono S16
// device.
func Open(cfg Config) (*Malgo, error) {
	if cfg.StallTimeout <= 0 {
		cfg.StallTimeout = time.Second
	}
	if cfg.PlaybackLatency <= 0 {
		cfg.PlaybackLatency = 60 * time.Millisecond
	}
	if cfg.Period <= 0 {
		cfg.Period = DefaultPeriod
	}
	period := max(1, int(int64(cfg.Period)*SampleRate/int64(time.Second)))
	ctx, err := newContext()
	if err != nil {
		return nil, err
	}
	m := &Malgo{
		cfg: cfg, ctx: ctx,
		capRing: newRing(1 << 14), plyRing: newRing(1 << 14),
		capReady: make(notify, 1), plySpace: make(notify, 1),
		capLag: newBacklog(period), period: period,
		noCap: Pacer{On: true}, noPly: Pacer{On: true},
		done: make(chan struct{}), epoch: time.Now(),
	}
	if err := m.open(); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

func (m *Malgo) find(kind malgo.DeviceType, want string, id *malgo.DeviceID) (bool, error) {
	if want == "" {
		return false, nil
	}
	infos, err := m.ctx.Devices(kind)
	if err != nil {
		return false, fmt.Errorf("device: list: %w", err)
	}
	for _, in := range infos {
		if idName(in.ID) == want || in.Name() == want {
			*id = in.ID
			return true, nil
		}
	}
	return false, fmt.Errorf("device: no such device %q", want)
}

func (m *Malgo) open() error {
	var names []string
	if !m.cfg.NoCapture {
		dc := malgo.DefaultDeviceConfig(malgo.Capture)
		dc.Capture.Format, dc.Capture.Channels, dc.SampleRate = malgo.FormatS16, 1, SampleRate
		dc.PeriodSizeInFrames = uint32(m.period)
		// The sound server delivers a period at a time but holds up to
		// Periods of them for a reader that is late: keep that slack at
		// captureSlack whatever the period, so a short period costs no
		// audio on a busy machine.
		dc.Periods = uint32(max(3, (captureSlack+m.cfg.Period-1)/m.cfg.Period))
		ok, err := m.find(malgo.Capture, m.cfg.Capture, &m.capID)
		if err != nil {
			return err
		}
		if ok {
			dc.Capture.DeviceID = m.cID(&m.capID)
		}
		dev, err := malgo.InitDevice(m.ctx.Context, dc, malgo.DeviceCallbacks{Data: m.onCapture})
		if err != nil {
			return fmt.Errorf("device: open capture %q: %w", nameOr(m.cfg.Capture), err)
		}
		m.cap = dev
		names = append(names, "mic "+nameOr(m.cfg.Capture))
	}
	if !m.cfg.NoPlayback {
		dc := malgo.DefaultDeviceConfig(malgo.Playback)
		dc.Playback.Format, dc.Playback.Channels, dc.SampleRate = malgo.FormatS16, 1, SampleRate
		dc.PeriodSizeInFrames = uint32(m.period)
		ok, err := m.find(malgo.Playback, m.cfg.Playback, &m.plyID)
		if err != nil {
			return err
		}
		if ok {
			dc.Playback.DeviceID = m.cID(&m.plyID)
		}
		dev, err := malgo.InitDevice(m.ctx.Context, dc, malgo.DeviceCallbacks{Data: m.onPlayback})
		if err != nil {
			return fmt.Errorf("device: open playback %q: %w", nameOr(m.cfg.Playback), err)
		}
		m.ply = dev
		names = append(names, "speaker "+nameOr(m.cfg.Playback))
	}
	m.name = "sound: " + strings.Join(names, ", ")
	for _, d := range []*malgo.Device{m.cap, m.ply} {
		if d != nil {
			if err := d.Start(); err != nil {
				return fmt.Errorf("device: start: %w", err)
			}
		}
	}
	return nil
}

// cID copies a device ID to C memory, as malgo's DeviceID.Pointer does,
// and remembers it so Close can free it.
func (m *Malgo) cID(id *malgo.DeviceID) unsafe.Pointer {
	p := id.Pointer()
	m.cIDs = append(m.cIDs, p)
	return p
}

func nameOr(s string) string {
	if s == "" {
		return "default"
	}
	return s
}

// onCapture runs on miniaudio's thread: copy, count, wake. Nothing else.
func (m *Malgo) onCapture(_, in []byte, _ uint32) {
	if dropped := m.capRing.writeLE16(in); dropped > 0 {
		m.drops.Add(uint64(dropped))
	}
	m.capReady.signal()
}

// onPlayback runs on miniaudio's thread: note the time, copy, count,
// wake. Nothing else.
func (m *Malgo) onPlayback(out, _ []byte, _ uint32) {
	m.plyLast.Store(max(1, int64(time.Since(m.epoch))))
	if short := m.plyRing.readLE16(out); short > 0 {
		m.underruns.Add(uint64(short))
	}
	m.plySpace.signal()
}

// Name implements Device.
func (m *Malgo) Name() string { return m.name }

// ReadFrame implements Source. It returns ErrStalled when nothing arrived
// for Config.StallTimeout. On a device opened with NoCapture it returns
// silence, paced to real time.
func (m *Malgo) ReadFrame(ctx context.Context, frame []int16) error {
	if len(frame) != FrameSamples {
		return ErrFrameSize
	}
	if m.cap == nil {
		// Opened without capture: silence, at real time.
		clear(frame)
		return m.noCap.Wait(ctx)
	}
	var timer *time.Timer
	for m.capRing.len() < FrameSamples {
		if timer == nil {
			timer = time.NewTimer(m.cfg.StallTimeout)
			defer timer.Stop()
		}
		select {
		case <-m.done:
			return ErrClosed
		case <-ctx.Done():
			return ctx.Err()
		case <-m.capReady:
		case <-timer.C:
			m.stalls.Add(1)
			return ErrStalled
		}
	}
	// Bound the capture latency: a reader that fell behind skips the
	// oldest audio (counted as drops) instead of lagging for ever.
	for m.capRing.len() > maxCaptureBacklog*FrameSamples {
		m.capRing.read(frame)
		m.drops.Add(FrameSamples)
	}
	m.capRing.read(frame)
	if n := m.capLag.observe(m.capRing.len()); n > 0 {
		m.drops.Add(uint64(m.capRing.skip(n)))
	}
	m.capBacklog.Add(uint64(m.capRing.len()))
	m.captured.Add(1)
	return nil
}

// WriteFrame implements Sink. On a device opened with NoPlayback it
// discards the frame, paced to real time.
func (m *Malgo) WriteFrame(ctx context.Context, frame []int16) error {
	if len(frame) != FrameSamples {
		return ErrFrameSize
	}
	return m.WriteSamples(ctx, frame)
}

// WriteSamples implements PartialSink.
func (m *Malgo) WriteSamples(ctx context.Context, frame []int16) error {
	if len(frame) == 0 || len(frame) > FrameSamples {
		return ErrFrameSize
	}
	if m.ply == nil {
		// Opened without playback: frames are discarded at real time, so
		// a player that the sink paces does not spin.
		return m.noPly.Wait(ctx)
	}
	if err := m.WaitWritable(ctx); err != nil {
		return err
	}
	m.plyAhead.Add(uint64(m.plyRing.len()))
	m.plyRing.write(frame)
	m.plyAdapted = false
	m.played.Add(1)
	return nil
}

// Stats implements Device.
func (m *Malgo) Stats() Stats {
	return Stats{
		Captured: m.captured.Load(), Played: m.played.Load(),
		CaptureDrops: m.drops.Load(), Underruns: m.underruns.Load(), Stalls: m.stalls.Load(),
		PlaybackQueue:  time.Duration(m.plyQueue.Load()) * time.Second / SampleRate,
		CaptureBacklog: samplesDuration(m.capBacklog.Load()),
		PlaybackAhead:  samplesDuration(m.plyAhead.Load()),
	}
}

func samplesDuration(n uint64) time.Duration {
	return time.Duration(float64(n) * float64(time.Second) / SampleRate)
}

// CloseTimeout bounds how long Close waits for the sound server.
const CloseTimeout = 3 * time.Second

// ErrCloseTimeout is returned by Close when the sound server did not let the
// devices go within CloseTimeout. Seen on a loaded machine with PulseAudio
// null sinks: miniaudio's device uninit never returned. The teardown goes on
// in the background (its goroutine stays in C until the server answers);
// the caller is not held up.
var ErrCloseTimeout = errors.New("device: sound server did not release the device in time")

// Close stops the devices (miniaudio waits for running callbacks) and frees
// the context, waiting at most CloseTimeout. Safe to call more than once.
func (m *Malgo) Close() error {
	var err error
	m.closeOnce.Do(func() {
		close(m.done)
		finished := make(chan struct{})
		go m.teardown(finished)
		t := time.NewTimer(CloseTimeout)
		defer t.Stop()
		select {
		case <-finished:
		case <-t.C:
			err = ErrCloseTimeout
		}
	})
	return err
}

// teardown frees the devices and the context, then closes finished.
func (m *Malgo) teardown(finished chan<- struct{}) {
	defer close(finished)
	for _, d := range []*malgo.Device{m.cap, m.ply} {
		if d != nil {
			d.Uninit()
		}
	}
	m.ctx.Uninit()
	m.ctx.Free()
	for _, p := range m.cIDs {
		C.free(p)
	}
}

// OpenOrNull opens the sound device and, when that fails (no sound server,
// no such device), returns a paced null device with an error wrapping
// ErrNullFallback and the cause: the product keeps running, and the caller
// shows the error once.
func OpenOrNull(cfg Config) (Device, error) {
	m, err := Open(cfg)
	if err != nil {
		return NewNull(true), fmt.Errorf("%w: %w", ErrNullFallback, err)
	}
	return m, nil
}
