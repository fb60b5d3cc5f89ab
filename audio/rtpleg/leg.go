package rtpleg

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/jitter"
	"github.com/agentty/agentty/audio/quality"
	"github.com/agentty/agentty/audio/stream"
)

// Params are what a negotiation decided for the leg. The zero Tel means
// no RFC 4733 digits can be sent.
type Params struct {
	// Remote is the far end's RTP address from its SDP. An unspecified or
	// zero address (old-style hold, c=0.0.0.0) sends nothing until the far
	// end's packets arrive to latch on.
	Remote netip.AddrPort
	// RemoteRTCP is the far end's RTCP address (a=rtcp); zero means
	// Remote's port + 1. Set it equal to Remote for rtcp-mux.
	RemoteRTCP netip.AddrPort
	// Send is the codec we send; Tel the telephone-event payload at its
	// clock rate (zero: none). A leg started with a zero Send never sends
	// (an Update cannot add a sender later).
	Send, Tel stream.Codec
	// Recv lists the payload types we accept (media and telephone-event),
	// usually what we offered or answered.
	Recv []stream.Codec
	// Sending and Receiving are the direction: sendrecv sets both, a hold
	// we place (sendonly) clears Receiving, a hold the far end places
	// (their sendonly, our recvonly) clears Sending, inactive clears both.
	// A stream that is not received is not counted as lost.
	Sending, Receiving bool
	// SRTP, when set, keys SRTP and SRTCP (SDES); nil is plain RTP.
	SRTP *SRTP
}

// Config is the leg's local side.
type Config struct {
	// Device is the microphone and speaker. It must pace itself (a sound
	// card, NewNull(true), a paced WAV device) unless Pace is set; nil
	// means a paced null device. The leg does not close it.
	Device device.Device
	// Pace runs the send and playout loops on frame tickers, for devices
	// that return at once.
	Pace bool
	// Mute, MicMeter and SpeakerMeter are optional shared switches and
	// meters (a phone shares one mute over its calls).
	Mute                   *audio.Mute
	MicMeter, SpeakerMeter *audio.Meter
	// Jitter tunes the jitter buffer; Thresholds decide Degraded (zero:
	// quality.DefaultThresholds).
	Jitter     jitter.Config
	Thresholds quality.Thresholds
	// OnDigit gets each received RFC 4733 digit once, on the leg's reader
	// goroutine: hand it over, do not block.
	OnDigit func(rune)
	// OnError gets non-fatal errors, on the leg's goroutines; must not
	// block.
	OnError func(error)
	// NoLatch turns symmetric RTP off: media goes to Params.Remote only
	// and packets from elsewhere are dropped.
	NoLatch bool
	// ReportEvery is the RTCP report interval (default 5 s, RFC 3550's
	// minimum).
	ReportEvery time.Duration
	// Drop, when set, drops sent RTP packets it returns true for (loss
	// injection for tests).
	Drop func(seq uint16) bool
	// Now is the clock of arrival times (default time.Now).
	Now func() time.Time
	// OnRTP, when set, makes the leg a relay leg (the centre's SIP trunk
	// forwarding to another leg without decoding): received packets of
	// the Recv payload types, decrypted, go to OnRTP instead of a player,
	// nothing is read from or played to a Device, and the owner sends
	// with WriteRTP. Quality and reports work as usual. Called on the
	// reader goroutine; the packet and its payload are valid only during
	// the call.
	OnRTP func(pkt *rtp.Packet)
}

// Stats are the leg's counters.
type Stats struct {
	Player        stream.Stats
	Sent, Dropped uint64 // RTP packets sent, and dropped by Config.Drop
	Received      uint64 // RTP packets accepted
	Foreign       uint64 // packets from an address other than the latched one
	Undecryptable uint64 // SRTP or SRTCP packets that failed authentication
	Malformed     uint64 // packets that did not parse
	NotReceiving  uint64 // packets dropped while Receiving was off
}

