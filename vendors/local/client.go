// Package local is the default backend: a vendors.Vendor that speaks the
// embedded centre's protocol (package proto) to a centre of package
// centre, with or without a phone for the audio.
package local

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/local/proto"
)

// Name is the registry name of the local backend.
const Name = "local"

func init() {
	vendors.Register(Name, newVendor) // mediaclient.go: a Client with a phone
}

// ClientConfig configures a Client.
type ClientConfig struct {
	Server     string // ws://host:port or wss://host:port, with or without /ws
	Token      string // or @FILE: read from FILE (a token in argv shows in ps)
	Clock      vendors.Clock
	Logger     *slog.Logger
	MinBackoff time.Duration // first reconnect delay; default 250 ms, doubling to MaxBackoff
	MaxBackoff time.Duration // default 5 s
	GiveUp     time.Duration // stop reconnecting after this long; default 2 min
	TLS        *tls.Config   // for wss:// with a private CA; default the system roots
	// PingEvery and PingTimeout: the client pings the centre and treats a
	// late pong as a dead link (connection.lost, then reconnecting).
	// Default proto.DefaultPingEvery and proto.DefaultPingTimeout.
	PingEvery, PingTimeout time.Duration
	// OnSignal receives the media layer's signalling (SDP, ICE) for this
	// user. It is called on the client's reader goroutine and must not block.
	OnSignal func(proto.Signal)
}

// EventBuffer is the capacity of the Events channel. The client never drops
// an event; a consumer that stops reading for longer than this many events
// stalls the connection.
const EventBuffer = 4096

// Client is the local backend: a vendors.Vendor speaking docs/protocol.md
// to an embedded centre.
type Client struct {
	cfg    ClientConfig
	url    string
	events chan session.Event
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	ws      *websocket.Conn // nil while reconnecting
	pending map[int64]chan error
	nextID  int64
	lastSeq int64
	caps    session.Capabilities
	closed  bool
	started bool // Connect is under way or succeeded
	running bool // run owns the connection and closes events
}

// NewClient returns an unconnected client.
func NewClient(cfg ClientConfig) (*Client, error) {
	if cfg.Server == "" {
		return nil, errors.New("local: no server (want ws://HOST:PORT)")
	}
	if !strings.HasPrefix(cfg.Server, "ws://") && !strings.HasPrefix(cfg.Server, "wss://") {
		return nil, fmt.Errorf("local: server %q: want ws://HOST:PORT or wss://HOST:PORT", cfg.Server)
	}
	tok, err := proto.ReadSecret(cfg.Token)
	if err != nil {
		return nil, err
	}
	cfg.Token = tok
	if cfg.Clock == nil {
		cfg.Clock = vendors.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MinBackoff == 0 {
		cfg.MinBackoff = 250 * time.Millisecond
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = 5 * time.Second
	}
	if cfg.PingEvery <= 0 {
		cfg.PingEvery = proto.DefaultPingEvery
	}
	if cfg.PingTimeout <= 0 {
		cfg.PingTimeout = proto.DefaultPingTimeout
	}
	if cfg.GiveUp == 0 {
		cfg.GiveUp = 2 * time.Minute
	}
	c := &Client{cfg: cfg, url: cfg.Server, events: make(chan session.Event, EventBuffer), pending: map[int64]chan error{}}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	return c, nil
}

// Name returns "local".
func (c *Client) Name() string { return Name }

// Capabilities returns the verbs the centre allows this user's role; it is
// known once Connect has signed in (nil, meaning "not yet known", before).
func (c *Client) Capabilities() session.Capabilities {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.caps
}

// Events returns the event channel (see EventBuffer).
func (c *Client) Events() <-chan session.Event { return c.events }

func (c *Client) now() session.Base { return session.Base{At: c.cfg.Clock.Now()} }

// push delivers an event unless the client is closing.
func (c *Client) push(e session.Event) {
	if ce, ok := e.(session.ConnectionEstablished); ok && ce.Capabilities != nil {
		c.mu.Lock()
		c.caps = session.NewCapabilities(ce.Capabilities...)
		c.mu.Unlock()
	}
	select {
	case c.events <- e:
	case <-c.ctx.Done():
	}
}

// errAuth marks a sign-in the centre refused; the client does not retry it.
type errAuth struct{ code session.AuthCode }

func (e errAuth) Error() string { return "local: sign in refused: " + string(e.code) }

// dial opens a connection and signs in, resuming from lastSeq. It returns
// the events up to and including auth.result, for the caller to push once
// the connection is in place (or the refusal is final).
func (c *Client) dial(ctx context.Context, resume int64) (*websocket.Conn, []session.Event, error) {
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var opts *websocket.DialOptions
	if c.cfg.TLS != nil {
		opts = &websocket.DialOptions{HTTPClient: &http.Client{Transport: &http.Transport{TLSClientConfig: c.cfg.TLS}}}
	}
	ws, _, err := websocket.Dial(dctx, c.url, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("local: dial %s: %w", c.url, err)
	}
	ws.SetReadLimit(1 << 22) // a roster of thousands of agents is one frame
	hello := proto.Encode(proto.Frame{T: proto.KindHello, V: proto.Version, Token: c.cfg.Token, Resume: resume})
	if err := ws.Write(dctx, websocket.MessageText, hello); err != nil {
		ws.CloseNow()
		return nil, nil, fmt.Errorf("local: hello: %w", err)
	}
	var got []session.Event
	for {
		_, data, err := ws.Read(dctx)
		if err != nil {
			ws.CloseNow()
			return nil, nil, fmt.Errorf("local: sign in: %w", err)
		}
		f, e, err := proto.DecodeServer(data)
		if err != nil {
			c.cfg.Logger.Warn("local: bad frame from server", "err", err)
			continue
		}
		switch f.T {
		case proto.KindError:
			ws.CloseNow()
			return nil, got, fmt.Errorf("local: sign in: %s (%s)", f.Error, f.Code)
		case proto.KindEvent:
			c.noteSeq(f.Seq)
			got = append(got, e)
			if ar, ok := e.(session.AuthResult); ok {
				if !ar.OK {
					ws.CloseNow()
					return nil, got, errAuth{ar.Code}
				}
				return ws, got, nil
			}
		}
	}
}

func (c *Client) noteSeq(seq int64) {
	if seq > 0 {
		c.mu.Lock()
		c.lastSeq = seq
		c.mu.Unlock()
	}
}

// Connect dials and signs in; after it succeeds the client keeps the link
// up (reconnecting with backoff) until Close.
func (c *Client) Connect(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return vendors.ErrClosed
	}
	if c.started {
		c.mu.Unlock()
		return errors.New("local: already connected")
	}
	c.started = true
	c.wg.Add(1) // Close waits for this Connect, then for run
	c.mu.Unlock()
	ws, got, err := c.dial(ctx, 0)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil && c.closed {
		ws.CloseNow()
		err = vendors.ErrClosed
	}
	if err != nil {
		var ea errAuth
		c.mu.Unlock()
		for _, e := range got {
			c.push(e)
		}
		if !errors.As(err, &ea) && !errors.Is(err, vendors.ErrClosed) {
			c.push(session.ConnectionFailed{Base: c.now(), Reason: err.Error()})
		}
		c.mu.Lock()
		c.started = false
		c.wg.Done()
		return err
	}
	c.ws, c.running = ws, true
	c.mu.Unlock()
	for _, e := range got {
		c.push(e)
	}
	c.mu.Lock()
	go c.run(ws)
	return nil
}
