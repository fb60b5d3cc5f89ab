package stream

import (
	"errors"
	"fmt"
	"sync"

	"github.com/agentty/agentty/audio/device"
)

// Devices is a backend's choice of sound devices, switched while it runs:
// each call opens Config as it is when the call starts. Safe for
// concurrent use.
type Devices struct {
	mu       sync.Mutex
	cfg      DeviceConfig
	fellBack bool // a call fell back to the null device (Open)
	// List lists the sound server's devices (nil: device.List). Tests
	// replace it.
	List func() ([]device.Info, error)
}

// NewDevices returns the choice cfg, which the backend's settings made.
func NewDevices(cfg DeviceConfig) *Devices { return &Devices{cfg: cfg} }

// Config returns the devices the next call opens.
func (d *Devices) Config() DeviceConfig {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cfg
}

// Open opens a call's device as chosen now (OpenDevice). With no sound
// device it returns the paced null device and an error wrapping
// device.ErrNullFallback with the cause, and first is true the first time
// that happens, for the owner to tell the person once. Any other error
// means no device.
func (d *Devices) Open() (dev device.Device, first bool, err error) {
	dev, err = OpenDevice(d.Config())
	if errors.Is(err, device.ErrNullFallback) {
		d.mu.Lock()
		first, d.fellBack = !d.fellBack, true
		d.mu.Unlock()
	}
	return dev, first, err
}

// Listed is one sound device and whether the next call opens it.
type Listed struct {
	Name, Desc              string
	Capture, Default, InUse bool
}

func (d *Devices) list() ([]device.Info, error) {
	if d.List != nil {
		return d.List()
	}
	return device.List()
}

// Listed returns the sound server's devices, marking those the next call
// opens: the named ones (by name or description), else the defaults;
// none while WAV files stand in for the devices.
func (d *Devices) Listed() ([]Listed, error) {
	infos, err := d.list()
	if err != nil {
		return nil, fmt.Errorf("no sound server to list devices from (%w)", err)
	}
	cfg := d.Config()
	wav := cfg.MicWAV != "" || cfg.SpeakerWAV != ""
	out := make([]Listed, len(infos))
	for i, in := range infos {
		want := cfg.Speaker
		if in.Capture {
			want = cfg.Mic
		}
		use := !wav && (want == "" && in.Default || want != "" && (want == in.Name || want == in.Desc))
		out[i] = Listed{Name: in.Name, Desc: in.Desc, Capture: in.Capture, Default: in.Default, InUse: use}
	}
	return out, nil
}

// Use makes the next call open the microphone (capture) or the speaker
// named ("": the system's default). The sound server must offer a device
// of that name; a chosen device replaces WAV files on both sides (one
// device carries both).
func (d *Devices) Use(capture bool, name string) error {
	kind := "speaker"
	if capture {
		kind = "microphone"
	}
	if name != "" {
		infos, err := d.list()
		if err != nil {
			return fmt.Errorf("no sound server to choose a %s from (%w)", kind, err)
		}
		found := false
		for _, in := range infos {
			found = found || in.Capture == capture && (in.Name == name || in.Desc == name)
		}
		if !found {
			return fmt.Errorf("no %s named %q (agentty devices lists them)", kind, name)
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cfg.MicWAV, d.cfg.SpeakerWAV = "", ""
	if capture {
		d.cfg.Mic = name
	} else {
		d.cfg.Speaker = name
	}
	return nil
}
