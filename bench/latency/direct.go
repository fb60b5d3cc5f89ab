package main

import (
	"context"
	"fmt"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/rtc"
)

// direct is the same call without the centre: two audio/rtc calls on
// loopback peer connections, the kiosk's microphone agentty_a.monitor, the
// agent's speaker agentty_b. The difference to the centre's figure is what
// the centre adds.
func direct(ctx context.Context, codec string) (func(), error) {
	codecs := []string{"opus"}
	if codec == "pcmu" {
		codecs = []string{"PCMU"}
	}
	api, err := rtc.NewAPI(rtc.APIConfig{Codecs: codecs, LoopbackOnly: true})
	if err != nil {
		return nil, err
	}
	var closers []func()
	stop := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	leg := func(cfg device.Config) (*webrtc.PeerConnection, *rtc.Call, error) {
		cfg.Period = devPeriod
		d, err := device.Open(cfg)
		if err != nil {
			return nil, nil, err
		}
		closers = append(closers, func() { d.Close() })
		pc, err := api.NewPeerConnection(webrtc.Configuration{})
		if err != nil {
			return nil, nil, err
		}
		closers = append(closers, func() { pc.Close() })
		c, err := rtc.NewCall(pc, rtc.CallConfig{Device: d, Codecs: codecs})
		if err != nil {
			return nil, nil, err
		}
		closers = append(closers, func() { c.Close() })
		return pc, c, nil
	}
	pcK, _, err := leg(device.Config{Capture: "agentty_a.monitor", NoPlayback: true})
	if err != nil {
		stop()
		return nil, err
	}
	pcA, callA, err := leg(device.Config{Playback: "agentty_b", NoCapture: true})
	if err != nil {
		stop()
		return nil, err
	}
	if err := negotiate(pcK, pcA); err != nil {
		stop()
		return nil, err
	}
	for i := 0; i < 200; i++ {
		if q := callA.Quality(); q.Received > 25 {
			time.Sleep(warmup)
			return func() {
				q := callA.Quality()
				note = fmt.Sprintf("agent: jitter %v, delay estimate %v", q.Jitter.Round(time.Millisecond/10), q.Delay.Round(time.Millisecond))
				stop()
			}, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	return nil, fmt.Errorf("no media reached the agent")
}

func negotiate(a, b *webrtc.PeerConnection) error {
	offer, err := a.CreateOffer(nil)
	if err != nil {
		return err
	}
	done := webrtc.GatheringCompletePromise(a)
	if err := a.SetLocalDescription(offer); err != nil {
		return err
	}
	<-done
	if err := b.SetRemoteDescription(*a.LocalDescription()); err != nil {
		return err
	}
	ans, err := b.CreateAnswer(nil)
	if err != nil {
		return err
	}
	done = webrtc.GatheringCompletePromise(b)
	if err := b.SetLocalDescription(ans); err != nil {
		return err
	}
	<-done
	return a.SetRemoteDescription(*b.LocalDescription())
}
