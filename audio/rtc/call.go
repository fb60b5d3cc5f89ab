package rtc

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/jitter"
	"github.com/agentty/agentty/audio/quality"
	"github.com/agentty/agentty/audio/stream"
)

// CallConfig wires one sound device to one peer connection.
type CallConfig struct {
	// Device is the microphone and speaker. It must pace itself (a sound
	// card, NewNull(true), a WAV device with Paced); nil means a paced null
	// device. The microphone is read through device.LiveEdge.
	Device device.Device
	// Codecs is the send preference (nil: DefaultCodecs); with
	// FollowOffer the offer's order among them (OutboundConfig).
	Codecs      []string
	FollowOffer bool
	// OnDigit gets received DTMF digits on pion's reading goroutine; hand
	// them over without blocking.
	OnDigit func(rune)
	// OnError gets non-fatal media errors from the media goroutines; must
	// not block.
	OnError func(error)
	// Thresholds decide Degraded (zero value: quality.DefaultThresholds).
	Thresholds quality.Thresholds
	// Jitter tunes the jitter buffer.
	Jitter jitter.Config
	// Mute, MicMeter and SpeakerMeter are optional, shared by a phone's
	// calls (one mute key, one VU meter); the call makes its own when nil.
	Mute                   *audio.Mute
	MicMeter, SpeakerMeter *audio.Meter
	// Drop, when set, drops sent RTP packets it returns true for (loss
	// injection for tests and benches).
	Drop func(seq uint16) bool
	// Quality is optional: the call's quality monitor, for an owner that
	// reads more than Quality gives (the time of the last packet); the
	// call makes its own when nil.
	Quality *quality.Monitor
	// Start is when the call started, for its media watch (watch.go);
	// zero: now.
	Start time.Time
}

// Call is the console's view of one call's media over WebRTC: it sends
// the device's microphone, plays the first remote audio track to the
// device's speaker, sends and receives DTMF, and exposes levels, mute and
// quality, all through the shared pipeline (audio/stream), as the plain
// RTP leg (audio/rtpleg) does. All methods are safe from any goroutine.
type Call struct {
	cfg CallConfig
	out *Outbound
	q   *quality.Monitor
	spk *audio.Meter

	mu     sync.Mutex
	in     *Inbound
	closed bool

	wmu     sync.Mutex   // the media watch (watch.go)
	watch   stream.Watch // silence and degraded edges
	started time.Time    // silence counts from here when no packet came since
	held    bool         // silent on purpose
}

// NewCall adds an outbound audio track to pc and installs pc.OnTrack to
// play the first remote audio track (replacing any OnTrack handler). Call
// it before creating the offer or answer.
func NewCall(pc *webrtc.PeerConnection, cfg CallConfig) (*Call, error) {
	if cfg.Device == nil {
		cfg.Device = device.NewNull(true)
	}
	if cfg.Thresholds == (quality.Thresholds{}) {
		cfg.Thresholds = quality.DefaultThresholds
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Now()
	}
	c := &Call{cfg: cfg, q: cfg.Quality, spk: cfg.SpeakerMeter, started: cfg.Start}
	if c.q == nil {
		c.q = quality.NewMonitor(audio.NamePCMU, 8000)
	}
	if c.spk == nil {
		c.spk = &audio.Meter{}
	}
	out, err := AttachOutbound(pc, OutboundConfig{Source: device.LiveEdge(cfg.Device), Mute: cfg.Mute, Meter: cfg.MicMeter,
		Codecs: cfg.Codecs, FollowOffer: cfg.FollowOffer, Quality: c.q, Drop: cfg.Drop, OnError: cfg.OnError})
	if err != nil {
		return nil, fmt.Errorf("rtc: call: %w", err)
	}
	c.out = out
	pc.OnTrack(c.onTrack)
	return c, nil
}

// onTrack runs on pion's goroutine: it starts the player and returns.
func (c *Call) onTrack(tr *webrtc.TrackRemote, r *webrtc.RTPReceiver) {
	if tr.Kind() != webrtc.RTPCodecTypeAudio {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.in != nil {
		return
	}
	in, err := NewInbound(tr, r, InboundConfig{
		Sink: c.cfg.Device, Meter: c.spk, Quality: c.q,
		OnDigit: c.cfg.OnDigit, OnError: c.cfg.OnError, Jitter: c.cfg.Jitter,
	})
	if err != nil {
		if c.cfg.OnError != nil {
			c.cfg.OnError(err)
		}
		return
	}
	c.in = in
}

// SendDTMF queues digits to send as RFC 4733 events.
func (c *Call) SendDTMF(digits string) error { return c.out.SendDTMF(digits) }

// SetMuted mutes or unmutes the microphone.
func (c *Call) SetMuted(on bool) { c.out.Mute().Set(on) }

// Muted reports the microphone's mute state.
func (c *Call) Muted() bool { return c.out.Mute().Muted() }

// Levels returns the latest levels; cheap enough for a 15 Hz UI tick.
func (c *Call) Levels() Levels {
	return Levels{Mic: c.out.Meter().Load(), Speaker: c.spk.Load()}
}

// Quality returns the call's current quality.
func (c *Call) Quality() QualityReport {
	return stream.Report(c.q, CodecName(c.out.Codec().MimeType), c.cfg.Thresholds)
}

// Live reports whether the far end's track arrived and the call is open.
func (c *Call) Live() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.in != nil && !c.closed
}

// PlayerStats returns the inbound player's counters (jitter buffer target
// and depth, concealment), false before the far end's track arrives.
func (c *Call) PlayerStats() (Stats, bool) {
	c.mu.Lock()
	in := c.in
	c.mu.Unlock()
	if in == nil {
		return Stats{}, false
	}
	return in.Stats(), true
}

// Close stops sending and playing and waits for the media goroutines. It
// does not close the peer connection or the device; close the peer
// connection first when the call may end before its media connected
// (pion's RTPSender waits for DTLS until the transport closes).
func (c *Call) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	in := c.in
	c.mu.Unlock()
	err := c.out.Close()
	if in != nil {
		err = errors.Join(err, in.Close())
	}
	return err
}
