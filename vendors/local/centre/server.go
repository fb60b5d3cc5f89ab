// Package centre is the embedded contact centre: a WebSocket + JSON
// signalling server (docs/protocol.md) over the routing engine of package
// acd and the SQLite store of package store, with its admin one-liners,
// metrics and the seam for the media relay. Its client, the default
// backend, is package local; the two share only package proto.
package centre

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/proto"
	"github.com/agentty/agentty/vendors/local/store"
)

// ServerConfig configures the centre. DataDir is required.
type ServerConfig struct {
	Listen  string // host:port; default 127.0.0.1:7070
	DataDir string
	TLSCert string // with TLSKey, serve wss://
	TLSKey  string
	Logger  *slog.Logger

	Clock  vendors.Clock // default the system clock
	Engine acd.Config    // routing defaults and timers
	Media  Media         // default NopMedia

	Rate    float64 // frames per second a connection may send; default 50
	Burst   int     // default 100
	Outbox  int     // frames queued per connection before it is dropped; default 4096
	Backlog int     // events kept per user for resuming; default 1024

	// PingEvery and PingTimeout: the centre pings each signed-in client and
	// drops one whose pong is late (default proto.DefaultPingEvery/Timeout).
	PingEvery, PingTimeout time.Duration
	// AuthEvery is how often live sessions' tokens are checked again
	// (default DefaultAuthEvery); see CheckTokens.
	AuthEvery time.Duration
	// ByteRate is the bytes per second a connection may send (default
	// DefaultByteRate, burst four maximal frames).
	ByteRate float64
	// MaxUnauthed and MaxUnauthedPerAddr cap the sockets that have not
	// said hello yet, in total and per IP address (defaults
	// DefaultMaxUnauthed, DefaultMaxUnauthedPerAddr); past them the
	// upgrade gets 503.
	MaxUnauthed, MaxUnauthedPerAddr int
	// MetricsToken, when set, is the bearer token /metrics demands.
	MetricsToken string
	// StateRetention is how long agent state history is kept (default
	// DefaultStateRetention); BacklogKeep how long a user gone keeps its
	// resume backlog (default DefaultBacklogKeep).
	StateRetention, BacklogKeep time.Duration
	// OriginPatterns are the browser origins (host patterns, as
	// coder/websocket's AcceptOptions) allowed besides the centre's own
	// host; a browser's WebSocket from any other origin is refused.
	OriginPatterns []string

	// RecordingRetention, when positive, removes call recordings older
	// than this in the housekeeping (recordwire.go).
	RecordingRetention time.Duration
	// Recordings, when set, brings the media layer's recording reports
	// to this server (recordwire.go).
	Recordings *RecordingLink

	// Journal, when set, gets every event of every user and every routing
	// decision, from the engine's goroutine: it must not block.
	Journal Journal
}

// Journal is where the centre writes its log of events and decisions
// (package journal's *Journal is one).
type Journal interface {
	Event(to string, ev session.Event)
	Line(v any)
}

// Server is a running centre. Its zero value is not usable; call NewServer.
type Server struct {
	cfg     ServerConfig
	log     *slog.Logger
	clock   vendors.Clock
	store   *store.Store
	eng     *acd.Engine
	media   Media
	metrics *metrics // /metrics (metrics.go)
	recs    recQueue // the media layer's words on recordings (recordwire.go)

	ctx    context.Context
	cancel context.CancelFunc
	work   chan func()
	loopWG sync.WaitGroup

	mu     sync.Mutex // guards closed, conns, live, connWG.Add
	closed bool
	conns  map[*conn]bool
	live   map[string]*conn // each user's current connection
	connWG sync.WaitGroup

	// Media signals wait here for the loop, which drops those of calls
	// that ended (sendSignal, flushSignals).
	sigMu   sync.Mutex
	sigQ    []userSignal
	sigWake chan struct{}

	// owned by the loop goroutine
	onDetach func(user string) // test hook: a connection was let go
	users    map[string]*userSession
	sims     map[string]func(session.Event)
	trunkOut func(acd.TrunkOp) // the SIP trunk's dialler (trunk.go), nil without one
	live0    bool              // calls were live at the last storeLive (loop only)

	unauthed  map[string]int // sockets before hello by IP (under mu)
	unauthedN int

	httpSrv *http.Server
	ln      net.Listener
	serveWG sync.WaitGroup
}

// userSession is what the server remembers of a user between connections:
// event sequence numbers and the recent events, for resuming.
type userSession struct {
	seq     int64
	backlog []backlogItem // ring, oldest first after wrap
	conn    *conn
	left    time.Time // when conn last went (zero while connected)
}

type backlogItem struct {
	seq   int64
	frame []byte
}

