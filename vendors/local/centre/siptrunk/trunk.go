// Package siptrunk lets SIP phones, PBXs and carrier trunks call into the
// embedded centre's queues. It listens for SIP over UDP, TCP and TLS (sipgo),
// admits INVITEs from allowed addresses only, routes the dialled number
// (the request-URI user) to a group, and places the call in the centre's
// engine exactly as a kiosk's call (centre.Server.TrunkCall): the same
// queue, position, wait estimate and call record, channel "sip", the
// caller's number from P-Asserted-Identity or From. The caller's audio is
// a plain RTP/SRTP leg (audio/rtpleg, relay kind) negotiated with sip/sdp
// that the centre's relay (vendors/local/media) carries: music on hold
// while the caller waits, then bridged to the answering agent's WebRTC
// leg, transcoding only where the codecs differ.
//
// Responses: 403 from an address not allowed, 404 for a number with no
// route, 400 for a malformed INVITE or SDP, 488 for an offer with no
// common codec or a delayed offer, 503 with Retry-After to a source
// sending INVITEs too fast, 486 when nobody serves the group (NoAgents
// "busy"). Each refusal is a log line.
//
// Ownership: the Trunk owns its listeners, sipgo's goroutines, and one
// goroutine per call (the INVITE handler's, which lives until the call
// ends); Close ends every call and waits for them.
package siptrunk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/sdp"
	"github.com/agentty/agentty/vendors/local/media"
)

// Centre is the part of centre.Server the trunk uses.
type Centre interface {
	TrunkCall(ctx context.Context, channel, from, group string, placed func(id string), sink func(session.Event)) (string, error)
	TrunkEnd(ctx context.Context, id, disp string) error
	SimLeave(ctx context.Context, id string) error
	TrunkDTMF(ctx context.Context, id, digits string) error
}

// Relay is the part of the media layer the trunk uses (*media.Server).
type Relay interface {
	AttachRTP(party string, r *media.RTPLeg)
	DetachRTP(party string)
	DetachRTPLeg(party string, r *media.RTPLeg)
	Queue(callID, party string)
}

// NoAgents policies: what a caller gets when nobody serves the group.
const (
	NoAgentsBusy  = "busy"  // 486 Busy Here, recorded as no_agents
	NoAgentsQueue = "queue" // answered; waits with music until an agent checks in
)

// Config configures a Trunk.
type Config struct {
	// Listen is host:port for UDP and TCP (e.g. 127.0.0.1:5080).
	Listen string
	// ListenTLS is host:port for SIP over TLS ("" : none), with the PEM
	// certificate and key files TLSCert and TLSKey (tls.go).
	ListenTLS, TLSCert, TLSKey string
	// Allow lists the networks that may send calls in; empty: loopback
	// only.
	Allow []netip.Prefix
	// Routes maps a dialled number (request-URI user) to a group;
	// DefaultGroup takes the rest ("" : the rest get 404).
	Routes       map[string]string
	DefaultGroup string
	// NoAgents is NoAgentsBusy (default), NoAgentsQueue or NoAgentsPrompt.
	NoAgents string
	// Answer is AnswerAtOnce (default) or AnswerEarly (early.go).
	Answer string
	// Prompts is the music, the no-agents prompt and the queue's position
	// and wait prompts (prompts.go).
	Prompts Prompts
	// Codecs is the SIP side's codec order (nil: pcmu, pcma, then opus
	// when built in); SRTP the SDES setting (zero: optional, so an
	// offered key is taken and a plain offer too).
	Codecs []string
	SRTP   sdp.SRTPMode
	// MediaAddr is the RTP address announced in SDP (zero: Listen's host,
	// or 127.0.0.1 when that is unspecified).
	MediaAddr netip.Addr
	// RTPTimeout ends a call whose caller sent no RTP for this long (no
	// BYE: the phone vanished); default 30 s, negative: never.
	RTPTimeout time.Duration
	// Rate limits INVITEs per source address: Burst at once, then Rate
	// per second (defaults 20 and 10).
	Rate  float64
	Burst int
	// Trunk is where agents' dials go out (sip:HOST:PORT; "" : dials stay
	// simulated); TrunkUser and TrunkPassword answer its digest
	// challenge; CallerID is the From user of calls out. The centre must
	// be a Dialler and run with acd.Config.TrunkOut.
	Trunk, TrunkUser, TrunkPassword, CallerID string
	// Centre and Relay are required (Relay nil: signalling only, no audio).
	Centre Centre
	Relay  Relay
	Logger *slog.Logger
}

