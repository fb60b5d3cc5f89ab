package sip

import (
	"errors"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/stream"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// openDevice opens one call's microphone and speaker from the media
// settings (vendors.Config.Media, as the other backends do), falling back to the null device, which is said once (media.mic).
func (b *Backend) openDevice() (device.Device, error) {
	if b.testDevice != nil {
		return b.testDevice()
	}
	m := b.cfg.Media
	d, err := stream.OpenDevice(stream.DeviceConfig{Mic: m.Mic, Speaker: m.Speaker, MicWAV: m.MicWAV, SpeakerWAV: m.SpeakerWAV})
	if errors.Is(err, device.ErrNullFallback) {
		if !b.nullSaid.Swap(true) {
			b.cfg.Logger.Warn("sip: no sound device", "err", err)
			b.emit(session.MediaMic{Base: session.Base{At: b.now()}, Granted: false, Device: d.Name()})
		}
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	return device.LiveEdge(d), nil
}

// Levels implements vendors.Metered: the microphone and speaker peaks of
// the calls' legs (one pair of meters shared by every call).
func (b *Backend) Levels() (micDBFS, speakerDBFS float64, ok bool) {
	return float64(b.mic.Load().PeakDBFS), float64(b.spk.Load().PeakDBFS), true
}

var _ vendors.Metered = (*Backend)(nil)