// NewServer opens the store and starts the engine loop. Close stops it.
func NewServer(cfg ServerConfig) (*Server, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("local: server: no data directory")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = vendors.SystemClock{}
	}
	if cfg.Media == nil {
		cfg.Media = NopMedia{}
	}
	if cfg.Rate == 0 {
		cfg.Rate = 50
	}
	if cfg.Burst == 0 {
		cfg.Burst = 100
	}
	if cfg.Outbox == 0 {
		cfg.Outbox = 4096
	}
	if cfg.Backlog == 0 {
		cfg.Backlog = 1024
	}
	if cfg.StateRetention <= 0 {
		cfg.StateRetention = DefaultStateRetention
	}
	if cfg.BacklogKeep <= 0 {
		cfg.BacklogKeep = DefaultBacklogKeep
	}
	if cfg.MaxUnauthed <= 0 {
		cfg.MaxUnauthed = DefaultMaxUnauthed
	}
	if cfg.MaxUnauthedPerAddr <= 0 {
		cfg.MaxUnauthedPerAddr = DefaultMaxUnauthedPerAddr
	}
	if cfg.ByteRate <= 0 {
		cfg.ByteRate = DefaultByteRate
	}
	if cfg.AuthEvery <= 0 {
		cfg.AuthEvery = DefaultAuthEvery
	}
	if cfg.PingEvery <= 0 {
		cfg.PingEvery = proto.DefaultPingEvery
	}
	if cfg.PingTimeout <= 0 {
		cfg.PingTimeout = proto.DefaultPingTimeout
	}
	if cfg.Engine.Version == "" {
		cfg.Engine.Version = fmt.Sprint(proto.Version)
	}
	st, err := store.Open(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("local: server: %w", err)
	}
	met := newMetrics()
	cfg.Engine.Observe = met.observer(cfg.Engine.Observe)
	s := &Server{cfg: cfg, log: cfg.Logger, clock: cfg.Clock, store: st, eng: acd.New(cfg.Engine), media: cfg.Media, metrics: met,
		work: make(chan func(), 256), sigWake: make(chan struct{}, 1), conns: map[*conn]bool{}, live: map[string]*conn{}, users: map[string]*userSession{}, sims: map[string]func(session.Event){}}
	met.srv = s
	if err := s.load(); err != nil {
		st.Close()
		return nil, err
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	cfg.Recordings.bind(s)
	s.media.Start(s.sendSignal)
	if w, ok := s.media.(MediaWatcher); ok {
		w.WatchMedia(s.sendMediaEvent)
	}
	s.loopWG.Add(4)
	go s.loop()
	go s.heartbeat()
	go s.authWatch()
	go s.housekeeping()
	return s, nil
}

// load gives the engine the stored groups and users.
func (s *Server) load() error {
	ctx := context.Background()
	groups, err := s.store.Groups(ctx)
	if err != nil {
		return fmt.Errorf("local: server: %w", err)
	}
	codes, err := s.store.AllGroupCodes(ctx)
	if err != nil {
		return fmt.Errorf("local: server: %w", err)
	}
	for _, g := range groups {
		gc := codes[g.ID]
		if err := s.eng.SetGroup(acd.GroupConfig{ID: g.ID, Name: g.Name, Strategy: acd.Strategy(g.Strategy),
			RingTimeout: g.RingTimeout, WrapUp: g.WrapUp, RestLimit: g.RestLimit,
			Codes: gc.Codes, CodeRequired: gc.Required}); err != nil {
			s.log.Warn("local: stored group ignored", "group", g.ID, "err", err)
		}
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return fmt.Errorf("local: server: %w", err)
	}
	for _, u := range users {
		s.eng.AddUser(acd.User{ID: u.ID, Name: u.Name, Role: u.Role, Groups: u.Groups})
	}
	if err := s.loadRecordPolicies(ctx); err != nil {
		return err
	}
	return s.closeLive(ctx)
}

// Store returns the server's store (for minting tokens in tests and demos).
func (s *Server) Store() *store.Store { return s.store }

// loop owns the engine: it runs submitted work and fires timers.
func (s *Server) loop() {
	defer s.loopWG.Done()
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		if next := s.eng.Next(); !next.IsZero() {
			t.Reset(max(next.Sub(s.clock.Now()), time.Millisecond))
		} else {
			t.Reset(time.Hour)
		}
		select {
		case f := <-s.work:
			f()
		case <-s.sigWake:
			s.flushSignals()
		case <-t.C:
		case <-s.ctx.Done():
			return
		}
		s.deliver(s.eng.Fire(s.clock.Now()))
		s.drainRecordings()
	}
}

// do runs f on the loop and waits for it.
func (s *Server) do(ctx context.Context, f func()) error {
	done := make(chan struct{})
	select {
	case s.work <- func() { f(); close(done) }:
	case <-s.ctx.Done():
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-s.ctx.Done():
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

var errClosed = errors.New("local: server closed")

// Poke makes the loop fire every timer due by the server's clock: tests
// with an injected clock advance it, then Poke.
func (s *Server) Poke() { _ = s.do(context.Background(), func() {}) }

// Close stops serving, drops every connection, stops the loop and closes
// the store. It waits for every goroutine the server started.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for c := range s.conns {
		c.kill()
	}
	s.mu.Unlock()
	if s.httpSrv != nil {
		s.httpSrv.Close()
		s.serveWG.Wait()
	}
	s.connWG.Wait()
	s.cancel()
	s.loopWG.Wait()
	if s.live0 {
		_ = s.store.Alive(context.Background(), s.clock.Now()) // a stop, not a crash: talk time runs to now
	}
	merr := s.media.Close()
	return errors.Join(merr, s.store.Close())
}

// snapshot reports events that replace what came before (the roster, the
// queue board): they stay out of the resume backlog, since a resuming
// client gets fresh ones.
func snapshot(e session.Event) bool {
	switch e.(type) {
	case session.AgentRoster, session.QueueStats, session.ConnectionSynced:
		return true
	}
	return false
}
