// Package ua is agentty's SIP user agent on github.com/emiago/sipgo:
// registration with digest auth (MD5 or SHA-256, qop auth as the server
// asks), refreshed before it expires and retried with backoff after a
// failure, and removed on Close.
package ua

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agentty/agentty/internal/selfcert"
	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// Config is one SIP account.
type Config struct {
	User, AuthUser, Password string
	// Domain is the registrar's domain (host or host:port).
	Domain string
	// Proxy is the outbound proxy host:port; empty sends to Domain.
	Proxy string
	// Transport is udp (default), tcp or tls.
	Transport string
	// TLS is the client side of transport tls (RootCAs: whom we trust;
	// nil: the system's roots). Over tls the UA also listens with a
	// throwaway self-signed certificate, for requests a proxy opens a
	// connection to send (proxies do not verify a phone's certificate).
	TLS         *tls.Config
	DisplayName string
	// Listen is the local address to bind (default 127.0.0.1:0 when the
	// proxy is on loopback, else 0.0.0.0:0).
	Listen string
	// Expires is the registration lifetime asked for (default 300 s).
	Expires time.Duration
	Logger  *slog.Logger
}

var setLogger sync.Once

// Errors of Register. The error text never contains the password.
var (
	// ErrAuth: the registrar refused our credentials (401/403 after them).
	ErrAuth = errors.New("credentials refused")
	// ErrUnknownUser: the registrar does not know the account (404).
	ErrUnknownUser = errors.New("unknown user")
)

// State is a registration change, given to OnState.
type State struct {
	Registered bool
	Attempt    int
	Err        error
}

// UA is one registered SIP account.
type UA struct {
	cfg    Config
	log    *slog.Logger
	ua     *sipgo.UserAgent
	Client *sipgo.Client
	Server *sipgo.Server
	// Contact is our contact header (after Listen).
	Contact sip.ContactHeader
	host    string
	port    int

	mu        sync.Mutex
	cseq      uint32
	callID    string
	cancel    context.CancelFunc
	done      chan struct{}
	onState   func(State)
	calls     *calls
	watcher   *watcher
	closed    bool
	stopServe context.CancelFunc
}

