package rtc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/quality"
	"github.com/agentty/agentty/audio/stream"
)

// OutboundConfig configures an Outbound.
type OutboundConfig struct {
	// Source gives frames (audio.FrameDuration) at 48 kHz (a device, a WAV file, a mixer).
	// At io.EOF the stream carries silence until closed.
	Source device.Source
	// Pace runs an internal frame ticker; set it for sources that return at
	// once (WAV, null unpaced); leave it off for a sound card, which paces
	// itself.
	Pace bool
	// Mute and Meter are optional; the stream creates its own when nil.
	Mute  *audio.Mute
	Meter *audio.Meter
	// Quality, when set, gets the RTCP reports about this stream (RTT,
	// remote loss).
	Quality *quality.Monitor
	// Codecs is the preference order among the negotiated codecs (nil:
	// DefaultCodecs).
	Codecs []string
	// FollowOffer picks the first negotiated codec (the offer's order)
	// that Codecs lists, instead of Codecs' own order: the centre offers
	// PCMU first for a SIP trunk call so that the relay forwards it.
	FollowOffer bool
	// TrackID and StreamID name the track (defaults "audio", "agentty").
	TrackID, StreamID string
	// Drop, when set, is asked for every RTP packet and drops it when it
	// returns true: loss injection for tests. Called on the send goroutine.
	Drop func(seq uint16) bool
	// OnError gets non-fatal errors (a stalled microphone, a write failure);
	// called on the send goroutine, must not block.
	OnError func(error)
	// DTMFDuration and DTMFGap shape sent digits (defaults 100 ms, 60 ms).
	DTMFDuration, DTMFGap time.Duration
}

// Outbound is a pion TrackLocal that sends one audio stream through the
// shared pipeline's stream.Sender. Unlike TrackLocalStaticRTP it picks the
// codec at Bind from what was negotiated and writes each packet with its
// own payload type, so telephone-event packets share the stream's SSRC and
// sequence as RFC 4733 requires.
//
// Create it with NewOutbound, add it with AttachOutbound (or pc.AddTrack
// then Start), stop it with Close, which waits for its goroutines.
type Outbound struct {
	cfg    OutboundConfig
	sender *stream.Sender

	mu      sync.Mutex
	bound   chan struct{} // closed at the first Bind
	writer  webrtc.TrackLocalWriter
	ssrc    uint32
	codec   webrtc.RTPCodecParameters
	tel     stream.Codec
	haveTel bool

	rtpSender *webrtc.RTPSender
	cancel    context.CancelFunc
	wg        sync.WaitGroup
}

// NewOutbound returns an unstarted outbound track.
func NewOutbound(cfg OutboundConfig) *Outbound {
	if cfg.TrackID == "" {
		cfg.TrackID = "audio"
	}
	if cfg.StreamID == "" {
		cfg.StreamID = "agentty"
	}
	if cfg.Codecs == nil {
		cfg.Codecs = DefaultCodecs()
	}
	s := stream.NewSender(stream.SenderConfig{Source: cfg.Source, Pace: cfg.Pace, Mute: cfg.Mute, Meter: cfg.Meter,
		Drop: cfg.Drop, OnError: cfg.OnError, DTMFDuration: cfg.DTMFDuration, DTMFGap: cfg.DTMFGap})
	return &Outbound{cfg: cfg, sender: s, bound: make(chan struct{})}
}

// AttachOutbound adds a new Outbound to pc and starts it.
func AttachOutbound(pc *webrtc.PeerConnection, cfg OutboundConfig) (*Outbound, error) {
	o := NewOutbound(cfg)
	sender, err := pc.AddTrack(o)
	if err != nil {
		return nil, fmt.Errorf("rtc: add track: %w", err)
	}
	o.Start(sender)
	return o, nil
}

// Start launches the send loop (which waits for negotiation) and, with a
// sender, the RTCP reader. Call once.
func (o *Outbound) Start(sender *webrtc.RTPSender) {
	ctx, cancel := context.WithCancel(context.Background())
	o.cancel, o.rtpSender = cancel, sender
	o.wg.Add(1)
	go o.sendLoop(ctx)
	if sender != nil {
		o.wg.Add(1)
		go o.readRTCP(ctx)
	}
}

// Close stops the stream (and the RTPSender) and waits for its goroutines.
func (o *Outbound) Close() error {
	if o.cancel == nil {
		return nil
	}
	o.cancel()
	var err error
	if o.rtpSender != nil {
		err = o.rtpSender.SetReadDeadline(time.Now())
	}
	o.wg.Wait()
	return err
}

// Mute returns the stream's mute switch.
func (o *Outbound) Mute() *audio.Mute { return o.sender.Mute() }

// Meter returns the stream's level meter (after mute).
func (o *Outbound) Meter() *audio.Meter { return o.sender.Meter() }

// Codec returns the negotiated codec, empty before negotiation.
func (o *Outbound) Codec() webrtc.RTPCodecParameters {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.codec
}

