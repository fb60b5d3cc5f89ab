//go:build cgo

package media_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/internal/testenv"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/media"
)

// TestRealDevicesThroughTheCentre: a tone played into PulseAudio null sink
// agentty_a is the kiosk's microphone (agentty_a.monitor, a malgo device);
// the agent's speaker is null sink agentty_b (malgo); the tone is detected
// on agentty_b.monitor. A stalled capture is retried once.
func TestRealDevicesThroughTheCentre(t *testing.T) { onPulse(t, pulseCall) }

// onPulse starts PulseAudio with its null sinks (scripts/pulse.sh) and runs
// call, once more when a capture stalled.
func onPulse(t *testing.T, call func(*testing.T) error) {
	t.Helper()
	if out, err := exec.Command("../../../scripts/pulse.sh").CombinedOutput(); err != nil {
		testenv.Unavailable(t, "pulseaudio cannot start here (scripts/pulse.sh: %v): %s", err, out)
	}
	for attempt := 1; ; attempt++ {
		err := call(t)
		if err == nil {
			return
		}
		if errors.Is(err, device.ErrStalled) && attempt == 1 {
			t.Log("capture stalled, retrying once")
			continue
		}
		t.Fatal(err)
	}
}

func pulseCall(t *testing.T) error {
	open := func(cfg device.Config) (*device.Malgo, error) {
		d, err := device.Open(cfg)
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { d.Close() })
		return d, nil
	}
	mouth, err := open(device.Config{Playback: "agentty_a", NoCapture: true})
	if err != nil {
		testenv.Unavailable(t, "no null sink agentty_a: %v", err)
	}
	ear, err := open(device.Config{Capture: "agentty_b.monitor", NoPlayback: true, StallTimeout: 3 * time.Second})
	if err != nil {
		testenv.Unavailable(t, "no null sink agentty_b: %v", err)
	}
	c := newCentre(t, media.Config{})
	dev := func(cfg device.Config) func(string) (device.Device, error) {
		return func(string) (device.Device, error) { return device.Open(cfg) }
	}
	agent := c.signInDev(session.RoleAgent, "ana", dev(device.Config{Playback: "agentty_b", NoCapture: true}))
	kiosk := c.signInDev(session.RoleKiosk, "lobby", dev(device.Config{Capture: "agentty_a.monitor", NoPlayback: true}))
	connect(t, kiosk, agent)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	wg.Add(1)
	go func() { // the mouth: 1 kHz into agentty_a
		defer wg.Done()
		tone := audio.Tone{Freqs: []float64{1000}, Amplitude: 0.3}
		f := make([]int16, audio.FrameSamples)
		for ctx.Err() == nil {
			tone.Fill(f)
			if mouth.WriteFrame(ctx, f) != nil {
				return
			}
		}
	}()
	if err := hearTone(ctx, ear, 1000); err != nil {
		return err
	}
	q, _ := agent.cl.Phone.Quality("")
	t.Logf("tone through agentty_a -> kiosk -> centre -> agent -> agentty_b; agent quality %+v", q)
	return nil
}

// hearTone reads ear until it has heard hz in 25 frames, or ctx ends.
func hearTone(ctx context.Context, ear device.Device, hz float64) error {
	f := make([]int16, audio.FrameSamples)
	hits := 0
	for ctx.Err() == nil {
		if err := ear.ReadFrame(ctx, f); err != nil {
			return err
		}
		if toneAmp(f, hz) > 0.05 {
			if hits++; hits == 25 {
				return nil
			}
		}
	}
	return fmt.Errorf("the %.0f Hz tone never reached %s", hz, ear.Name())
}
