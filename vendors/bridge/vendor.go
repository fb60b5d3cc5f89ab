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
	wg        sync.WaitGroup
	ready     chan struct{}
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
	return &Vendor{spec: spec, config: string(cj), browser: b, clock: cfg.Clock, log: cfg.Logger,
		tr: spec.NewTranslator(), events: make(chan session.Event, 256),
		pending: map[int64]chan string{}, awaiting: map[string][]chan struct{}{}, ready: make(chan struct{})}
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
		return nil
	case <-ctx.Done():
		return fmt.Errorf("bridge: %s: no hello from the page: %w", v.spec.Name, ctx.Err())
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
	v.mu.Unlock()
	if !closed {
		v.events <- e
	}
}

func (v *Vendor) read(ctx context.Context, c *websocket.Conn) {
	defer v.wg.Done()
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			if ctx.Err() == nil {
				v.emit(session.ConnectionLost{Base: v.base(), Reason: "the page closed"})
			}
			return
		}
		var f frame
		if err := json.Unmarshal(b, &f); err != nil || f.Secret != v.srv.secret {
			v.refuse("frame without the secret")
			continue
		}
		switch {
		case f.Hello != nil:
			if !v.spec.OwnConnect {
				v.emit(session.ConnectionEstablished{Base: v.base(), Vendor: v.spec.Name, Capabilities: v.spec.Caps})
				v.emit(session.AuthResult{Base: v.base(), OK: true, Role: v.spec.Role})
			}
			v.mu.Lock()
			if !v.connected {
				v.connected = true
				close(v.ready)
			}
			v.mu.Unlock()
		case f.Reply != nil:
			v.mu.Lock()
			ch := v.pending[*f.Reply]
			delete(v.pending, *f.Reply)
			v.mu.Unlock()
			if ch != nil {
				ch <- f.Error
			}
		case f.Event != "":
			evs, err := v.tr.Decode(wire.Msg{Event: f.Event, Data: f.Data}, v.clock.Now())
			if err != nil {
				v.Counters.Count(err)
				v.log.Warn("bridge: vendor event not translated", "vendor", v.spec.Name, "err", err)
			}
			for _, e := range evs {
				v.emit(e)
			}
			v.mu.Lock()
			for _, ch := range v.awaiting[f.Event] {
				select { // a waiter may be listed under several names
				case <-ch:
				default:
					close(ch)
				}
			}
			delete(v.awaiting, f.Event)
			v.mu.Unlock()
			if v.spec.Reconnect != nil && v.spec.Reconnect(f.Event) {
				v.emit(session.ConnectionReconnecting{Base: v.base(), Reason: f.Event, Attempt: 1})
				v.post(ctx, wire.Call{Method: "reconnect"}) //nolint:errcheck // best effort
			}
			if v.spec.After != nil {
				for _, call := range v.spec.After(f.Event) {
					v.post(ctx, call) //nolint:errcheck // best effort, logged by the page
				}
			}
		}
	}
}

// post writes one call to the page and returns its reply channel.
func (v *Vendor) post(ctx context.Context, call wire.Call) (chan string, error) {
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		return nil, vendors.ErrClosed
	}
	c := v.conn
	v.nextID++
	id := v.nextID
	ch := make(chan string, 1)
	v.pending[id] = ch
	v.mu.Unlock()
	if c == nil {
		return nil, errors.New("bridge: not connected")
	}
	b, _ := json.Marshal(command{ID: id, Method: call.Method, Args: call.Args})
	return ch, c.Write(ctx, websocket.MessageText, b)
}

// Post runs one vendor call in the page and waits for its answer: a
// contacts push (sfphone.PushContacts), or a test page's hook.
func (v *Vendor) Post(ctx context.Context, call wire.Call) error {
	ch, err := v.post(ctx, call)
	if err != nil {
		return err
	}
	select {
	case msg := <-ch:
		if msg != "" {
			return errors.New(msg)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Send encodes c with the seed's translator and runs it in the page.
func (v *Vendor) Send(ctx context.Context, c session.Command) error {
	v.mu.Lock()
	closed := v.closed
	v.mu.Unlock()
	if closed {
		return vendors.ErrClosed
	}
	fail := func(reason string) error {
		v.emit(session.CommandFailed{Base: v.base(), Command: c.String(), Reason: reason})
		return errors.New(reason)
	}
	call, err := v.spec.Encode(c)
	if err != nil {
		return fail(v.spec.Name + " has no " + string(c.Verb))
	}
	var answered chan struct{}
	if v.spec.Await != nil {
		if names := v.spec.Await(c.Verb); len(names) > 0 {
			answered = make(chan struct{})
			v.mu.Lock()
			for _, n := range names {
				v.awaiting[n] = append(v.awaiting[n], answered)
			}
			v.mu.Unlock()
			defer v.unawait(names, answered)
		}
	}
	ch, err := v.post(ctx, call)
	if err != nil {
		return fail("the bridge page is not reachable")
	}
	select {
	case msg := <-ch:
		if msg != "" {
			return fail(v.spec.Name + " refused " + string(c.Verb) + ": " + msg)
		}
	case <-ctx.Done():
		return fail("the page did not answer")
	}
	if answered == nil {
		return nil
	}
	wait, cancel := context.WithTimeout(ctx, AwaitTimeout)
	defer cancel()
	select {
	case <-answered:
		return nil
	case <-wait.Done():
		return fail(v.spec.Name + " did not answer " + string(c.Verb))
	}
}

// AwaitTimeout bounds Send's wait for the event that answers a command.
var AwaitTimeout = 5 * time.Second

// unawait drops a Send's waiter (answered or not); closing is read()'s.
func (v *Vendor) unawait(names []string, ch chan struct{}) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, n := range names {
		l := v.awaiting[n]
		for i, c := range l {
			if c == ch {
				v.awaiting[n] = append(l[:i:i], l[i+1:]...)
				break
			}
		}
		if len(v.awaiting[n]) == 0 {
			delete(v.awaiting, n)
		}
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
