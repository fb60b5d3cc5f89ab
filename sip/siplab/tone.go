package siplab

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
)

// Tone is a paced test device: its microphone plays a sine of Hz for as
// long as the call lasts, computed frame by frame, and its speaker keeps
// the last second it was given (Recorded), so a long test costs neither
// memory nor copying.
type Tone struct {
	hz     float64
	rp, wp device.Pacer
	mu     sync.Mutex
	n      int     // samples generated so far (the sine's phase)
	last   []int16 // the last second played
	played uint64
	read   uint64
	closed atomic.Bool
}

// ToneDevice returns a Tone of hz.
func ToneDevice(hz float64) *Tone {
	return &Tone{hz: hz, rp: device.Pacer{On: true}, wp: device.Pacer{On: true}}
}

// Name implements device.Device.
func (d *Tone) Name() string { return fmt.Sprintf("tone %.0f Hz", d.hz) }

// ReadFrame implements device.Device: the next 20 ms of the sine.
func (d *Tone) ReadFrame(ctx context.Context, frame []int16) error {
	if d.closed.Load() {
		return device.ErrClosed
	}
	if err := d.rp.Wait(ctx); err != nil {
		return err
	}
	d.mu.Lock()
	n := d.n
	d.n += len(frame)
	d.read++
	d.mu.Unlock()
	for i := range frame {
		frame[i] = int16(0.3 * 32767 * math.Sin(2*math.Pi*d.hz*float64(n+i)/audio.SampleRate))
	}
	return nil
}

// WriteFrame implements device.Device.
func (d *Tone) WriteFrame(ctx context.Context, frame []int16) error {
	if d.closed.Load() {
		return device.ErrClosed
	}
	if err := d.wp.Wait(ctx); err != nil {
		return err
	}
	d.mu.Lock()
	d.last = append(d.last, frame...)
	if over := len(d.last) - audio.SampleRate; over > 0 {
		d.last = append(d.last[:0], d.last[over:]...)
	}
	d.played++
	d.mu.Unlock()
	return nil
}

// Recorded returns (a copy of) the last second the speaker played.
func (d *Tone) Recorded() []int16 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]int16(nil), d.last...)
}

// Stats implements device.Device.
func (d *Tone) Stats() device.Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return device.Stats{Captured: d.read, Played: d.played}
}

// Close implements device.Device.
func (d *Tone) Close() error {
	d.closed.Store(true)
	return nil
}

// HearsTone reports whether the last 200 ms of pcm (48 kHz) hold hz.
func HearsTone(pcm []int16, hz float64) bool {
	n := audio.SampleRate / 5
	if len(pcm) < n {
		return false
	}
	return dtmf.Power(pcm[len(pcm)-n:], hz, audio.SampleRate) > 0.001
}

// WaitTone waits until what dev played out in its last 200 ms holds hz
// (a Goertzel power above 0.001 of full scale), failing t after within.
func WaitTone(t testing.TB, dev interface{ Recorded() []int16 }, hz float64, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !HearsTone(dev.Recorded(), hz) {
		select {
		case <-tick.C:
		case <-deadline:
			rec := dev.Recorded()
			p := 0.0
			if len(rec) > audio.SampleRate/5 {
				p = dtmf.Power(rec[len(rec)-audio.SampleRate/5:], hz, audio.SampleRate)
			}
			t.Fatalf("no %.0f Hz heard within %v (power %.5f over %d samples)", hz, within, p, len(rec))
		}
	}
}

// HeardTone reports whether some 200 ms window of pcm (at rate) holds hz:
// for recordings read after the call, whose end may be silence.
func HeardTone(pcm []int16, rate int, hz float64) bool {
	n := rate / 5
	for i := 0; i+n <= len(pcm); i += n / 2 {
		if dtmf.Power(pcm[i:i+n], hz, rate) > 0.001 {
			return true
		}
	}
	return false
}

// WaitFor polls ok every 20 ms until it holds, failing t after within.
func WaitFor(t testing.TB, what string, within time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.After(within)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !ok() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("no %s within %v", what, within)
		}
	}
}
