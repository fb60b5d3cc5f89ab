package phone

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/quality"
	"github.com/agentty/agentty/audio/rtc"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/proto"
)

// call is one call's media: a peer connection, its device, and the
// shared call media (rtc.Call: the outbound track and, once the centre's
// track arrives, the inbound player; levels, mute, quality and the media
// watch).
type call struct {
	id    string
	pc    *webrtc.PeerConnection
	dev   device.Device
	media *rtc.Call

	mu     sync.Mutex
	closed bool

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// answer builds the call for an offer and sends the answer once ICE
// gathering is complete (host candidates only, so this takes milliseconds).
// Loop only.
func (p *Phone) answer(s proto.Signal) error {
	dev, err := p.openDevice(s.CallID)
	if err != nil {
		return err
	}
	pc, err := p.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		dev.Close()
		return fmt.Errorf("phone: peer connection: %w", err)
	}
	c := &call{id: s.CallID, pc: pc, dev: dev}
	ctx, cancel := context.WithCancel(p.ctx)
	c.cancel = cancel
	onErr := func(err error) { p.cfg.Logger.Debug("phone: media", "call", s.CallID, "err", err) }
	var onDigit func(rune)
	if p.cfg.OnDigit != nil {
		id := c.id
		onDigit = func(d rune) { p.cfg.OnDigit(id, d) }
	}
	c.media, err = rtc.NewCall(pc, rtc.CallConfig{Device: dev, Codecs: p.codecs, FollowOffer: p.cfg.Codec == "", OnDigit: onDigit, OnError: onErr,
		Thresholds: p.cfg.Thresholds, Jitter: p.cfg.Jitter, Mute: &p.mute, MicMeter: &p.mic, SpeakerMeter: &p.spk,
		Drop: p.cfg.Drop, Quality: quality.NewMonitor("", 8000), Start: p.cfg.Now()})
	if err != nil {
		c.close()
		return fmt.Errorf("phone: %w", err)
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: s.SDP}); err != nil {
		c.close()
		return fmt.Errorf("phone: remote offer: %w", err)
	}
	ans, err := pc.CreateAnswer(nil)
	if err != nil {
		c.close()
		return fmt.Errorf("phone: answer: %w", err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(ans); err != nil {
		c.close()
		return fmt.Errorf("phone: local answer: %w", err)
	}
	p.mu.Lock()
	p.calls[c.id] = c
	p.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		select {
		case <-gathered:
		case <-ctx.Done():
			return
		}
		p.cfg.Send(proto.Signal{CallID: c.id, Kind: "answer", SDP: pc.LocalDescription().SDP})
	}()
	return nil
}

// openDevice opens the call's microphone and speaker: OpenDevice, else
// the WAV files or sound card chosen (Devices; stream.OpenDevice), which
// falls back to the null device (said once, as a media.mic event).
func (p *Phone) openDevice(callID string) (device.Device, error) {
	if p.cfg.OpenDevice != nil {
		d, err := p.cfg.OpenDevice(callID)
		if err != nil {
			return nil, fmt.Errorf("phone: device: %w", err)
		}
		return d, nil
	}
	d, first, err := p.devices.Open()
	if errors.Is(err, device.ErrNullFallback) {
		if first {
			p.cfg.Logger.Warn("phone: no sound device", "err", err)
			if p.cfg.OnEvent != nil {
				p.cfg.OnEvent(session.MediaMic{Base: session.Base{At: p.cfg.Now()}, Granted: false, Device: d.Name()})
			}
		}
		return d, nil
	}
	if err != nil {
		return nil, fmt.Errorf("phone: %w", err)
	}
	return d, nil
}

// live reports whether the call's media flows (an inbound track arrived).
func (c *call) live() bool {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	return !closed && c.media != nil && c.media.Live()
}

// close stops the media goroutines, the peer connection and the device.
func (c *call) close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
	}
	// The peer connection goes first: pion's RTPSender.SetReadDeadline (in
	// Outbound.Close) waits for DTLS until the transport closes, so a call
	// that ends before its media connected would otherwise hang here.
	err := c.pc.Close()
	if c.media != nil {
		err = errors.Join(err, c.media.Close())
	}
	c.wg.Wait()
	return errors.Join(err, c.dev.Close())
}

// PlayerStats returns the call's inbound player counters (jitter buffer
// target and depth, concealment), false before the centre's track arrives.
func (p *Phone) PlayerStats(callID string) (rtc.Stats, bool) {
	c := p.pick(callID)
	if c == nil || c.media == nil {
		return rtc.Stats{}, false
	}
	return c.media.PlayerStats()
}
