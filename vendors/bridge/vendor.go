package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

// Translator turns one vendor event into session events (the seed packages'
// Translator types satisfy it).
type Translator interface {
	Decode(m wire.Msg, at time.Time) ([]session.Event, error)
}

// Spec describes one seed vendor to the bridge.
type Spec struct {
	Name string
	Caps []session.Verb
	Role session.Role
	// OwnConnect: the vendor reports its own connection and sign-in
	// (Voximplant); otherwise the page's hello stands for both.
	OwnConnect    bool
	NewTranslator func() Translator
	Encode        func(session.Command) (wire.Call, error)
	// After returns SDK calls the seed requires after an event (Videsk
	// destroy after ended); nil when none.
	After func(event string) []wire.Call
	// Await names the vendor events that answer a command, for SDKs whose
	// methods return nothing and report by event (phone-sdk); Send waits
	// for one of them so its events are out before it returns.
	Await func(session.Verb) []string
	// Reconnect reports whether the page must rebuild the SDK's instance
	// after an event (Videsk network-issues); the shim's "reconnect" call
	// does it.
	Reconnect func(event string) bool
	// SDK is served as sdk.js; Files serves anything else the page loads.
	SDK   []byte
	Files http.FileSystem
	Body  string // extra HTML before the scripts (an iframe)
}

// Browser opens the page: headless Chromium (Chromium) or the person's own
// browser (PrintURL).
type Browser interface {
	Open(ctx context.Context, url string) (stop func(), err error)
}

// Vendor is a vendors.Vendor whose backend is a vendor SDK in a page.
type Vendor struct {
	spec    Spec
	config  string
	browser Browser
	clock   vendors.Clock
	log     *slog.Logger
	tr      Translator

	options  map[string]string
	login    bool       // a user is configured: an OwnConnect vendor signs in
	signedIn chan error // the first sign-in outcome (OwnConnect)
	media    *media
	nullSaid atomic.Bool
	// OpenDevice opens a call's microphone and speaker; nil means the
	// options' devices (as the SIP backend), falling back to the null
	// device. Set it before Connect.
	OpenDevice func() (device.Device, error)

	events chan session.Event
	// Counters counts undecodable events; Refused counts refused requests
	// and frames with a wrong secret.
	Counters wire.Counters
	Refused  atomic.Int64

	sendMu    sync.RWMutex // held to send on events; Close takes it to close events
	mu        sync.Mutex
	srv       *server
	conn      *websocket.Conn
	stop      func()
	cancel    context.CancelFunc
	nextID    int64
	pending   map[int64]chan string
	awaiting  map[string][]chan struct{} // vendor event name -> Send waiting for it
	connected bool
	closed    bool
	// state is the session as the events emitted so far make it: Send
	// refuses what it forbids, so the bridge refuses on its own what the
	// vendor's SDK might silently accept.
	state session.State
	wg    sync.WaitGroup
	ready chan struct{}
}

