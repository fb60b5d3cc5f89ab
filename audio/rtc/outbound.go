package rtc

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
	"github.com/agentty/agentty/audio/quality"
)

// OutboundConfig configures an Outbound.
type OutboundConfig struct {
	// Source gives 20 ms frames at 48 kHz (a device, a WAV file, a mixer).
	// At io.EOF the stream carries silence until closed.
	Source device.Source
	// Pace runs an internal 20 ms ticker; set it for sources that return at
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

// Outbound is a pion TrackLocal that sends one audio stream. Unlike
// TrackLocalStaticRTP it picks the codec at Bind from what was negotiated
// and writes each packet with its own payload type, so telephone-event
// packets share the stream's SSRC and sequence as RFC 4733 requires.
//
// Create it with NewOutbound, add it with AttachOutbound (or pc.AddTrack
// then Start), stop it with Close, which waits for its goroutines.
type Outbound struct {
	cfg   OutboundConfig
	mute  *audio.Mute
	meter *audio.Meter

	mu      sync.Mutex
	bound   chan struct{} // closed at the first Bind
	writer  webrtc.TrackLocalWriter
	ssrc    uint32
	codec   webrtc.RTPCodecParameters
	telPT   uint8
	haveTel bool
	digits  []rune
	sent    uint64
	dropped uint64

	sender *webrtc.RTPSender
	cancel context.CancelFunc
	wg     sync.WaitGroup
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
	if cfg.Source == nil {
		cfg.Pace = true // nothing else would pace sending
	}
	if cfg.DTMFDuration <= 0 {
		cfg.DTMFDuration = 100 * time.Millisecond
	}
	if cfg.DTMFGap <= 0 {
		cfg.DTMFGap = 60 * time.Millisecond
	}
	o := &Outbound{cfg: cfg, mute: cfg.Mute, meter: cfg.Meter, bound: make(chan struct{})}
	if o.mute == nil {
		o.mute = &audio.Mute{}
	}
	if o.meter == nil {
		o.meter = &audio.Meter{}
	}
	return o
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
	o.cancel, o.sender = cancel, sender
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
	if o.sender != nil {
		err = o.sender.SetReadDeadline(time.Now())
	}
	o.wg.Wait()
	return err
}

// Mute returns the stream's mute switch.
func (o *Outbound) Mute() *audio.Mute { return o.mute }

// Meter returns the stream's level meter (after mute).
func (o *Outbound) Meter() *audio.Meter { return o.meter }

// Codec returns the negotiated codec, empty before negotiation.
func (o *Outbound) Codec() webrtc.RTPCodecParameters {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.codec
}

// Sent returns the RTP packets sent and dropped (by Config.Drop).
func (o *Outbound) Sent() (sent, dropped uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.sent, o.dropped
}

// SendDTMF queues digits ("0"-"9", "*", "#", "A"-"D"; ',' pauses 500 ms)
// to send as RFC 4733 events; safe from any goroutine. It fails when a
// digit is invalid or the far end did not negotiate telephone-event.
func (o *Outbound) SendDTMF(digits string) error {
	for _, d := range digits {
		if d == ',' {
			continue
		}
		if _, err := dtmf.Code(d); err != nil {
			return fmt.Errorf("rtc: send dtmf: %w", err)
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	select {
	case <-o.bound:
		if !o.haveTel {
			return errors.New("rtc: send dtmf: telephone-event not negotiated")
		}
	default:
	}
	o.digits = append(o.digits, []rune(digits)...)
	return nil
}

// Bind implements webrtc.TrackLocal: pick our preferred negotiated codec
// and the telephone-event at its clock rate.
func (o *Outbound) Bind(tc webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	params := tc.CodecParameters()
	var chosen *webrtc.RTPCodecParameters
	for _, want := range o.cfg.Codecs {
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
			o.telPT, o.haveTel = uint8(p.PayloadType), true
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
		pkts, _, err := o.sender.ReadRTCP()
		if err != nil {
			return
		}
		if o.cfg.Quality != nil {
			o.cfg.Quality.OnRTCP(pkts, time.Now())
		}
	}
}

// sendState is the send loop's private state.
type sendState struct {
	enc     *audio.FrameEncoder
	pt      uint8
	clock   uint32
	seq     uint16
	ts      uint32
	first   bool
	eof     bool
	failing bool // the source's last read failed
	event   []dtmf.Event
	eventTS uint32
	gap     int // frames of silence after an event
	hdr     rtp.Header
	payload []byte
	drops   uint64 // the device's capture drops at the last read
	counted bool   // drops is set
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
	codec := o.codec
	o.mu.Unlock()
	c, err := audio.NewCodec(CodecName(codec.MimeType))
	if err != nil {
		o.report(fmt.Errorf("rtc: outbound: %w", err))
		return
	}
	defer c.Close()
	enc, err := audio.NewFrameEncoder(c)
	if err != nil {
		o.report(err)
		return
	}
	st := &sendState{
		enc: enc, pt: uint8(codec.PayloadType), clock: codec.ClockRate,
		seq: uint16(rand.Uint32()), ts: rand.Uint32(), first: true,
		payload: make([]byte, audio.MaxPayload),
	}
	var tick <-chan time.Time
	if o.cfg.Pace {
		t := time.NewTicker(audio.FrameDuration)
		defer t.Stop()
		tick = t.C
	}
	frame := make([]int16, audio.FrameSamples)
	for {
		if tick != nil {
			select {
			case <-ctx.Done():
				return
			case <-tick:
			}
		}
		if st.eof && tick == nil {
			// The self-paced source is gone: pace the silence ourselves.
			t := time.NewTicker(audio.FrameDuration)
			defer t.Stop()
			tick = t.C
		}
		if err := o.readFrame(ctx, st, frame); err != nil {
			if ctx.Err() != nil {
				return
			}
			// Report once per run of failures; send silence; when nothing
			// else paces the loop, wait a frame so a dead source cannot spin.
			if !st.failing {
				o.report(err)
			}
			st.failing = true
			clear(frame)
			if tick == nil && !waitFrame(ctx) {
				return
			}
		} else {
			st.failing = false
		}
		if err := o.sendFrame(st, frame); err != nil {
			o.report(err)
		}
		st.ts += st.clock / 50
	}
}

// waitFrame waits one frame period; false when ctx ended first.
func waitFrame(ctx context.Context) bool {
	t := time.NewTimer(audio.FrameDuration)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// waitConnected polls the sender's DTLS transport every frame period until
// it is connected, so that no source audio is read and thrown away while
// SRTP is not ready (pion drops those packets). Polling keeps the
// application's single OnStateChange handlers free.
func (o *Outbound) waitConnected(ctx context.Context) bool {
	if o.sender == nil || o.sender.Transport() == nil {
		return true
	}
	t := time.NewTicker(audio.FrameDuration / 2)
	defer t.Stop()
	for {
		switch o.sender.Transport().State() {
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
