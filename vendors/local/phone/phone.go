// Package phone is the client side of the embedded centre's media: one pion
// PeerConnection per call, answering the centre's offers (the centre always
// offers), with the microphone and speaker of an audio/device attached,
// RFC 4733 DTMF, mute, levels and per-call quality that becomes call.quality
// and connection.degraded events.
//
// A Phone owns one goroutine (its loop) and one per call being negotiated;
// Close waits for all of them. pion's callbacks only hand work to the loop.
package phone

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/jitter"
	"github.com/agentty/agentty/audio/quality"
	"github.com/agentty/agentty/audio/rtc"
	"github.com/agentty/agentty/audio/stream"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/proto"
)

// Config configures a Phone.
type Config struct {
	// Send carries a signal to the centre. It is called on the phone's
	// goroutines and may block briefly (a WebSocket write).
	Send func(proto.Signal)
	// Devices names each call's microphone and speaker (devices or WAV
	// files; stream.OpenDevice).
	Devices stream.DeviceConfig
	// Codec is "opus" or "pcmu" (also "pcma"): the only codec offered back;
	// "" offers Opus, then G.711.
	Codec string
	// OpenDevice, when set, opens the device of a call instead of Devices
	// (tests, simulated callers). The phone closes it when the call ends. A
	// device that returns at once must pace itself (a Paced WAV device).
	OpenDevice func(callID string) (device.Device, error)
	// OnEvent gets call.quality, connection.degraded and media.mic events,
	// on the phone's loop goroutine; it must not block.
	OnEvent func(session.Event)
	// OnDigit gets each received DTMF digit, on a media goroutine; it must
	// not block.
	OnDigit func(callID string, d rune)
	// Loopback restricts ICE to 127.0.0.1 (tests, the demo); otherwise host
	// candidates on the host's addresses, no STUN.
	Loopback bool
	// Drop, when set, drops sent RTP packets it returns true for (loss
	// injection for tests and benches).
	Drop func(seq uint16) bool
	// QualityEvery is how often quality is reported (default 2 s).
	QualityEvery time.Duration
	// MediaSilence is how long without a packet makes a call's media
	// lost: call.media lost is reported and quality (MOS) no longer is,
	// until packets flow again (call.media restored). Default 3 s.
	MediaSilence time.Duration
	// Thresholds decide connection.degraded (zero: quality.DefaultThresholds).
	Thresholds quality.Thresholds
	Jitter     jitter.Config
	Logger     *slog.Logger
	Now        func() time.Time // event times; default time.Now
}

// Phone runs the calls' media. Its methods are safe from any goroutine.
type Phone struct {
	cfg     Config
	devices *stream.Devices // Config.Devices, switched by Devices().Use
	api     *webrtc.API
	codecs  []string
	mute    audio.Mute
	mic     audio.Meter
	spk     audio.Meter

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	jobs   chan func()

	mu     sync.Mutex
	calls  map[string]*call
	closed bool
}

