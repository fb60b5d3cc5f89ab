package sip

import (
	"errors"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/stream"
	"github.com/agentty/agentty/session"
)

// openDevice opens one call's microphone and speaker from the options
// "mic", "speaker", "mic-wav" and "speaker-wav" (as the other backends
// do), falling back to the null device, which is said once (media.mic).
func (b *Backend) openDevice() (device.Device, error) {
	if b.testDevice != nil {
		return b.testDevice()
	}
	o := b.cfg.Options
	d, err := stream.OpenDevice(stream.DeviceConfig{Mic: o["mic"], Speaker: o["speaker"], MicWAV: o["mic-wav"], SpeakerWAV: o["speaker-wav"]})
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
