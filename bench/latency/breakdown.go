package main

import (
	"fmt"
	"sort"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/stream"
)

// parts is where a centre run's mouth-to-ear time went, as far as the
// phones can see it, averaged over the chirps' window (the warm-up left
// out): the capture the kiosk's device held after each read, the agent's
// jitter buffer wait (arrival to playout), and the playback queued ahead
// of each frame written to the agent's device. The rest of a run's figure
// is the frame itself (20 ms: a sample waits for its frame to fill, then
// plays at its place in the frame), the codec's look-ahead, the network
// and relay, and the sound server's buffers (its capture fragment and
// playback target on each device, the mouth's and the ear's included).
type parts struct {
	capture, jitter, playback time.Duration
}

// snap is the counters a breakdown is taken from.
type snap struct {
	kiosk, agent device.Stats
	player       stream.Stats
}

// between averages the parts over the frames between a and b.
func between(a, b snap) parts {
	var p parts
	if n := b.kiosk.Captured - a.kiosk.Captured; n > 0 {
		p.capture = (b.kiosk.CaptureBacklog - a.kiosk.CaptureBacklog) / time.Duration(n)
	}
	if n := b.player.Jitter.Played - a.player.Jitter.Played; n > 0 {
		p.jitter = (b.player.Jitter.Waited - a.player.Jitter.Waited) / time.Duration(n)
	}
	if n := b.agent.Played - a.agent.Played; n > 0 {
		p.playback = (b.agent.PlaybackAhead - a.agent.PlaybackAhead) / time.Duration(n)
	}
	return p
}

func (p parts) String() string {
	return fmt.Sprintf("capture backlog %.1f ms, jitter buffer wait %.1f ms, playback queued ahead %.1f ms",
		ms(p.capture), ms(p.jitter), ms(p.playback))
}

// runParts collects each centre run's parts; printed with the medians.
var runParts []parts

// medianParts is each part's median over the runs.
func medianParts(ps []parts) parts {
	med := func(f func(parts) time.Duration) time.Duration {
		var d []time.Duration
		for _, p := range ps {
			d = append(d, f(p))
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[len(d)/2]
	}
	return parts{
		capture:  med(func(p parts) time.Duration { return p.capture }),
		jitter:   med(func(p parts) time.Duration { return p.jitter }),
		playback: med(func(p parts) time.Duration { return p.playback }),
	}
}
