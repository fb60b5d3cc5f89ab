package main

import (
	"context"
	"time"

	"github.com/agentty/agentty/audio/device"
)

// loop copies 20 ms frames from a malgo capture of agentty_a.monitor
// straight to a malgo playback into agentty_b: the devices' own share of
// the latency (capture period, framing, playback queue), with no codec,
// network or jitter buffer.
func loop(ctx context.Context) (func(), error) {
	mic, err := device.Open(device.Config{Capture: "agentty_a.monitor", NoPlayback: true})
	if err != nil {
		return nil, err
	}
	spk, err := device.Open(device.Config{Playback: "agentty_b", NoCapture: true})
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
				clear(f)
			}
			spk.WriteFrame(ctx, f)
		}
	}()
	time.Sleep(warmup)
	return func() {
		cancel()
		<-done
		mic.Close()
		spk.Close()
	}, nil
}
