//go:build cgo

package rtc

import (
	"context"
	"errors"
	"os/exec"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
)

// TestRealDevicesThroughPulse carries a tone from a PulseAudio null sink's
// monitor (A's microphone) over two loopback peer connections to another
// null sink (B's speaker) and detects it on that sink's monitor: the whole
// media path with real malgo devices. A stalled capture is retried once.
func TestRealDevicesThroughPulse(t *testing.T) {
	if out, err := exec.Command("../../scripts/pulse.sh").CombinedOutput(); err != nil {
		t.Skipf("pulseaudio cannot start here (scripts/pulse.sh: %v): %s", err, out)
	}
	for attempt := 1; ; attempt++ {
		latency, err := pulseCall(t)
		if err == nil {
			t.Logf("mouth-to-ear, steady state (tone frame handed to the mouth sink until detected on the ear monitor, including both PulseAudio buffers and a 20 ms detection frame): %v", latency)
			return
		}
		if errors.Is(err, device.ErrStalled) && attempt == 1 {
			t.Log("capture stalled, retrying once")
			continue
		}
		t.Fatal(err)
	}
}

func pulseCall(t *testing.T) (time.Duration, error) {
	open := func(cfg device.Config) *device.Malgo {
		d, err := device.Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	mouth := open(device.Config{Playback: "agentty_a", NoCapture: true})
	devA := open(device.Config{Capture: "agentty_a.monitor", NoPlayback: true})
	devB := open(device.Config{Capture: "agentty_a.monitor", Playback: "agentty_b"})
	ear := open(device.Config{Capture: "agentty_b.monitor", NoPlayback: true, StallTimeout: 3 * time.Second})

	api, err := NewAPI(APIConfig{LoopbackOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	pcA, _ := api.NewPeerConnection(webrtc.Configuration{})
	defer pcA.Close()
	pcB, _ := api.NewPeerConnection(webrtc.Configuration{})
	defer pcB.Close()
	callA, err := NewCall(pcA, CallConfig{Device: devA})
	if err != nil {
		t.Fatal(err)
	}
	defer callA.Close()
	callB, err := NewCall(pcB, CallConfig{Device: devB})
	if err != nil {
		t.Fatal(err)
	}
	defer callB.Close()
	signal(t, pcA, pcB)

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	// Phase 1 warms the path with the tone until the ear hears it; phase 2
	// goes silent until the ear hears silence; phase 3 restarts the tone and
	// times it from the first frame handed to the mouth to its detection.
	var phase atomic.Int32
	var toneAt atomic.Int64
	wg.Add(1)
	go func() { // the mouth: a DTMF '7' tone into agentty_a
		defer wg.Done()
		f := make([]int16, audio.FrameSamples)
		for off := 0; ctx.Err() == nil; off += len(f) {
			p := phase.Load()
			if p == 1 {
				clear(f)
			} else {
				dtmf.Generate(f, '7', audio.SampleRate, 0.3, off)
			}
			if p == 2 && toneAt.Load() == 0 {
				toneAt.Store(time.Now().UnixNano())
			}
			if mouth.WriteFrame(ctx, f) != nil {
				return
			}
		}
	}()
	f := make([]int16, audio.FrameSamples)
	hits, quiet := 0, 0
	for i := 0; i < 1000; i++ {
		if err := ear.ReadFrame(ctx, f); err != nil {
			return 0, err
		}
		d, ok := dtmf.Detect(f, audio.SampleRate)
		tone := ok && d == '7'
		switch phase.Load() {
		case 0:
			if tone {
				if hits++; hits == 5 {
					phase.Store(1)
				}
			}
		case 1:
			if quiet = quiet + 1; tone {
				quiet = 0
			}
			if quiet == 10 {
				phase.Store(2)
			}
		case 2:
			if tone && toneAt.Load() != 0 {
				t.Logf("A %s, B %s; quality at B %+v", devA.Name(), devB.Name(), callB.Quality())
				return time.Since(time.Unix(0, toneAt.Load())), nil
			}
		}
	}
	return 0, errors.New("tone never reached agentty_b.monitor")
}
