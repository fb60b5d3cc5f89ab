// Package sim is `agentty demo`: the embedded centre in-process, simulated
// callers (Poisson arrivals, log-normal handle times, some who give up) and
// simulated colleagues (agents on real client connections who answer, talk,
// wrap up and take breaks), and a token for the human's seat. Phones runs
// the simulated parties' phones for the centre's media relay (its party
// opener: a spoken prompt, then an echo), for the demo and `agentty serve`.
package sim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/local/media"
)

// Config tunes the demo; zero fields take the defaults.
type Config struct {
	As       string   // the human's seat: agent (default), supervisor or kiosk
	DataDir  string   // default: a temporary directory removed on Close
	Listen   string   // default 127.0.0.1:0
	Groups   []string // default sales, support
	Agents   int      // simulated colleagues; default 4
	PerHour  float64  // caller arrivals per hour, over all groups; default 90
	Handle   time.Duration
	Patience time.Duration // mean time a caller waits before giving up; default 3 min
	// CallbackShare is the share of callers out of patience who ask to be
	// called back instead of leaving (0: none).
	CallbackShare float64
	WrapUp        time.Duration // colleagues' after-call work; default 8 s
	Seed          uint64
	Logger        *slog.Logger
	Journal       centre.Journal // the centre's journal of events and decisions; may be nil
}

// Demo is a running demo centre.
type Demo struct {
	URL   string // the centre, for the console's --server
	Token string // the human's token, for --token
	User  string // the human's user id

	srv     *centre.Server
	tmp     string
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	clients []*local.Client
}

// Start runs the demo until Close: the one-liner behind `agentty demo`.
func Start(ctx context.Context, cfg Config) (*Demo, error) {
	if cfg.As == "" {
		cfg.As = "agent"
	}
	if len(cfg.Groups) == 0 {
		cfg.Groups = []string{"sales", "support"}
	}
	if cfg.Agents == 0 {
		cfg.Agents = 4
	}
	if cfg.PerHour == 0 {
		cfg.PerHour = 90
	}
	if cfg.Handle == 0 {
		cfg.Handle = 90 * time.Second
	}
	if cfg.Patience == 0 {
		cfg.Patience = 3 * time.Minute
	}
	if cfg.WrapUp == 0 {
		cfg.WrapUp = 8 * time.Second
	}
	if cfg.Seed == 0 {
		cfg.Seed = uint64(time.Now().UnixNano())
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	d := &Demo{}
	if cfg.DataDir == "" {
		tmp, err := os.MkdirTemp("", "agentty-demo-")
		if err != nil {
			return nil, fmt.Errorf("sim: %w", err)
		}
		d.tmp, cfg.DataDir = tmp, tmp
	}
	for _, g := range cfg.Groups {
		// Disposition codes in every group, offered by the wrap-up picker
		// (c); none is required, so d ends wrap-up at once as before.
		spec := centre.GroupSpec{ID: g, WrapUp: 45 * time.Second, Codes: demoCodes}
		if err := centre.SetGroup(cfg.DataDir, spec); err != nil {
			d.cleanup()
			return nil, err
		}
	}
	human := map[string]string{"agent": "you", "supervisor": "boss", "kiosk": "lobby"}[cfg.As]
	if human == "" {
		d.cleanup()
		return nil, fmt.Errorf("sim: seat %q: want agent, supervisor or kiosk", cfg.As)
	}
	tok, err := centre.CreateToken(cfg.DataDir, cfg.As, human, cfg.Groups)
	if err != nil {
		d.cleanup()
		return nil, err
	}
	d.Token, d.User = tok, human
	// The media layer: simulated callers say a prompt, then echo the agent.
	// Calls are recorded on demand (record on|off) into DATA/recordings.
	link := &centre.RecordingLink{}
	loopback := media.LoopbackAddr(cfg.Listen)
	mdl, err := media.New(media.Config{Loopback: loopback, Logger: cfg.Logger,
		Parties:    NewPhones(PhonesConfig{Loopback: loopback, Logger: cfg.Logger}).Open,
		Recordings: filepath.Join(cfg.DataDir, "recordings"), OnRecording: link.Report})
	if err != nil {
		d.cleanup()
		return nil, err
	}
	srv, err := centre.NewServer(centre.ServerConfig{Listen: cfg.Listen, DataDir: cfg.DataDir, Logger: cfg.Logger, Media: mdl,
		Journal: cfg.Journal, Recordings: link, RecordingRetention: 24 * time.Hour})
	if err != nil {
		mdl.Close()
		d.cleanup()
		return nil, err
	}
	d.srv = srv
	if d.URL, err = srv.Start(); err != nil {
		d.Close()
		return nil, err
	}
	ctx, d.cancel = context.WithCancel(ctx)
	rng := rand.New(rand.NewPCG(cfg.Seed, 1))
	for i := range cfg.Agents {
		name := colleagues[i%len(colleagues)]
		if i >= len(colleagues) {
			name = fmt.Sprintf("%s%d", name, i/len(colleagues)+1)
		}
		tok, err := centre.CreateToken(cfg.DataDir, "agent", name, cfg.Groups)
		if err != nil {
			d.Close()
			return nil, err
		}
		cl, err := local.NewClient(local.ClientConfig{Server: d.URL, Token: tok, Logger: cfg.Logger})
		if err != nil {
			d.Close()
			return nil, err
		}
		if err := cl.Connect(ctx); err != nil {
			cl.Close()
			d.Close()
			return nil, fmt.Errorf("sim: colleague %s: %w", name, err)
		}
		d.clients = append(d.clients, cl)
		c := &colleague{cl: cl, rng: rand.New(rand.NewPCG(rng.Uint64(), 2)), cfg: cfg}
		d.wg.Add(1)
		go func() { defer d.wg.Done(); c.run(ctx) }()
	}
	callers := &callers{srv: srv, cfg: cfg, rng: rand.New(rand.NewPCG(rng.Uint64(), 3)), events: make(chan callerEvent, 1024)}
	d.wg.Add(1)
	go func() { defer d.wg.Done(); callers.run(ctx) }()
	return d, nil
}

var colleagues = []string{"ana", "bo", "chen", "dara", "eli", "femi", "gus", "hana"}

// Close stops the simulation and the centre and waits for them.
func (d *Demo) Close() error {
	if d.cancel != nil {
		d.cancel()
	}
	d.wg.Wait()
	for _, c := range d.clients {
		c.Close()
	}
	var err error
	if d.srv != nil {
		err = d.srv.Close()
	}
	d.cleanup()
	return err
}

func (d *Demo) cleanup() {
	if d.tmp != "" {
		os.RemoveAll(d.tmp)
	}
}

// lognormal draws a duration with the given mean and a spread of sigma.
func lognormal(rng *rand.Rand, mean time.Duration, sigma float64) time.Duration {
	mu := math.Log(float64(mean)) - sigma*sigma/2
	return time.Duration(math.Exp(mu + sigma*rng.NormFloat64()))
}

func exponential(rng *rand.Rand, mean time.Duration) time.Duration {
	return time.Duration(rng.ExpFloat64() * float64(mean))
}

var errStop = errors.New("sim: stopped")

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return errStop
	}
}

// demoCodes are the disposition codes of the demo's groups.
var demoCodes = []string{"resolved", "sale", "callback", "complaint", "wrong_number"}