// setLogger sends sipgo's package-wide log to the first trunk's log (as
// sip/ua does for the phone), never to the terminal.
var setLogger sync.Once

// Stats are the trunk's counters for /metrics.
type Stats struct {
	Outcomes map[string]int64 // finished inbound calls by outcome
	Live     int64            // calls up now
}

// Trunk is a running SIP trunk.
type Trunk struct {
	cfg  Config
	log  *slog.Logger
	ua   *sipgo.UserAgent
	srv  *sipgo.Server
	dua  *sipgo.DialogUA
	udp  net.PacketConn
	tcp  net.Listener
	addr netip.AddrPort

	tls     net.Listener // nil without ListenTLS (tls.go)
	tlsAddr netip.AddrPort
	duaTLS  *sipgo.DialogUA

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	limit  *limiter

	trunkURI sip.Uri
	dialler  Dialler

	mu       sync.Mutex
	calls    map[string]*inCall  // by dialog id
	outs     map[string]*outCall // by centre call id
	outByDlg map[string]*outCall // by dialog id, once up
	out      map[string]int64

	live atomic.Int64
}

// New binds the listeners and starts serving.
func New(cfg Config) (*Trunk, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Centre == nil {
		return nil, errors.New("siptrunk: no centre")
	}
	if cfg.NoAgents == "" {
		cfg.NoAgents = NoAgentsBusy
	}
	if cfg.NoAgents != NoAgentsBusy && cfg.NoAgents != NoAgentsQueue && cfg.NoAgents != NoAgentsPrompt {
		return nil, fmt.Errorf("siptrunk: no_agents %q: want busy, queue or prompt", cfg.NoAgents)
	}
	if cfg.NoAgents == NoAgentsPrompt && cfg.Prompts.NoAgents == nil {
		cfg.Prompts.NoAgents = builtInNoAgents()
	}
	if cfg.Answer == "" {
		cfg.Answer = AnswerAtOnce
	}
	if cfg.Answer != AnswerAtOnce && cfg.Answer != AnswerEarly {
		return nil, fmt.Errorf("siptrunk: answer %q: want at_once or early", cfg.Answer)
	}
	if cfg.Prompts.Every <= 0 {
		cfg.Prompts.Every = DefaultPromptEvery
	}
	if cfg.SRTP == "" {
		cfg.SRTP = sdp.SRTPOptional
	}
	if cfg.Codecs == nil {
		cfg.Codecs = []string{"pcmu", "pcma"}
		if hasOpus() {
			cfg.Codecs = append(cfg.Codecs, "opus")
		}
	}
	if cfg.RTPTimeout == 0 {
		cfg.RTPTimeout = 30 * time.Second
	}
	if len(cfg.Allow) == 0 {
		cfg.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	}
	ap, err := netip.ParseAddrPort(cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("siptrunk: listen %q: want IP:PORT: %w", cfg.Listen, err)
	}
	if !cfg.MediaAddr.IsValid() {
		cfg.MediaAddr = ap.Addr()
		if cfg.MediaAddr.IsUnspecified() {
			cfg.MediaAddr = netip.MustParseAddr("127.0.0.1")
		}
	}
	t := &Trunk{cfg: cfg, log: cfg.Logger, calls: map[string]*inCall{}, out: map[string]int64{},
		outs: map[string]*outCall{}, outByDlg: map[string]*outCall{},
		limit: newLimiter(cfg.Rate, cfg.Burst)}
	if err := t.listen(cfg.Listen, ap.Port() == 0); err != nil {
		return nil, err
	}
	if err := t.listenTLS(); err != nil {
		t.closeListeners()
		return nil, err
	}
	host := t.addr.Addr().String()
	// Before sipgo's goroutines start: they read the package's logger.
	setLogger.Do(func() { sip.SetDefaultLogger(cfg.Logger) })
	t.ua, err = sipgo.NewUA(sipgo.WithUserAgent("agentty-centre"), sipgo.WithUserAgentHostname(host))
	if err != nil {
		t.closeListeners()
		return nil, fmt.Errorf("siptrunk: %w", err)
	}
	t.srv, err = sipgo.NewServer(t.ua)
	if err != nil {
		t.closeListeners()
		return nil, fmt.Errorf("siptrunk: %w", err)
	}
	cli, err := sipgo.NewClient(t.ua, sipgo.WithClientHostname(host))
	if err != nil {
		t.closeListeners()
		return nil, fmt.Errorf("siptrunk: %w", err)
	}
	t.dua = &sipgo.DialogUA{Client: cli, ContactHDR: sip.ContactHeader{
		Address: sip.Uri{User: "centre", Host: host, Port: int(t.addr.Port())}}}
	if t.tls != nil {
		t.duaTLS = t.tlsDialogUA(cli, host)
	}
	t.srv.OnInvite(t.onInvite)
	t.srv.OnAck(t.onAck)
	t.srv.OnBye(t.onBye)
	t.srv.OnCancel(func(*sip.Request, sip.ServerTransaction) {}) // sipgo's transaction layer answers it
	t.srv.OnOptions(t.onOptions)
	t.ctx, t.cancel = context.WithCancel(context.Background())
	if cfg.Trunk != "" {
		if err := t.startOutbound(); err != nil {
			t.cancel()
			t.closeListeners()
			t.ua.Close()
			return nil, err
		}
	}
	t.wg.Add(2)
	go func() { defer t.wg.Done(); _ = t.srv.ServeUDP(t.udp) }()
	go func() { defer t.wg.Done(); _ = t.srv.ServeTCP(t.tcp) }()
	if t.tls != nil {
		t.wg.Add(1)
		go func() { defer t.wg.Done(); _ = t.srv.ServeTLS(t.tls) }()
	}
	t.log.Info("siptrunk: listening", "udp", t.addr.String(), "tcp", t.addr.String(), "tls", t.tlsAddr.String())
	return t, nil
}