// New returns an unconnected bridge vendor. config is handed to the vendor
// shim as JSON (account, user, token...).
func New(spec Spec, config map[string]string, b Browser, cfg vendors.Config) *Vendor {
	if config == nil {
		config = map[string]string{}
	}
	cj, _ := json.Marshal(config)
	if cfg.Clock == nil {
		cfg.Clock = vendors.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	v := &Vendor{spec: spec, config: string(cj), browser: b, clock: cfg.Clock, log: cfg.Logger, options: cfg.Options,
		login: config["user"] != "", signedIn: make(chan error, 1),
		tr: spec.NewTranslator(), events: make(chan session.Event, 256),
		pending: map[int64]chan string{}, awaiting: map[string][]chan struct{}{}, ready: make(chan struct{})}
	v.media = newMedia(v, func() (device.Device, error) {
		if v.OpenDevice != nil {
			return v.OpenDevice()
		}
		return v.openDevice()
	})
	return v
}

// Name returns the vendor's name.
func (v *Vendor) Name() string { return v.spec.Name }

// Capabilities is the seed's verb set.
func (v *Vendor) Capabilities() session.Capabilities { return session.NewCapabilities(v.spec.Caps...) }

// Events returns the event channel.
func (v *Vendor) Events() <-chan session.Event { return v.events }

// ErrSecondInstance refuses a second Connect (Videsk: one instance only).
var ErrSecondInstance = errors.New("bridge: already connected; the vendor allows one instance only")

// Connect serves the page, opens it and waits for the shim's hello.
func (v *Vendor) Connect(ctx context.Context) error {
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		return vendors.ErrClosed
	}
	if v.srv != nil {
		v.mu.Unlock()
		return ErrSecondInstance
	}
	srv, err := startServer(v.spec, v.config, v.refuse)
	if err != nil {
		v.mu.Unlock()
		return err
	}
	v.srv = srv
	v.media.key = secretKey(srv.secret)
	rctx, cancel := context.WithCancel(context.Background())
	v.cancel = cancel
	v.mu.Unlock()

	stop, err := v.browser.Open(ctx, srv.URL())
	if err != nil {
		v.emit(session.ConnectionFailed{Base: v.base(), Reason: err.Error()})
		return fmt.Errorf("bridge: %s: open page: %w", v.spec.Name, err)
	}
	v.mu.Lock()
	v.stop = stop
	v.mu.Unlock()
	select {
	case c := <-srv.conns:
		v.mu.Lock()
		v.conn = c.c
		v.mu.Unlock()
		v.wg.Add(1)
		go v.read(rctx, c.c)
	case <-ctx.Done():
		v.emit(session.ConnectionFailed{Base: v.base(), Reason: "the page did not connect"})
		return fmt.Errorf("bridge: %s: page did not connect: %w", v.spec.Name, ctx.Err())
	}
	select {
	case <-v.ready:
	case <-ctx.Done():
		return fmt.Errorf("bridge: %s: no hello from the page: %w", v.spec.Name, ctx.Err())
	}
	if !v.spec.OwnConnect {
		return nil
	}
	select {
	case err := <-v.signedIn:
		if err != nil {
			return fmt.Errorf("bridge: %s: %w", v.spec.Name, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("bridge: %s: no sign-in result: %w", v.spec.Name, ctx.Err())
	}
}

// signIn watches an OwnConnect vendor's events for Connect: its sign-in
// ends with auth.result (when a user is configured), or with
// connection.established (when none is), or fails with connection.failed.
// Reader goroutine only.
func (v *Vendor) signIn(e session.Event) {
	var err error
	switch x := e.(type) {
	case session.AuthResult:
		if !v.login {
			return
		}
		if !x.OK {
			err = fmt.Errorf("sign-in refused (%s)", x.Code)
		}
	case session.ConnectionEstablished:
		if v.login {
			return
		}
	case session.ConnectionFailed:
		err = fmt.Errorf("connection failed: %s", x.Reason)
	default:
		return
	}
	select {
	case v.signedIn <- err:
	default: // said already
	}
}

// URL is the page's address (for --bridge-browser=none); "" before Connect.
func (v *Vendor) URL() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.srv == nil {
		return ""
	}
	return v.srv.URL()
}

func (v *Vendor) base() session.Base { return session.Base{At: v.clock.Now()} }

func (v *Vendor) refuse(why string) {
	v.Refused.Add(1)
	v.log.Warn("bridge: refused", "vendor", v.spec.Name, "why", why)
}

// emit sends e unless closed. Events are sent from the reader goroutine, or
// from Connect/Send before they return.
func (v *Vendor) emit(e session.Event) {
	v.sendMu.RLock()
	defer v.sendMu.RUnlock()
	v.mu.Lock()
	closed := v.closed
	if !closed {
		v.state = session.Apply(v.state, e)
	}
	v.mu.Unlock()
	if !closed {
		v.events <- e
	}
}

// Close stops the reader, the browser and the server, then closes Events.
func (v *Vendor) Close() error {
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		return nil
	}
	v.closed = true
	srv, conn, stop, cancel := v.srv, v.conn, v.stop, v.cancel
	v.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	if conn != nil {
		conn.Close(websocket.StatusNormalClosure, "bye")
	}
	v.wg.Wait()
	v.media.stop()
	if stop != nil {
		stop()
	}
	if srv != nil {
		ctx, c := context.WithTimeout(context.Background(), 2*time.Second)
		srv.close(ctx) //nolint:errcheck
		c()
	}
	v.sendMu.Lock()
	close(v.events)
	v.sendMu.Unlock()
	return nil
}
