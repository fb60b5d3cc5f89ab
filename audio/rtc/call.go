package rtc

import (
	"errors"
	"fmt"
	"sync"

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
	// device.
	Device device.Device
	// Codecs is the send preference (nil: DefaultCodecs).
	Codecs []string
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
}

// Call is the console's view of one call's media: it sends the device's
// microphone, plays the first remote audio track to the device's speaker,
// sends and receives DTMF, and exposes levels, mute and quality. All
// methods are safe from any goroutine.
type Call struct {
	cfg CallConfig
	out *Outbound
	q   *quality.Monitor
	spk audio.Meter

	mu     sync.Mutex
	in     *Inbound
	closed bool
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
	c := &Call{cfg: cfg, q: quality.NewMonitor(audio.NamePCMU, 8000)}
	out, err := AttachOutbound(pc, OutboundConfig{Source: cfg.Device, Codecs: cfg.Codecs, Quality: c.q, OnError: cfg.OnError})
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
		Sink: c.cfg.Device, Meter: &c.spk, Quality: c.q,
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

// Close stops sending and playing and waits for the media goroutines. It
// does not close the peer connection or the device.
func (c *Call) Close() error {
	c.mu.Lock()
	c.closed = true
	in := c.in
	c.mu.Unlock()
	err := c.out.Close()
	if in != nil {
		err = errors.Join(err, in.Close())
	}
	return err
}