// Addr is the bound address (UDP and TCP).
func (t *Trunk) Addr() netip.AddrPort { return t.addr }

// Stats returns the counters.
func (t *Trunk) Stats() Stats {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]int64, len(t.out))
	for k, v := range t.out {
		out[k] = v
	}
	return Stats{Outcomes: out, Live: t.live.Load()}
}

func (t *Trunk) count(outcome string) {
	t.mu.Lock()
	t.out[outcome]++
	t.mu.Unlock()
}

func (t *Trunk) closeListeners() {
	t.udp.Close()
	if t.tcp != nil {
		t.tcp.Close()
	}
	if t.tls != nil {
		t.tls.Close()
	}
}

// Close hangs every call up (BYE), stops listening and waits.
func (t *Trunk) Close() error {
	t.mu.Lock()
	calls := make([]*inCall, 0, len(t.calls))
	for _, c := range t.calls {
		calls = append(calls, c)
	}
	outs := make([]*outCall, 0, len(t.outs))
	for _, oc := range t.outs {
		outs = append(outs, oc)
	}
	t.mu.Unlock()
	for _, c := range calls {
		c.finish(true)
	}
	for _, oc := range outs {
		oc.finish(true)
	}
	t.cancel()
	err := t.srv.Close()
	t.closeListeners()
	t.wg.Wait() // the dials and hang-ups under way, which still send through ua
	t.ua.Close()
	return err
}

// onOptions answers keepalive pings (a dispatcher in front of several
// centres marks the ones that answer).
func (t *Trunk) onOptions(req *sip.Request, tx sip.ServerTransaction) {
	res := sip.NewResponseFromRequest(req, 200, "OK", nil)
	res.AppendHeader(sip.NewHeader("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS"))
	_ = tx.Respond(res)
}

// listen binds UDP and TCP on the same port. With port 0 the system picks
// the UDP port, which another program may hold in TCP: then it tries
// another (a few times) instead of failing.
func (t *Trunk) listen(addr string, anyPort bool) error {
	for try := 0; ; try++ {
		udp, err := net.ListenPacket("udp", addr)
		if err != nil {
			return fmt.Errorf("siptrunk: listen udp %s: %w", addr, err)
		}
		ap := udp.LocalAddr().(*net.UDPAddr).AddrPort()
		tcp, err := net.Listen("tcp", ap.String())
		if err == nil {
			t.udp, t.tcp, t.addr = udp, tcp, ap
			return nil
		}
		udp.Close()
		if !anyPort || try == 10 {
			return fmt.Errorf("siptrunk: listen tcp %s: %w", ap, err)
		}
	}
}