// Sent returns the RTP packets sent and dropped (by Config.Drop).
func (o *Outbound) Sent() (sent, dropped uint64) { return o.sender.Sent() }

// SendDTMF queues digits ("0"-"9", "*", "#", "A"-"D"; ',' pauses 500 ms)
// to send as RFC 4733 events; safe from any goroutine. It fails when a
// digit is invalid or the far end did not negotiate telephone-event.
func (o *Outbound) SendDTMF(digits string) error {
	o.mu.Lock()
	select {
	case <-o.bound:
		if !o.haveTel {
			o.mu.Unlock()
			return errors.New("rtc: send dtmf: telephone-event not negotiated")
		}
	default:
	}
	o.mu.Unlock()
	if err := o.sender.QueueDTMF(digits); err != nil {
		return fmt.Errorf("rtc: %w", err)
	}
	return nil
}

// Bind implements webrtc.TrackLocal: pick our preferred negotiated codec
// and the telephone-event at its clock rate.
func (o *Outbound) Bind(tc webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	params := tc.CodecParameters()
	var chosen *webrtc.RTPCodecParameters
	if o.cfg.FollowOffer {
		for i := range params {
			if slices.ContainsFunc(o.cfg.Codecs, func(w string) bool { return strings.EqualFold(CodecName(params[i].MimeType), w) }) {
				chosen = &params[i]
				break
			}
		}
	}
	for _, want := range o.cfg.Codecs {
		if chosen != nil {
			break
		}
		for i := range params {
			if strings.EqualFold(CodecName(params[i].MimeType), want) {
				chosen = &params[i]
				break
			}
		}
		if chosen != nil {
			break
		}
	}
	if chosen == nil {
		return webrtc.RTPCodecParameters{}, ErrNoCodec
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.codec, o.writer, o.ssrc = *chosen, tc.WriteStream(), uint32(tc.SSRC())
	for _, p := range params {
		if isTelEvent(p.MimeType) && p.ClockRate == chosen.ClockRate {
			o.tel, o.haveTel = codecOf(p), true
		}
	}
	select {
	case <-o.bound:
	default:
		close(o.bound)
	}
	return *chosen, nil
}

// Unbind implements webrtc.TrackLocal.
func (o *Outbound) Unbind(webrtc.TrackLocalContext) error {
	o.mu.Lock()
	o.writer = nil
	o.mu.Unlock()
	return nil
}

// ID implements webrtc.TrackLocal.
func (o *Outbound) ID() string { return o.cfg.TrackID }

// RID implements webrtc.TrackLocal.
func (o *Outbound) RID() string { return "" }

// StreamID implements webrtc.TrackLocal.
func (o *Outbound) StreamID() string { return o.cfg.StreamID }

// Kind implements webrtc.TrackLocal.
func (o *Outbound) Kind() webrtc.RTPCodecType { return webrtc.RTPCodecTypeAudio }

func (o *Outbound) report(err error) {
	if o.cfg.OnError != nil && err != nil {
		o.cfg.OnError(err)
	}
}

func (o *Outbound) readRTCP(ctx context.Context) {
	defer o.wg.Done()
	for ctx.Err() == nil {
		pkts, _, err := o.rtpSender.ReadRTCP()
		if err != nil {
			return
		}
		if o.cfg.Quality != nil {
			o.cfg.Quality.OnRTCP(pkts, time.Now())
		}
	}
}

// WriteRTP implements stream.Writer over the bound track (nothing is
// written while unbound).
func (o *Outbound) writeRTP(h *rtp.Header, payload []byte) error {
	o.mu.Lock()
	w := o.writer
	o.mu.Unlock()
	if w == nil {
		return nil
	}
	_, err := w.WriteRTP(h, payload)
	return err
}

func (o *Outbound) sendLoop(ctx context.Context) {
	defer o.wg.Done()
	select {
	case <-ctx.Done():
		return
	case <-o.bound:
	}
	if !o.waitConnected(ctx) {
		return
	}
	o.mu.Lock()
	f := stream.Format{Codec: codecOf(o.codec), SSRC: o.ssrc}
	if o.haveTel {
		f.Tel = o.tel
	}
	o.mu.Unlock()
	o.sender.Run(ctx, f, stream.WriterFunc(o.writeRTP)) //nolint:errcheck // reported through OnError
}

// waitConnected polls the sender's DTLS transport every frame period until
// it is connected, so that no source audio is read and thrown away while
// SRTP is not ready (pion drops those packets). Polling keeps the
// application's single OnStateChange handlers free.
func (o *Outbound) waitConnected(ctx context.Context) bool {
	if o.rtpSender == nil || o.rtpSender.Transport() == nil {
		return true
	}
	t := time.NewTicker(audio.FrameDuration / 2)
	defer t.Stop()
	for {
		switch o.rtpSender.Transport().State() {
		case webrtc.DTLSTransportStateConnected:
			return true
		case webrtc.DTLSTransportStateFailed, webrtc.DTLSTransportStateClosed:
			o.report(errors.New("rtc: outbound: dtls transport failed or closed"))
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
}
