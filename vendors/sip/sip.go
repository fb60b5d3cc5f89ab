// Package sip is the SIP backend: agentty as a softphone registered on any
// SIP server (sip/ua on sipgo, media by sip/sdp and audio/rtpleg). SIP has
// no ACD: checkin, checkout, rest, done and disposition are outside its
// capabilities; notready is do-not-disturb (incoming calls are answered
// 486 while it is set) and ready clears it.
//
// Options (vendors.Config.Options): user, auth_user, password, domain,
// proxy, transport (udp, tcp or tls), tls_ca (a PEM file of the CA to
// trust over tls instead of the system's), display_name, srtp, codecs
// (comma list), expires (registration lifetime in seconds, default 300),
// colleagues (comma list of extensions to watch), and the media options
// mic, speaker, mic-wav, speaker-wav.
package sip

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/stream"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/sdp"
	"github.com/agentty/agentty/sip/ua"
	"github.com/agentty/agentty/vendors"
)

func init() { vendors.Register("sip", New) }

// Backend is the SIP vendors.Vendor.
type Backend struct {
	cfg   vendors.Config
	ucfg  ua.Config
	media ua.Media
	// devices: the calls' microphone and speaker (vendors.Config.Media),
	// switched by UseDevice.
	devices *stream.Devices
	mic     audio.Meter // the calls' microphone level (Levels)
	spk     audio.Meter // the calls' speaker level
	ua      *ua.UA
	events  chan session.Event
	dnd     atomic.Bool
	// testDevice, when set (tests), opens every call's device.
	testDevice func() (device.Device, error)

	dialing      sync.Mutex // held by a dial until its call is registered
	mu           sync.Mutex
	calls        map[string]*ua.Call
	talked       map[string]time.Time // when each answered call was answered
	held         map[string]bool      // calls we hold
	remoteHeld   map[string]bool      // calls the far end holds
	transfers    map[string]transfer  // REFERs in progress, by call
	transferred  map[string]bool      // calls that left by a transfer
	closed       bool
	stopQuality  context.CancelFunc // ends the quality reports and the watches' set-up
	qualityEvery time.Duration
	once         sync.Once
}

// New builds the backend from settings; it does not dial.
func New(cfg vendors.Config) (vendors.Vendor, error) {
	o := cfg.Options
	b := &Backend{cfg: cfg, events: make(chan session.Event, 1024), calls: map[string]*ua.Call{}, talked: map[string]time.Time{},
		held: map[string]bool{}, remoteHeld: map[string]bool{}, transfers: map[string]transfer{}, transferred: map[string]bool{}, qualityEvery: qualityEvery}
	b.ucfg = ua.Config{User: o["user"], AuthUser: o["auth_user"], Password: o["password"], Domain: o["domain"],
		Proxy: o["proxy"], Transport: o["transport"], DisplayName: o["display_name"], Logger: cfg.Logger}
	if ca := strings.TrimSpace(o["tls_ca"]); ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			return nil, fmt.Errorf("sip: tls_ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("sip: tls_ca %s: no PEM certificate in it", ca)
		}
		b.ucfg.TLS = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	if e := strings.TrimSpace(o["expires"]); e != "" {
		n, err := strconv.Atoi(e)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("sip: expires %q: want a number of seconds", e)
		}
		b.ucfg.Expires = time.Duration(n) * time.Second
	}
	if b.ucfg.Domain == "" {
		b.ucfg.Domain = cfg.Server
	}
	if b.ucfg.User == "" || b.ucfg.Domain == "" {
		return nil, errors.New("sip: set user and domain ([sip] in config.toml, or --sip-user/--sip-domain)")
	}
	mode, err := sdp.ParseSRTPMode(o["srtp"])
	if err != nil {
		return nil, fmt.Errorf("sip: srtp: %w", err)
	}
	b.media.SRTP = mode
	b.devices = stream.NewDevices(stream.DeviceConfig{Mic: cfg.Media.Mic, Speaker: cfg.Media.Speaker, MicWAV: cfg.Media.MicWAV, SpeakerWAV: cfg.Media.SpeakerWAV})
	b.media.Device = b.openDevice
	b.media.MicMeter, b.media.SpeakerMeter = &b.mic, &b.spk
	if c := strings.TrimSpace(o["codecs"]); c != "" {
		b.media.Codecs = strings.Split(c, ",")
	}
	return b, nil
}

// Name is "sip".
func (b *Backend) Name() string { return "sip" }

