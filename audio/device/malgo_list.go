//go:build cgo

package device

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/gen2brain/malgo"
)

// Info describes one device.
type Info struct {
	Name    string // what to put in Config (PulseAudio's device name)
	Desc    string // human description
	Default bool
	Capture bool // a source (microphone or monitor) rather than a sink
}

// Backends is the order in which malgo backends are tried: PulseAudio
// first (its ALSA route captured badly here), then ALSA.
var Backends = []malgo.Backend{malgo.BackendPulseaudio, malgo.BackendAlsa}

func newContext() (*malgo.AllocatedContext, error) {
	ctx, err := malgo.InitContext(Backends, malgo.ContextConfig{}, nil)
	if err != nil {
		return nil, fmt.Errorf("device: malgo context: %w", err)
	}
	return ctx, nil
}

// List returns the capture and playback devices the sound server offers.
func List() ([]Info, error) {
	ctx, err := newContext()
	if err != nil {
		return nil, err
	}
	defer func() { ctx.Uninit(); ctx.Free() }()
	var out []Info
	for _, kind := range []malgo.DeviceType{malgo.Capture, malgo.Playback} {
		infos, err := ctx.Devices(kind)
		if err != nil {
			return nil, fmt.Errorf("device: list: %w", err)
		}
		for _, in := range infos {
			out = append(out, Info{Name: idName(in.ID), Desc: in.Name(), Default: in.IsDefault != 0, Capture: kind == malgo.Capture})
		}
	}
	return out, nil
}

// idName recovers the backend's name from a device ID (PulseAudio keeps the
// source or sink name as a C string).
func idName(id malgo.DeviceID) string {
	b, err := hex.DecodeString(id.String())
	if err != nil {
		return id.String()
	}
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}
