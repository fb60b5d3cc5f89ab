// Package media is the embedded centre's media layer, a centre.Media: one
// pion PeerConnection per call leg (DTLS-SRTP, host candidates only), the
// centre always offering. RTP is forwarded between legs without
// transcoding when a listener hears exactly one other leg with the same
// codec; the centre decodes and mixes only where it must: music on hold,
// whisper, barge, listen, and legs whose codecs differ. The mixer takes
// each heard leg through its own jitter buffer and decoder, concealing
// lost and late frames as a phone does, and passes the leg's RFC 4733
// telephone-events on to everyone who hears it. A party with no
// connection of its own (the demo's simulated callers) is answered by a
// Party that Config.Parties opens (party.go); the relay knows nothing
// more of it.
//
// Ownership: the Server's loop goroutine owns the calls and legs; each leg
// owns its RTCP readers and its receiver report loop, and its incoming RTP
// is forwarded on pion's SRTP goroutine for the leg, which closing the
// peer connection ends (rx.go); each call that mixes owns a mixer
// goroutine. Close waits for all of them.
package media

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio/rtc"
	"github.com/agentty/agentty/audio/rtc/udplatch"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/proto"
)

// Config configures a Server.
type Config struct {
	// Codecs the centre offers, in order of preference (nil:
	// rtc.DefaultCodecs: Opus, PCMU, PCMA).
	Codecs []string
	// Loopback restricts ICE to 127.0.0.1 (tests, the demo); otherwise
	// host candidates on the host's addresses, no STUN.
	Loopback bool
	// Parties opens the phone of a party that has no connection of its
	// own (party.go); nil: every party has a connection.
	Parties PartyOpener
	// Recordings is the directory call recordings go to ("": none can
	// start); OnRecording hears a recording start (on), stop, or end on a
	// write error (err). Both: record.go.
	Recordings  string
	OnRecording func(callID, path string, on bool, err error)
	// MediaSilence is how long without a packet on a leg makes its call's
	// media lost (watch.go). Default DefaultMediaSilence.
	MediaSilence time.Duration
	// OpusComplexity is the complexity (1 to 10) of the Opus encoders
	// the relay runs when it transcodes or mixes for an Opus leg. Default
	// DefaultOpusComplexity; 10 is libopus's own default, at about twice
	// the CPU a frame, which limits how many calls one core transcodes.
	OpusComplexity int
	// By default the legs share a few UDP sockets per host address
	// (SharedSockets; socket.go: pion's ICE UDP mux over batched reads
	// and parallel writes), and each socket's reader decrypts, forwards
	// and encrypts the media of its legs itself (fast.go): at 1,000
	// calls that costs what a bare UDP forwarding loop does
	// (bench/relay/README.md). SocketPerLeg gives each leg a socket of
	// its own instead, pion's default, which connects itself to its phone
	// (audio/rtc/udplatch) unless Unlatched.
	SocketPerLeg bool
	// SharedSockets is how many shared sockets per host address the legs
	// are spread over, in turn (socket.go says why). Default
	// DefaultSharedSockets per CPU (GOMAXPROCS).
	SharedSockets int
	// Unlatched keeps, with SocketPerLeg, each leg's socket unconnected;
	// the relay bench uses it to compare.
	Unlatched bool
	// PionSRTP keeps each leg's SRTP in pion's sessions (three hand-offs
	// between goroutines a packet) instead of the leg's own (fast.go);
	// the relay bench uses it to compare.
	PionSRTP bool
	Logger   *slog.Logger
}

// DefaultOpusComplexity is Config.OpusComplexity's default.
const DefaultOpusComplexity = 5

