package stream

import (
	"errors"
	"fmt"

	"github.com/agentty/agentty/audio/device"
)

// DeviceConfig names a call's microphone and speaker: WAV files (tests,
// headless use) or sound devices by name ("" is the default device).
type DeviceConfig struct {
	Mic, Speaker       string // sound devices by name
	MicWAV, SpeakerWAV string // microphone from this WAV file, speaker into this one
}

// OpenDevice opens a call's device: the WAV files when either is named
// (paced, padded with silence), else the sound card, falling back to a
// paced null device. On a fallback it returns the null device and an
// error wrapping device.ErrNullFallback with the cause, for the caller to
// tell the person once (a media.mic event); any other error means no
// device. Give the microphone side to the sender through device.LiveEdge.
func OpenDevice(c DeviceConfig) (device.Device, error) {
	if c.MicWAV != "" || c.SpeakerWAV != "" {
		d, err := device.NewWAV(device.WAVConfig{InPath: c.MicWAV, OutPath: c.SpeakerWAV, PadSilence: true, Paced: true})
		if err != nil {
			return nil, fmt.Errorf("stream: device: %w", err)
		}
		return d, nil
	}
	d, err := device.OpenOrNull(device.Config{Capture: c.Mic, Playback: c.Speaker})
	if err != nil && !errors.Is(err, device.ErrNullFallback) {
		return nil, fmt.Errorf("stream: device: %w", err)
	}
	return d, err
}
