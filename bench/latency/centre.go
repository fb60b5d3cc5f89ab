package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	lc "github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/local/media"
	"github.com/agentty/agentty/vendors/local/phone"
	"github.com/agentty/agentty/vendors/local/store"
)

// warmup is how long the call runs before the chirps: the receiver's jitter
// buffer settles.
var warmup = 3 * time.Second

// note describes the last centre run.
var note string

// agentDev is the agent's speaker in the last centre run.
var agentDev, kioskDev *device.Malgo

// centreLoss is the fraction of packets the centre path's phones drop
// as they send them (-loss).
var centreLoss float64

// randomLoss drops a fraction p of the packets at random, from a seed
// of its own, and counts them: a phone's Config.Drop (nil when p is 0).
type randomLoss struct {
	mu             sync.Mutex
	r              *rand.Rand
	p              float64
	asked, dropped int
}

func newRandomLoss(p float64, seed uint64) *randomLoss {
	return &randomLoss{r: rand.New(rand.NewPCG(seed, 17)), p: p}
}

func (l *randomLoss) drop() func(uint16) bool {
	if l.p <= 0 {
		return nil
	}
	return func(uint16) bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.asked++
		d := l.r.Float64() < l.p
		if d {
			l.dropped++
		}
		return d
	}
}

// counts returns how many packets were sent and how many of them dropped.
func (l *randomLoss) counts() (asked, dropped int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.asked, l.dropped
}

// centre runs an embedded centre with the media layer and a call from a
// kiosk (microphone agentty_a.monitor) to an agent (speaker agentty_b).
func centre(ctx context.Context, codec string) (func(), error) {
	dir, err := os.MkdirTemp("", "agentty-latency")
	if err != nil {
		return nil, err
	}
	m, err := media.New(media.Config{Loopback: true})
	if err != nil {
		return nil, err
	}
	srv, err := lc.NewServer(lc.ServerConfig{DataDir: dir, Listen: "127.0.0.1:0", Media: m})
	if err != nil {
		m.Close()
		return nil, err
	}
	var closers []func()
	stop := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
		srv.Close()
		os.RemoveAll(dir)
	}
	url, err := srv.Start()
	if err != nil {
		stop()
		return nil, err
	}
	losses := map[string]*randomLoss{}
	join := func(role session.Role, name string, cfg device.Config) (*local.MediaClient, error) {
		loss := newRandomLoss(centreLoss, uint64(len(losses)+1))
		losses[name] = loss
		tok, err := srv.Store().CreateToken(ctx, store.User{ID: name, Role: role, Groups: []string{"sales"}}, 0, time.Now())
		if err != nil {
			return nil, err
		}
		cl, err := local.NewMediaClient(local.ClientConfig{Server: url, Token: tok}, phone.Config{
			Codec: codec, Loopback: true, Drop: loss.drop(),
			OpenDevice: func(string) (device.Device, error) {
				cfg.Period = devPeriod
				d, err := device.Open(cfg)
				if err == nil && !cfg.NoPlayback {
					agentDev = d
				}
				if err == nil && !cfg.NoCapture {
					kioskDev = d
				}
				return d, err
			},
		})
		if err != nil {
			return nil, err
		}
		closers = append(closers, func() { cl.Close() })
		if err := cl.Connect(ctx); err != nil {
			return nil, err
		}
		go func() { // drain events; ends when the client closes them
			for range cl.Events() {
			}
		}()
		return cl, nil
	}
	agent, err := join(session.RoleAgent, "ana", device.Config{Playback: "agentty_b", NoCapture: true})
	if err != nil {
		stop()
		return nil, err
	}
	kiosk, err := join(session.RoleKiosk, "lobby", device.Config{Capture: "agentty_a.monitor", NoPlayback: true})
	if err != nil {
		stop()
		return nil, err
	}
	for _, step := range []struct {
		c    *local.MediaClient
		verb session.Verb
	}{{agent, session.VerbCheckIn}, {agent, session.VerbReady}, {kiosk, session.VerbCall}} {
		if err := step.c.Send(ctx, session.Command{Verb: step.verb}); err != nil {
			stop()
			return nil, fmt.Errorf("%s: %w", step.verb, err)
		}
	}
	// The call rings at once (the agent is ready); answer until it takes.
	for i := 0; ; i++ {
		if err := agent.Send(ctx, session.Command{Verb: session.VerbAnswer}); err == nil {
			break
		} else if i == 50 {
			stop()
			return nil, fmt.Errorf("answer: %w", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Wait for media: the agent's phone reports a live call with packets.
	for i := 0; i < 200; i++ {
		if q, ok := agent.Phone.Quality(""); ok && q.Received > 25 {
			time.Sleep(warmup)
			take := func() snap {
				ps, _ := agent.Phone.PlayerStats("")
				return snap{kiosk: kioskDev.Stats(), agent: agentDev.Stats(), player: ps}
			}
			before := take()
			return func() {
				q, _ := agent.Phone.Quality("")
				after := take()
				runParts = append(runParts, between(before, after))
				ps, ds, ks := after.player, after.agent, after.kiosk
				note = fmt.Sprintf("agent: jitter %v, jitter buffer target %v depth %d dropped %d trimmed %d concealed %d, loss %.1f%%; speaker queue %v, %d underrun samples; microphone %d samples dropped, %d stalls",
					q.Jitter.Round(time.Millisecond/10), ps.Jitter.Target, ps.Jitter.Depth, ps.Jitter.Dropped, ps.Trimmed, ps.Concealed, 100*q.Loss, ds.PlaybackQueue, ds.Underruns, ks.CaptureDrops, ks.Stalls)
				if asked, dropped := losses["lobby"].counts(); dropped > 0 {
					note += fmt.Sprintf("\n         the kiosk dropped %d of the %d packets it sent (%.1f%%)", dropped, asked, 100*float64(dropped)/float64(asked))
				}
				note += "\n         " + runParts[len(runParts)-1].String()
				stop()
			}, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	return nil, fmt.Errorf("no media reached the agent")
}