// Server implements centre.Media. Its zero value is not usable; call New.
type Server struct {
	cfg    Config
	codecs []string
	pts    *[128]ptCodec // incoming payload types

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	qmu   sync.Mutex
	queue []func()
	wake  chan struct{}

	sendMu sync.RWMutex
	send   func(user string, s proto.Signal)
	report func(user string, e session.Event) // call.media (watch.go)

	// loop only
	calls   map[string]*call
	parties map[string]*openParty // opened by cfg.Parties (party.go)
	rtps    map[string]*RTPLeg    // plain RTP legs by party (rtp.go)

	music music         // music on hold, made once for every listener (music.go)
	udp   *sharedUDP    // nil with Config.SocketPerLeg (socket.go)
	latch *udplatch.Net // the legs' networks' counters; nil when unlatched

	legs, rtpLegs                   atomic.Int64
	live                            sync.Map // *leg -> struct{}: the legs not closed, for Stats (stats.go)
	retiredMu                       sync.Mutex
	retired                         counts // the closed legs' counters
	mixed, writeErrs                atomic.Uint64
	rtpReceived, rtpSent            atomic.Uint64
	mixPlayed, mixLost, mixUnderrun atomic.Uint64
	mixMissed                       atomic.Uint64
	ownLegs, ownGCMLegs             atomic.Int64
}

// New returns a started media layer.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MediaSilence <= 0 {
		cfg.MediaSilence = DefaultMediaSilence
	}
	if cfg.OpusComplexity <= 0 || cfg.OpusComplexity > 10 {
		cfg.OpusComplexity = DefaultOpusComplexity
	}
	codecs := cfg.Codecs
	if codecs == nil {
		codecs = rtc.DefaultCodecs()
	}
	ps, err := rtc.CodecParameters(codecs)
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	s := &Server{cfg: cfg, codecs: codecs, pts: payloadTypes(ps), wake: make(chan struct{}, 1),
		calls: map[string]*call{}, parties: map[string]*openParty{}, rtps: map[string]*RTPLeg{}}
	s.music.complexity = cfg.OpusComplexity
	if !cfg.SocketPerLeg {
		n := cfg.SharedSockets
		if n <= 0 {
			n = DefaultSharedSockets * runtime.GOMAXPROCS(0)
		}
		if s.udp, err = openSharedUDP(cfg.Loopback, n); err != nil {
			// A host with no address the sockets can bind (only
			// loopback, say, for a centre not on loopback): the legs get
			// sockets of their own, as pion's gathering finds addresses.
			cfg.Logger.Warn("media: no shared sockets; a socket per leg", "err", err)
			s.udp, s.cfg.SocketPerLeg = nil, true
		}
	}
	if s.cfg.SocketPerLeg && !cfg.Unlatched {
		if s.latch, err = udplatch.NewNet(); err != nil {
			return nil, fmt.Errorf("media: %w", err)
		}
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.wg.Add(2)
	go s.loop()
	go s.watchLoop()
	return s, nil
}

// legAPI is the pion API of one leg: host candidates only, the leg's
// receive path as the SRTP read buffer (rx.go), OnTrack before the first
// packet (nothing peeks at one), and no interceptors (the leg reports itself).
// One API per leg because the buffer factory is told an SSRC, not a peer
// connection.
func (s *Server) legAPI(l *leg, c *call) (*webrtc.API, error) {
	codecs := s.codecsFor(c)
	se := rtc.HostOnly(s.cfg.Loopback)
	se.BufferFactory = l.bufferFactory
	se.SetFireOnTrackBeforeFirstRTP(true)
	if s.udp != nil {
		se.SetICEUDPMux(s.udp.muxFor(c))
		if !s.cfg.PionSRTP {
			l.fast = newSharedFastPath(l, s.udp, se)
		}
	}
	if s.latch != nil {
		n, err := s.latch.Share()
		if err != nil {
			return nil, fmt.Errorf("media: %w", err)
		}
		se.SetNet(n)
		if !s.cfg.PionSRTP {
			l.fast = newLegFastPath(l, n, se)
		}
	}
	api, err := rtc.NewAPI(rtc.APIConfig{Codecs: codecs, LoopbackOnly: s.cfg.Loopback, SettingEngine: se, Interceptors: noInterceptors})
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	return api, nil
}

// Start implements centre.Media.
func (s *Server) Start(send func(user string, sig proto.Signal)) {
	s.sendMu.Lock()
	s.send = send
	s.sendMu.Unlock()
}

// Op implements centre.Media: it queues op for the loop and returns.
func (s *Server) Op(op acd.MediaOp) {
	op.Legs = append([]string(nil), op.Legs...)
	s.post(func() { s.apply(op) })
}