// New builds the UA and binds its listening socket. Handlers for incoming
// requests are set on u.Server by the caller before Register.
func New(cfg Config) (*UA, error) {
	if cfg.Transport == "" {
		cfg.Transport = "udp"
	}
	if cfg.AuthUser == "" {
		cfg.AuthUser = cfg.User
	}
	if cfg.Expires == 0 {
		cfg.Expires = 300 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.User == "" || cfg.Domain == "" {
		return nil, errors.New("ua: user and domain are required")
	}
	u := &UA{cfg: cfg, log: cfg.Logger, callID: sip.GenerateTagN(16)}
	// sipgo logs through a package default (to stderr unless set): send
	// it to the first UA's log, never to the terminal the TUI owns. It is
	// set once: sipgo reads it unguarded from its transports.
	setLogger.Do(func() { sip.SetDefaultLogger(cfg.Logger) })
	listen := cfg.Listen
	if listen == "" {
		listen = "0.0.0.0:0"
		if h, _, err := net.SplitHostPort(u.target()); err == nil {
			if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
				listen = "127.0.0.1:0"
			}
		}
	}
	host, port, err := bindFree(cfg.Transport, listen)
	if err != nil {
		return nil, fmt.Errorf("ua: listen %s: %w", listen, err)
	}
	u.host, u.port = host, port
	opts := []sipgo.UserAgentOption{sipgo.WithUserAgent("agentty"), sipgo.WithUserAgentHostname(host)}
	if cfg.Transport == "tls" {
		conf := cfg.TLS
		if conf == nil {
			conf = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		opts = append(opts, sipgo.WithUserAgenTLSConfig(conf))
	}
	u.ua, err = sipgo.NewUA(opts...)
	if err != nil {
		return nil, fmt.Errorf("ua: %w", err)
	}
	u.Server, _ = sipgo.NewServer(u.ua)
	u.Client, err = sipgo.NewClient(u.ua, sipgo.WithClientHostname(host))
	if err != nil {
		return nil, fmt.Errorf("ua: %w", err)
	}
	u.Contact = sip.ContactHeader{DisplayName: cfg.DisplayName,
		Address: sip.Uri{User: cfg.User, Host: host, Port: port, UriParams: sip.NewParams()}}
	if cfg.Transport != "udp" {
		u.Contact.Address.UriParams.Add("transport", cfg.Transport)
	}
	return u, nil
}

// Serve starts listening until Close; it returns once the socket is
// bound (ctx bounds only that wait).
func (u *UA) Serve(ctx context.Context) error {
	ready := make(chan struct{})
	errc := make(chan error, 1)
	sctx, stop := context.WithCancel(context.Background())
	u.mu.Lock()
	u.stopServe = stop
	u.mu.Unlock()
	sctx = context.WithValue(sctx, sipgo.ListenReadyCtxKey, sipgo.ListenReadyCtxValue(ready))
	addr := net.JoinHostPort(u.host, strconv.Itoa(u.port))
	var own selfcert.Cert
	if u.cfg.Transport == "tls" {
		var err error
		if own, err = selfcert.New(u.host); err != nil {
			stop()
			return fmt.Errorf("ua: listen: %w", err)
		}
	}
	go func() {
		if u.cfg.Transport == "tls" {
			errc <- u.Server.ListenAndServeTLS(sctx, "tls", addr, &tls.Config{Certificates: []tls.Certificate{own.TLS}, MinVersion: tls.VersionTLS12})
			return
		}
		errc <- u.Server.ListenAndServe(sctx, u.cfg.Transport, addr)
	}()
	select {
	case <-ready:
		return nil
	case err := <-errc:
		return fmt.Errorf("ua: listen: %w", err)
	case <-ctx.Done():
		return fmt.Errorf("ua: listen: %w", ctx.Err())
	}
}

func bindFree(transport, addr string) (string, int, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	if transport == "udp" {
		c, err := net.ListenPacket("udp", addr)
		if err != nil {
			return "", 0, err
		}
		defer c.Close()
		return host, c.LocalAddr().(*net.UDPAddr).Port, nil
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", 0, err
	}
	defer l.Close()
	return host, l.Addr().(*net.TCPAddr).Port, nil
}

func (u *UA) target() string {
	if u.cfg.Proxy != "" {
		return withPort(u.cfg.Proxy)
	}
	return withPort(u.cfg.Domain)
}

func withPort(h string) string {
	if _, _, err := net.SplitHostPort(h); err == nil {
		return h
	}
	return net.JoinHostPort(h, "5060")
}

// AOR is our address of record.
func (u *UA) AOR() sip.Uri {
	host, port := splitHostPort(u.cfg.Domain)
	return sip.Uri{User: u.cfg.User, Host: host, Port: port}
}

func splitHostPort(hp string) (string, int) {
	h, p, err := net.SplitHostPort(hp)
	if err != nil {
		return hp, 0
	}
	n, _ := strconv.Atoi(p)
	return h, n
}

// Register sends one REGISTER with expires (0 removes the binding) and
// answers with the granted lifetime.
func (u *UA) Register(ctx context.Context, expires time.Duration) (time.Duration, error) {
	aor := u.AOR()
	req := sip.NewRequest(sip.REGISTER, sip.Uri{Host: aor.Host, Port: aor.Port})
	req.SetDestination(u.target())
	req.SetTransport(strings.ToUpper(u.cfg.Transport))
	from := sip.FromHeader{DisplayName: u.cfg.DisplayName, Address: aor, Params: sip.NewParams()}
	from.Params.Add("tag", sip.GenerateTagN(10))
	req.AppendHeader(&from)
	req.AppendHeader(&sip.ToHeader{Address: aor, Params: sip.NewParams()})
	c := u.Contact
	req.AppendHeader(&c)
	cid := sip.CallIDHeader(u.callID)
	req.AppendHeader(&cid)
	u.mu.Lock()
	u.cseq++
	req.AppendHeader(&sip.CSeqHeader{SeqNo: u.cseq, MethodName: sip.REGISTER})
	u.mu.Unlock()
	req.AppendHeader(sip.NewHeader("Expires", strconv.Itoa(int(expires.Seconds()))))

	res, err := u.Client.Do(ctx, req)
	if err != nil {
		return 0, fmt.Errorf("ua: register %s: %w", aor.String(), err)
	}
	if res.StatusCode == 401 || res.StatusCode == 407 {
		u.mu.Lock()
		u.cseq++
		u.mu.Unlock()
		res, err = u.Client.DoDigestAuth(ctx, req, res, sipgo.DigestAuth{Username: u.cfg.AuthUser, Password: u.cfg.Password})
		if err != nil {
			return 0, fmt.Errorf("ua: register %s: %w", aor.String(), err)
		}
		if cs := req.CSeq(); cs != nil {
			u.mu.Lock()
			u.cseq = cs.SeqNo
			u.mu.Unlock()
		}
		if res.StatusCode == 401 || res.StatusCode == 407 || res.StatusCode == 403 {
			return 0, fmt.Errorf("ua: register %s: %d %s: %w", aor.String(), res.StatusCode, res.Reason, ErrAuth)
		}
	}
	switch {
	case res.StatusCode == 404:
		return 0, fmt.Errorf("ua: register %s: %w", aor.String(), ErrUnknownUser)
	case res.StatusCode == 403:
		return 0, fmt.Errorf("ua: register %s: 403 %s: %w", aor.String(), res.Reason, ErrAuth)
	case res.StatusCode != 200:
		return 0, fmt.Errorf("ua: register %s: %d %s", aor.String(), res.StatusCode, res.Reason)
	}
	got := expires
	if h := res.GetHeader("Expires"); h != nil {
		if n, err := strconv.Atoi(h.Value()); err == nil {
			got = time.Duration(n) * time.Second
		}
	}
	for _, h := range res.GetHeaders("Contact") {
		if ch, ok := h.(*sip.ContactHeader); ok && ch.Address.Host == u.Contact.Address.Host && ch.Address.Port == u.Contact.Address.Port {
			if e, ok := ch.Params.Get("expires"); ok {
				if n, err := strconv.Atoi(e); err == nil {
					got = time.Duration(n) * time.Second
				}
			}
		}
	}
	return got, nil
}

// Start registers once and then keeps the registration alive: refreshed
// at half its lifetime, retried with backoff (1 s doubling to 30 s) after
// a failure. onState is called from the refresh goroutine on every change.
func (u *UA) Start(ctx context.Context, onState func(State)) error {
	got, err := u.Register(ctx, u.cfg.Expires)
	if err != nil {
		return err
	}
	rctx, cancel := context.WithCancel(context.Background())
	u.mu.Lock()
	u.cancel, u.done, u.onState = cancel, make(chan struct{}), onState
	u.mu.Unlock()
	go u.refresh(rctx, got)
	return nil
}

func (u *UA) refresh(ctx context.Context, every time.Duration) {
	defer close(u.done)
	wait := every / 2
	attempt := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		rctx, cancel := context.WithTimeout(ctx, u.refreshTimeout())
		got, err := u.Register(rctx, u.cfg.Expires)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			attempt++
			u.log.Warn("sip: register refresh failed", "attempt", attempt, "err", err)
			u.onState(State{Attempt: attempt, Err: err})
			wait = min(time.Second<<min(attempt-1, 5), 30*time.Second)
			continue
		}
		if attempt > 0 {
			u.onState(State{Registered: true, Attempt: attempt})
		}
		attempt = 0
		wait = got / 2
	}
}

// refreshTimeout bounds one refresh: 8 s, or half the lifetime when
// that is shorter (at least a second), so a lost registrar is noticed
// before the binding runs out.
func (u *UA) refreshTimeout() time.Duration {
	return max(time.Second, min(8*time.Second, u.cfg.Expires/2))
}

// Close ends the watches (BLF), stops refreshing, removes the binding
// (best effort, 2 s) and closes the transports.
func (u *UA) Close() error {
	u.mu.Lock()
	u.closed = true
	u.mu.Unlock()
	u.stopWatching()
	u.mu.Lock()
	cancel, done := u.cancel, u.done
	u.cancel = nil
	u.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
		ctx, c := context.WithTimeout(context.Background(), 2*time.Second)
		_, _ = u.Register(ctx, 0)
		c()
	}
	u.mu.Lock()
	stop := u.stopServe
	u.mu.Unlock()
	if stop != nil {
		stop()
	}
	u.Client.Close()
	u.Server.Close()
	return u.ua.Close()
}