// Leg is one plain RTP call leg. Its methods are safe from any goroutine.
// It owns four goroutines (send, RTP reader, RTCP reader, reports);
// Close stops them and releases the sockets.
type Leg struct {
	cfg    Config
	ports  *Ports
	sender *stream.Sender
	player *stream.Player
	q      *quality.Monitor
	rx     quality.Receiver
	spk    *audio.Meter
	ssrc   uint32

	mu         sync.Mutex
	p          Params
	recv       map[uint8]stream.Codec
	cipher     *cipher
	remote     netip.AddrPort // where RTP goes
	remoteRTCP netip.AddrPort // where RTCP goes
	latched    bool
	rtcpLatch  bool
	lastRTP    time.Time
	// our sent stream, for sender reports
	sentPackets, sentOctets uint32
	lastTS                  uint32
	lastTSAt                time.Time
	sentSince               bool // sent since the last report

	received, foreign, undecryptable, malformed, notReceiving, relayed atomic.Uint64
	closed, bye                                                        atomic.Bool
	slots                                                              stream.MediaTime // relay legs' event timing, reader goroutine only
	relayHdr                                                           rtp.Header       // WriteRTP's copy, under relayMu
	relayMu                                                            sync.Mutex
	// the sending goroutine's buffers (writeRTP), and the reader's
	txBuf, txSRTP []byte
	rxPkt         rtp.Packet
	rxSRTP        []byte

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start runs a leg on ports (which it then owns) with the negotiated
// params.
func Start(ports *Ports, p Params, cfg Config) (*Leg, error) {
	if ports == nil {
		return nil, errors.New("rtpleg: start: no ports")
	}
	if cfg.Device == nil {
		cfg.Device = device.NewNull(true)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ReportEvery <= 0 {
		cfg.ReportEvery = 5 * time.Second
	}
	if cfg.Thresholds == (quality.Thresholds{}) {
		cfg.Thresholds = quality.DefaultThresholds
	}
	l := &Leg{cfg: cfg, ports: ports, ssrc: rand.Uint32(), spk: cfg.SpeakerMeter}
	if l.spk == nil {
		l.spk = &audio.Meter{}
	}
	if err := l.set(p); err != nil {
		return nil, err
	}
	l.q = quality.NewMonitor(p.Send.Name, int(max(p.Send.Clock, 8000)))
	l.sender = stream.NewSender(stream.SenderConfig{Source: cfg.Device, Pace: cfg.Pace, Mute: cfg.Mute,
		Meter: cfg.MicMeter, Drop: cfg.Drop, OnError: cfg.OnError})
	l.sender.SetPaused(!p.Sending || p.Send.IsZero())
	l.sender.SetFormat(l.format(p))
	if cfg.OnRTP == nil {
		l.player = stream.NewPlayer(p.Recv, stream.PlayerConfig{Sink: cfg.Device, Pace: cfg.Pace, Meter: l.spk,
			Quality: l.q, OnDigit: cfg.OnDigit, OnError: cfg.OnError, Jitter: cfg.Jitter, Now: cfg.Now})
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	l.wg.Add(4)
	go func() {
		defer l.wg.Done()
		if p.Send.IsZero() || cfg.OnRTP != nil {
			<-ctx.Done() // nothing to send (a receive-only leg), or the owner sends (relay)
			return
		}
		l.sender.Run(ctx, l.format(p), stream.WriterFunc(l.writeRTP)) //nolint:errcheck // reported through OnError
	}()
	go l.readRTP()
	go l.readRTCP()
	go l.reportLoop(ctx)
	return l, nil
}

func (l *Leg) format(p Params) stream.Format {
	return stream.Format{Codec: p.Send, Tel: p.Tel, SSRC: l.ssrc}
}

// set installs p. It keeps a latched address unless the far end's
// address changed.
func (l *Leg) set(p Params) error {
	var c *cipher
	if p.SRTP != nil {
		l.mu.Lock()
		old, prev := l.cipher, l.p.SRTP
		l.mu.Unlock()
		c = old
		if old == nil || !sameKeys(prev, p.SRTP) {
			var err error
			if c, err = rekey(old, prev, p.SRTP); err != nil {
				return err
			}
		}
	}
	recv := make(map[uint8]stream.Codec, len(p.Recv))
	for _, r := range p.Recv {
		recv[r.PT] = r
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if p.Remote != l.p.Remote || !l.latched {
		l.remote, l.latched = p.Remote, false
	}
	rtcpAddr := p.RemoteRTCP
	if !rtcpAddr.IsValid() && p.Remote.IsValid() {
		rtcpAddr = netip.AddrPortFrom(p.Remote.Addr(), p.Remote.Port()+1)
	}
	if p.Remote != l.p.Remote || !l.rtcpLatch {
		l.remoteRTCP, l.rtcpLatch = rtcpAddr, false
	}
	l.p, l.recv, l.cipher = p, recv, c
	return nil
}

// Update applies a re-negotiation: a hold or retrieve, a new address, a
// codec change, new keys. A change of direction starts the received
// stream afresh, so a gap the far end makes on purpose is not loss.
func (l *Leg) Update(p Params) error {
	l.mu.Lock()
	old := l.p
	l.mu.Unlock()
	if err := l.set(p); err != nil {
		return err
	}
	if old.Receiving != p.Receiving || old.Sending != p.Sending {
		if l.player != nil {
			l.player.Resync()
		} else {
			l.q.Rebase()
		}
		l.rx.Restart()
	}
	if l.player != nil {
		l.player.SetCodecs(p.Recv)
	}
	if !p.Send.IsZero() {
		l.sender.SetFormat(l.format(p))
	}
	l.sender.SetPaused(!p.Sending || p.Send.IsZero())
	return nil
}

// WriteRTP sends one packet of a relay leg (Config.OnRTP): the header's
// SSRC becomes the leg's, the rest (payload type, sequence, timestamp,
// marker) is the caller's. Nothing is sent while Params.Sending is off.
// Safe from one goroutine at a time.
func (l *Leg) WriteRTP(h *rtp.Header, payload []byte) error {
	l.mu.Lock()
	sending := l.p.Sending
	l.mu.Unlock()
	if !sending {
		return nil
	}
	l.relayMu.Lock()
	defer l.relayMu.Unlock()
	l.relayHdr = *h
	l.relayHdr.SSRC = l.ssrc
	if err := l.writeRTP(&l.relayHdr, payload); err != nil {
		return fmt.Errorf("rtpleg: write: %w", err)
	}
	l.relayed.Add(1)
	return nil
}

// Params returns the params in force.
func (l *Leg) Params() Params {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.p
}

// SendDTMF queues digits to send as RFC 4733 events; it fails when no
// telephone-event was negotiated (send the digits by SIP INFO then) or a
// digit is invalid.
func (l *Leg) SendDTMF(digits string) error {
	if !l.CanSendDTMF() {
		return errors.New("rtpleg: send dtmf: telephone-event not negotiated")
	}
	if err := l.sender.QueueDTMF(digits); err != nil {
		return fmt.Errorf("rtpleg: %w", err)
	}
	return nil
}

// CanSendDTMF reports whether telephone-event was negotiated.
func (l *Leg) CanSendDTMF() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.p.Tel.IsZero()
}

// SetMuted mutes or unmutes the microphone.
func (l *Leg) SetMuted(on bool) { l.sender.Mute().Set(on) }

// Muted reports the microphone's mute state.
func (l *Leg) Muted() bool { return l.sender.Mute().Muted() }

// Levels returns the latest microphone and speaker levels.
func (l *Leg) Levels() stream.Levels {
	return stream.Levels{Mic: l.sender.Meter().Load(), Speaker: l.spk.Load()}
}

// Quality returns the leg's quality: loss and jitter of what we receive,
// RTT and the far end's loss from RTCP, MOS.
func (l *Leg) Quality() stream.QualityReport {
	return stream.Report(l.q, l.sender.Format().Codec.Name, l.cfg.Thresholds)
}

// Stats returns the counters.
func (l *Leg) Stats() Stats {
	sent, dropped := l.sender.Sent()
	var ps stream.Stats
	if l.player != nil {
		ps = l.player.Stats()
	}
	return Stats{Player: ps, Sent: sent + l.relayed.Load(), Dropped: dropped, Received: l.received.Load(),
		Foreign: l.foreign.Load(), Undecryptable: l.undecryptable.Load(), Malformed: l.malformed.Load(),
		NotReceiving: l.notReceiving.Load()}
}

// LastReceived is when the last RTP packet was accepted (zero before the
// first): a far end that vanished stops sending. Judge it only while
// Params.Receiving is set and the far end is not holding (a far end that
// holds with sendonly may send nothing at all).
func (l *Leg) LastReceived() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastRTP
}

// ByeReceived reports whether the far end sent an RTCP BYE (it left the
// session; a trunk may end a call whose signalling went quiet).
func (l *Leg) ByeReceived() bool { return l.bye.Load() }

// Remote returns where RTP goes now (the latched address once the far
// end's packets arrived).
func (l *Leg) Remote() netip.AddrPort {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.remote
}

// Close sends an RTCP BYE, stops the leg's goroutines and closes its
// sockets. It does not close the device.
func (l *Leg) Close() error {
	if l.closed.Swap(true) {
		return nil
	}
	l.cancel()
	if err := l.sendReport(time.Now(), true); err != nil {
		l.report(fmt.Errorf("rtpleg: rtcp bye: %w", err))
	}
	err := l.ports.Close()
	l.wg.Wait()
	if l.player != nil {
		err = errors.Join(err, l.player.Close())
	}
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

func (l *Leg) report(err error) {
	if l.cfg.OnError != nil && err != nil {
		l.cfg.OnError(err)
	}
}
