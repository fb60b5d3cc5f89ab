//go:build cgo

package device

import (
	"context"
	"errors"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/agentty/agentty/audio/dtmf"
)

// pulseUp makes sure a PulseAudio daemon with the agentty null sinks runs
// (scripts/pulse.sh), or skips the test when one genuinely cannot start.
func pulseUp(t *testing.T) {
	t.Helper()
	out, err := exec.Command("../../scripts/pulse.sh").CombinedOutput()
	if err != nil {
		t.Skipf("pulseaudio cannot start here (scripts/pulse.sh: %v): %s", err, out)
	}
}

func TestListFindsNullSinks(t *testing.T) {
	pulseUp(t)
	infos, err := List()
	if err != nil {
		t.Fatal(err)
	}
	var sink, mon bool
	for _, in := range infos {
		sink = sink || (in.Name == "agentty_a" && !in.Capture)
		mon = mon || (in.Name == "agentty_a.monitor" && in.Capture)
	}
	if !sink || !mon {
		t.Fatalf("agentty_a / agentty_a.monitor not listed: %+v", infos)
	}
}

// TestPulseToneLoop plays a DTMF tone into the agentty_a sink through the
// device layer and detects it on agentty_a.monitor. About one capture in
// ten stalls here: a stall is retried once with fresh devices.
func TestPulseToneLoop(t *testing.T) {
	pulseUp(t)
	for attempt := 1; ; attempt++ {
		err := toneLoop(t, "agentty_a")
		if err == nil {
			return
		}
		if errors.Is(err, ErrStalled) && attempt == 1 {
			t.Logf("capture stalled, retrying once")
			continue
		}
		t.Fatal(err)
	}
}

func toneLoop(t *testing.T, sink string) error {
	play, err := Open(Config{Playback: sink, NoCapture: true})
	if err != nil {
		return err
	}
	defer play.Close()
	mic, err := Open(Config{Capture: sink + ".monitor", NoPlayback: true, StallTimeout: 2 * time.Second})
	if err != nil {
		return err
	}
	defer mic.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f := make([]int16, FrameSamples)
		for off := 0; ctx.Err() == nil; off += FrameSamples {
			dtmf.Generate(f, '5', SampleRate, 0.3, off)
			if play.WriteFrame(ctx, f) != nil {
				return
			}
		}
	}()
	defer wg.Wait()
	defer cancel()
	f := make([]int16, FrameSamples)
	hits := 0
	for i := 0; i < 250; i++ {
		if err := mic.ReadFrame(ctx, f); err != nil {
			return err
		}
		if d, ok := dtmf.Detect(f, SampleRate); ok && d == '5' {
			hits++
			if hits == 5 {
				t.Logf("tone detected after %d frames; play %+v, mic %+v", i+1, play.Stats(), mic.Stats())
				return nil
			}
		}
	}
	return errors.New("tone not detected in 5 s of capture")
}

func TestOpenOrNullFallsBack(t *testing.T) {
	dev, err := OpenOrNull(Config{Playback: "no_such_sink_xyz", NoCapture: true})
	defer dev.Close()
	if !errors.Is(err, ErrNullFallback) || dev.Name() != "null" {
		t.Fatalf("fallback: %v, %s", err, dev.Name())
	}
	t.Logf("user sees: %v", err)
}

// TestHalfOpenDevicePacesTheMissingDirection: a device opened for capture
// only still takes frames to play at real time (a player that its sink
// paces must not spin a core), and one opened for playback only gives
// silence at real time.
func TestHalfOpenDevicePacesTheMissingDirection(t *testing.T) {
	pulseUp(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, tc := range []struct {
		name string
		cfg  Config
		op   func(*Malgo, []int16) error
	}{
		{"capture only, writes", Config{Capture: "agentty_a.monitor", NoPlayback: true}, func(m *Malgo, f []int16) error { return m.WriteFrame(ctx, f) }},
		{"playback only, reads", Config{Playback: "agentty_a", NoCapture: true}, func(m *Malgo, f []int16) error { return m.ReadFrame(ctx, f) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Open(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			f := make([]int16, FrameSamples)
			f[0] = 1
			start := time.Now()
			for i := 0; i < 10; i++ {
				if err := tc.op(m, f); err != nil {
					t.Fatal(err)
				}
			}
			// Ten frames take nine frame periods at least (the first is at
			// once): a lower bound, so a slow machine cannot fail it.
			if el := time.Since(start); el < 9*FrameDuration {
				t.Fatalf("10 frames in %v: not paced", el)
			}
		})
	}
}

// TestDeadlineFollowsTheCard: a sound card says when its queue runs dry:
// after the period it is taking now, and the periods queued, in the
// future and no further off than what is queued.
func TestDeadlineFollowsTheCard(t *testing.T) {
	pulseUp(t)
	play, err := Open(Config{Playback: "agentty_a", NoCapture: true})
	if err != nil {
		t.Fatal(err)
	}
	defer play.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f := make([]int16, FrameSamples)
	checked := 0
	for i := 0; i < 100; i++ {
		if err := play.WaitWritable(ctx); err != nil {
			t.Fatal(err)
		}
		if dl, spare, ok := play.Deadline(); ok {
			queued := time.Duration(play.plyRing.len()) * time.Second / SampleRate
			ahead := time.Until(dl)
			// The callback that woke us may be a little late to be seen;
			// beyond that the deadline is what is queued plus a period.
			if ahead < -2*time.Millisecond || ahead > queued+play.Period()+2*time.Millisecond {
				t.Fatalf("deadline %v ahead with %v queued", ahead, queued)
			}
			if spare < 0 || spare >= play.Period() {
				t.Fatalf("spare %v, period %v", spare, play.Period())
			}
			checked++
		}
		if err := play.WriteSamples(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if checked < 90 {
		t.Fatalf("a deadline at %d of 100 writes", checked)
	}
}