// Capabilities: an agent's phone verbs without the ACD ones (checkin,
// checkout, rest, done, disposition) and without supervision. notready
// is the PBX's do-not-disturb and ready turns it off again.
func (b *Backend) Capabilities() session.Capabilities {
	return session.NewCapabilities(session.VerbReady, session.VerbNotReady, session.VerbDial, session.VerbAnswer,
		session.VerbReject, session.VerbHangup, session.VerbHold, session.VerbRetrieve, session.VerbTransfer,
		session.VerbDTMF, session.VerbMute, session.VerbUnmute)
}

// Events is the event stream.
func (b *Backend) Events() <-chan session.Event { return b.events }

func (b *Backend) now() time.Time { return b.cfg.Clock.Now() }

func (b *Backend) emit(e session.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.events <- e
	}
}

// Connect registers. A refused password is auth.result invalid_token, an
// unknown account unknown_user, anything else internal with
// connection.failed.
func (b *Backend) Connect(ctx context.Context) error {
	u, err := ua.New(b.ucfg)
	if err != nil {
		b.emit(session.ConnectionFailed{Base: session.Base{At: b.now()}, Reason: err.Error()})
		return err
	}
	b.ua = u
	u.EnableCalls(b.media, handler{b})
	if err := u.Serve(ctx); err != nil {
		b.emit(session.ConnectionFailed{Base: session.Base{At: b.now()}, Reason: err.Error()})
		return err
	}
	err = u.Start(ctx, b.onState)
	account := b.ucfg.User + "@" + b.ucfg.Domain
	switch {
	case errors.Is(err, ua.ErrAuth):
		b.emit(session.AuthResult{Base: session.Base{At: b.now()}, Code: session.AuthInvalidToken})
		return fmt.Errorf("sip: %s: the server refused the password", account)
	case errors.Is(err, ua.ErrUnknownUser):
		b.emit(session.AuthResult{Base: session.Base{At: b.now()}, Code: session.AuthUnknownUser})
		return fmt.Errorf("sip: %s: the server does not know this account", account)
	case err != nil:
		b.emit(session.ConnectionFailed{Base: session.Base{At: b.now()}, Reason: "registration failed"})
		b.emit(session.AuthResult{Base: session.Base{At: b.now()}, Code: session.AuthInternal})
		return fmt.Errorf("sip: %s: registration failed: %w", account, err)
	}
	b.emit(session.ConnectionEstablished{Base: session.Base{At: b.now()}, Vendor: "sip", Capabilities: b.Capabilities().List(), URIs: true})
	b.emit(session.AuthResult{Base: session.Base{At: b.now()}, OK: true, DisplayName: b.ucfg.DisplayName, User: b.ucfg.User, Role: session.RoleAgent})
	b.emitAvailability()
	bg, stop := context.WithCancel(context.Background())
	b.stopQuality = stop
	b.watchColleagues(bg)
	go b.reportQuality(bg)
	return nil
}

// emitAvailability tells the session whether calls reach us: ready, or
// not_ready while do-not-disturb is set.
func (b *Backend) emitAvailability() {
	if b.dnd.Load() {
		b.emit(session.AgentStateChanged{Base: session.Base{At: b.now()}, State: session.AgentNotReady, Reason: "do not disturb"})
		return
	}
	b.emit(session.AgentStateChanged{Base: session.Base{At: b.now()}, State: session.AgentReady})
}

func (b *Backend) onState(s ua.State) {
	switch {
	case s.Err != nil && s.Attempt == 1:
		b.emit(session.ConnectionLost{Base: session.Base{At: b.now()}, Reason: "registration lost"})
		b.emit(session.ConnectionReconnecting{Base: session.Base{At: b.now()}, Attempt: s.Attempt})
	case s.Err != nil:
		b.emit(session.ConnectionReconnecting{Base: session.Base{At: b.now()}, Attempt: s.Attempt})
	case s.Registered:
		b.emit(session.ConnectionRestored{Base: session.Base{At: b.now()}, Attempt: s.Attempt})
	}
}

// Close unregisters, hangs up and stops.
func (b *Backend) Close() error {
	b.once.Do(func() {
		b.mu.Lock()
		calls := make([]*ua.Call, 0, len(b.calls))
		for _, c := range b.calls {
			calls = append(calls, c)
		}
		b.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		for _, c := range calls {
			_ = c.Hangup(ctx)
		}
		cancel()
		if b.stopQuality != nil {
			b.stopQuality()
		}
		if b.ua != nil {
			b.ua.Close()
		}
		b.mu.Lock()
		b.closed = true
		close(b.events)
		b.mu.Unlock()
	})
	return nil
}
