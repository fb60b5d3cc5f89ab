package main

import (
	"context"
	"fmt"

	"time"

	"github.com/agentty/agentty/audio/device"
)

// frames is the phones' sound devices with nothing between them: a
// capture of agentty_a.monitor and a playback to agentty_b (the same
// malgo devices, periods and playback queue as the kiosk's and the
// agent's), copying each 20 ms frame from one to the other as it comes.
// It is the floor of any path that moves audio in 20 ms frames: the
// centre's figure above it is the codec, the network and the relay, and
// the jitter buffer.
func frames(ctx context.Context) (func(), error) {
	mic, err := device.Open(device.Config{Capture: "agentty_a.monitor", NoPlayback: true, Period: devPeriod})
	if err != nil {
		return nil, err
	}
	spk, err := device.Open(device.Config{Playback: "agentty_b", NoCapture: true, Period: devPeriod})
	if err != nil {
		mic.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		f := make([]int16, device.FrameSamples)
		for ctx.Err() == nil {
			if err := mic.ReadFrame(ctx, f); err != nil {
				if ctx.Err() == nil {
					clear(f)
				}
			}
			spk.WriteFrame(ctx, f)
		}
	}()
	time.Sleep(warmup) // the playback queue and the capture backlog settle
	before := snap{kiosk: mic.Stats(), agent: spk.Stats()}
	return func() {
		after := snap{kiosk: mic.Stats(), agent: spk.Stats()}
		p := between(before, after)
		runParts = append(runParts, p)
		note = fmt.Sprintf("speaker queue %v, %d underrun samples; microphone %d samples dropped\n         %v",
			after.agent.PlaybackQueue, after.agent.Underruns, after.kiosk.CaptureDrops, p)
		cancel()
		<-done
		spk.Close()
		mic.Close()
	}, nil
}