// Signal implements centre.Media: it queues the signal for the loop.
func (s *Server) Signal(user string, sig proto.Signal) {
	s.post(func() { s.signal(user, sig) })
}

// post queues f for the loop without blocking (the queue is unbounded: the
// centre's engine must never wait on media).
func (s *Server) post(f func()) {
	s.qmu.Lock()
	s.queue = append(s.queue, f)
	s.qmu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Server) loop() {
	defer s.wg.Done()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.wake:
		}
		s.qmu.Lock()
		jobs := s.queue
		s.queue = nil
		s.qmu.Unlock()
		for _, f := range jobs {
			if s.ctx.Err() != nil {
				return
			}
			f()
		}
	}
}

// sendTo delivers a signal to a party: its opened Party, or the user's
// connection.
func (s *Server) sendTo(party string, sig proto.Signal) {
	if op := s.parties[party]; op != nil {
		op.p.HandleSignal(sig)
		return
	}
	s.sendMu.RLock()
	send := s.send
	s.sendMu.RUnlock()
	if send != nil {
		send(party, sig)
	}
}

// signal handles an answer or ICE candidate from user. Loop only.
func (s *Server) signal(user string, sig proto.Signal) {
	c := s.callFor(sig.CallID)
	if c == nil {
		if base, _, ok := strings.Cut(sig.CallID, "."); ok {
			c = s.callFor(base)
		}
	}
	if c == nil {
		return
	}
	l := c.legs[user]
	if l == nil || l.pc == nil {
		return
	}
	var err error
	switch sig.Kind {
	case "answer":
		err = l.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sig.SDP})
		if err == nil {
			l.answered, l.watchFrom = true, time.Now() // its silence counts from now (watch.go)
		}
	case "ice":
		if sig.Candidate != "" {
			err = l.pc.AddICECandidate(webrtc.ICECandidateInit{Candidate: sig.Candidate})
		}
	}
	if err != nil {
		s.cfg.Logger.Warn("media: signal", "call", c.id, "user", user, "kind", sig.Kind, "err", err)
	}
}

// Close tears every leg down and waits for every goroutine.
func (s *Server) Close() error {
	s.cancel()
	s.wg.Wait()
	var err error
	for _, c := range s.calls {
		err = errors.Join(err, c.close())
	}
	s.calls = map[string]*call{}
	for _, op := range s.parties {
		err = errors.Join(err, op.p.Close())
	}
	s.parties = map[string]*openParty{}
	s.music.close()
	return errors.Join(err, s.udp.close())
}

// UDPAddrs returns the addresses of the shared sockets every leg's media
// goes through (nil with Config.SocketPerLeg).
func (s *Server) UDPAddrs() []net.Addr { return s.udp.addrs() }

// LoopbackAddr reports whether a listen address (host:port) is on a
// loopback interface, so that the centre's legs may keep ICE on loopback.
func LoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Reception sums, over every leg, what the relay received against the
// sequence numbers of the streams (expected and received, as receiver
// reports count them): of the WebRTC legs and of the plain RTP legs. Load
// figures read loss on the way into the relay from it.
func (s *Server) Reception(ctx context.Context) (webrtcExp, webrtcRecv, rtpExp, rtpRecv uint64, err error) {
	var sum [4]uint64 // the loop's until done
	done := make(chan struct{})
	s.post(func() {
		defer close(done)
		for _, c := range s.calls {
			for _, l := range c.legs {
				e, r := l.rx.stats.r.Counts()
				k := 0
				if l.rtp != nil {
					k = 2
				}
				sum[k] += uint64(e)
				sum[k+1] += uint64(r)
			}
		}
	})
	select {
	case <-done:
		return sum[0], sum[1], sum[2], sum[3], nil
	case <-ctx.Done():
		return 0, 0, 0, 0, ctx.Err()
	case <-s.ctx.Done():
		return 0, 0, 0, 0, errors.New("media: closed")
	}
}

// Flush waits until the loop has carried out everything queued before
// it (tests use it as a barrier).
func (s *Server) Flush(ctx context.Context) error {
	done := make(chan struct{})
	s.post(func() { close(done) })
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.ctx.Done():
		return errors.New("media: closed")
	}
}
