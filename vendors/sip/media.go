package sip

import (
	"errors"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// openDevice opens one call's microphone and speaker as chosen now (the
// media settings, vendors.Config.Media, as the other backends read them,
// or UseDevice), falling back to the null device, which is said once
// (media.mic).
func (b *Backend) openDevice() (device.Device, error) {
	if b.testDevice != nil {
		return b.testDevice()
	}
	d, first, err := b.devices.Open()
	if errors.Is(err, device.ErrNullFallback) {
		if first {
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

// ListDevices implements vendors.Devices: the sound server's devices,
// marking those the next call opens.
func (b *Backend) ListDevices() ([]session.AudioDevice, error) {
	ls, err := b.devices.Listed()
	out := make([]session.AudioDevice, len(ls))
	for i, l := range ls {
		out[i] = session.AudioDevice(l)
	}
	return out, err
}

// UseDevice implements vendors.Devices: the next call opens it.
func (b *Backend) UseDevice(capture bool, name string) error { return b.devices.Use(capture, name) }

var (
	_ vendors.Metered = (*Backend)(nil)
	_ vendors.Devices = (*Backend)(nil)
)