// New starts a phone.
func New(cfg Config) (*Phone, error) {
	if cfg.Send == nil {
		return nil, errors.New("phone: no send function")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MediaSilence <= 0 {
		cfg.MediaSilence = 3 * time.Second
	}
	if cfg.QualityEvery <= 0 {
		cfg.QualityEvery = 2 * time.Second
	}
	if cfg.Thresholds == (quality.Thresholds{}) {
		cfg.Thresholds = quality.DefaultThresholds
	}
	codecs, err := rtc.CodecsFor(cfg.Codec)
	if err != nil {
		return nil, fmt.Errorf("phone: %w", err)
	}
	api, err := rtc.NewAPI(rtc.APIConfig{Codecs: codecs, LoopbackOnly: cfg.Loopback, SettingEngine: rtc.HostOnly(cfg.Loopback)})
	if err != nil {
		return nil, fmt.Errorf("phone: %w", err)
	}
	p := &Phone{cfg: cfg, devices: stream.NewDevices(cfg.Devices), api: api, codecs: codecs, jobs: make(chan func(), 256), calls: map[string]*call{}}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.wg.Add(1)
	go p.loop()
	return p, nil
}

// Devices is the phone's choice of sound devices: switching it takes
// effect from the next call (Config.OpenDevice, when set, overrides it).
func (p *Phone) Devices() *stream.Devices { return p.devices }

// post hands f to the loop unless the phone is closing.
func (p *Phone) post(f func()) {
	select {
	case p.jobs <- f:
	case <-p.ctx.Done():
	}
}

func (p *Phone) loop() {
	defer p.wg.Done()
	t := time.NewTicker(p.cfg.QualityEvery)
	defer t.Stop()
	for {
		select {
		case f := <-p.jobs:
			f()
		case <-t.C:
			p.report()
		case <-p.ctx.Done():
			return
		}
	}
}

// HandleSignal takes a signal from the centre. It does not block for long:
// the work happens on the phone's loop.
func (p *Phone) HandleSignal(s proto.Signal) {
	p.post(func() { p.signal(s) })
}

func (p *Phone) signal(s proto.Signal) {
	switch s.Kind {
	case "offer":
		p.mu.Lock()
		old := p.calls[s.CallID]
		p.mu.Unlock()
		if old != nil {
			p.drop(old)
		}
		if err := p.answer(s); err != nil {
			p.cfg.Logger.Warn("phone: answer", "call", s.CallID, "err", err)
		}
	case "ice":
		if c := p.find(s.CallID); c != nil && s.Candidate != "" {
			if err := c.pc.AddICECandidate(webrtc.ICECandidateInit{Candidate: s.Candidate}); err != nil {
				p.cfg.Logger.Warn("phone: ice", "call", s.CallID, "err", err)
			}
		}
	}
}

// find returns the call the centre knows as id, or that the console knows
// as id (a party meeting a call twice knows it as "c7.1"; the media layer
// uses the centre's "c7").
func (p *Phone) find(id string) *call {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.calls[id]; ok {
		return c
	}
	if base, _, ok := strings.Cut(id, "."); ok {
		return p.calls[base]
	}
	return nil
}

// End tears a call's media down (the console saw call.ended).
func (p *Phone) End(callID string) {
	p.post(func() {
		if c := p.find(callID); c != nil {
			p.drop(c)
		}
	})
}

// drop closes c and forgets it. Loop only.
func (p *Phone) drop(c *call) {
	p.mu.Lock()
	if p.calls[c.id] == c {
		delete(p.calls, c.id)
	}
	p.mu.Unlock()
	if err := c.close(); err != nil {
		p.cfg.Logger.Debug("phone: close call", "call", c.id, "err", err)
	}
}

// SetHeld tells the phone that the console saw callID held (call.held) or
// retrieved (call.retrieved): a held call receives nothing on purpose, so
// its silence is not reported as media lost.
func (p *Phone) SetHeld(callID string, held bool) {
	p.post(func() {
		if c := p.find(callID); c != nil {
			c.media.SetHeld(held, p.cfg.Now())
		}
	})
}

// SendDTMF sends digits on the call as RFC 4733 events ("" picks the only
// call).
func (p *Phone) SendDTMF(callID, digits string) error {
	c := p.pick(callID)
	if c == nil {
		return fmt.Errorf("phone: dtmf: no media for call %q", callID)
	}
	return c.media.SendDTMF(digits)
}

func (p *Phone) pick(callID string) *call {
	if callID != "" {
		return p.find(callID)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var last *call
	for _, c := range p.calls {
		if last == nil || c.media.Started().After(last.media.Started()) {
			last = c
		}
	}
	return last
}

// SetMuted mutes or unmutes the microphone on every call.
func (p *Phone) SetMuted(on bool) { p.mute.Set(on) }

// Muted reports the microphone's mute state.
func (p *Phone) Muted() bool { return p.mute.Muted() }

// Levels returns the latest microphone and speaker levels (atomic
// snapshots, cheap enough for a 15 Hz UI tick).
func (p *Phone) Levels() rtc.Levels { return rtc.Levels{Mic: p.mic.Load(), Speaker: p.spk.Load()} }

// Quality returns the call's quality ("" picks the latest call).
func (p *Phone) Quality(callID string) (rtc.QualityReport, bool) {
	c := p.pick(callID)
	if c == nil {
		return rtc.QualityReport{}, false
	}
	return c.media.Quality(), true
}

// Calls returns the ids of the calls with media.
func (p *Phone) Calls() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	ids := make([]string, 0, len(p.calls))
	for id := range p.calls {
		ids = append(ids, id)
	}
	return ids
}

// report sends each call's quality and a degraded notice on a change.
// Loop only.
func (p *Phone) report() {
	if p.cfg.OnEvent == nil {
		return
	}
	p.mu.Lock()
	calls := make([]*call, 0, len(p.calls))
	for _, c := range p.calls {
		calls = append(calls, c)
	}
	p.mu.Unlock()
	now := p.cfg.Now()
	for _, c := range calls {
		if !c.live() {
			continue
		}
		if lost, changed := c.media.MediaChange(now, p.cfg.MediaSilence); changed {
			st := session.MediaRestored
			if lost {
				st = session.MediaLost
			}
			p.cfg.OnEvent(session.CallMedia{CallBase: session.CallBase{At: now, CallID: c.id}, State: st})
		}
		q, became, recovered, ok := c.media.Report()
		if !ok {
			continue // no packets: no MOS to report
		}
		p.cfg.OnEvent(session.CallQuality{CallBase: session.CallBase{At: now, CallID: c.id}, Quality: session.QualityOf(q.Loss, q.Jitter, q.RTT, q.MOS)})
		switch {
		case became:
			p.cfg.OnEvent(session.ConnectionDegraded{Base: session.Base{At: now}, Detail: session.DegradedCallPrefix(c.id) + q.Reason})
		case recovered:
			p.cfg.OnEvent(session.ConnectionRecovered{Base: session.Base{At: now}, Detail: "call " + c.id})
		}
	}
}

// Close ends every call and waits for the phone's goroutines.
func (p *Phone) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.mu.Unlock()
	p.cancel()
	p.wg.Wait()
	p.mu.Lock()
	calls := p.calls
	p.calls = map[string]*call{}
	p.mu.Unlock()
	var err error
	for _, c := range calls {
		err = errors.Join(err, c.close())
	}
	return err
}
