package stream

import (
	"errors"
	"strings"
	"testing"

	"github.com/agentty/agentty/audio/device"
)

var infos = []device.Info{
	{Name: "alsa_input.usb", Desc: "USB Headset", Capture: true},
	{Name: "alsa_input.pci", Desc: "Built-in Microphone", Capture: true, Default: true},
	{Name: "alsa_output.usb", Desc: "USB Headset"},
	{Name: "alsa_output.pci", Desc: "Built-in Speakers", Default: true},
}

func inUse(t *testing.T, d *Devices) (mic, spk []string) {
	t.Helper()
	ls, err := d.Listed()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		switch {
		case l.InUse && l.Capture:
			mic = append(mic, l.Name)
		case l.InUse:
			spk = append(spk, l.Name)
		}
	}
	return mic, spk
}

// The next call's devices: the defaults, a device named by name or by
// description, none while WAV files stand in; a switch takes the next
// call and replaces the WAV files; a name nobody offers is refused.
func TestDevicesChoice(t *testing.T) {
	d := NewDevices(DeviceConfig{})
	d.List = func() ([]device.Info, error) { return infos, nil }
	if mic, spk := inUse(t, d); len(mic) != 1 || mic[0] != "alsa_input.pci" || len(spk) != 1 || spk[0] != "alsa_output.pci" {
		t.Errorf("defaults: mic %v speaker %v", mic, spk)
	}
	if err := d.Use(false, "USB Headset"); err != nil {
		t.Fatal(err)
	}
	if mic, spk := inUse(t, d); len(mic) != 1 || mic[0] != "alsa_input.pci" || len(spk) != 1 || spk[0] != "alsa_output.usb" {
		t.Errorf("speaker switched by description: mic %v speaker %v", mic, spk)
	}
	if err := d.Use(true, "alsa_output.pci"); err == nil || !strings.Contains(err.Error(), `no microphone named "alsa_output.pci"`) {
		t.Errorf("a speaker chosen as the microphone: %v", err)
	}
	if c := d.Config(); c.Speaker != "USB Headset" || c.Mic != "" {
		t.Errorf("config %+v after a refused switch", c)
	}

	w := NewDevices(DeviceConfig{MicWAV: "in.wav", SpeakerWAV: "out.wav"})
	w.List = d.List
	if mic, spk := inUse(t, w); mic != nil || spk != nil {
		t.Errorf("WAV files: devices in use %v %v", mic, spk)
	}
	if err := w.Use(true, "alsa_input.usb"); err != nil {
		t.Fatal(err)
	}
	if c := w.Config(); c != (DeviceConfig{Mic: "alsa_input.usb"}) {
		t.Errorf("after choosing a microphone over WAV files: %+v", c)
	}
	if err := w.Use(true, ""); err != nil || w.Config().Mic != "" {
		t.Errorf("back to the default: %v %+v", err, w.Config())
	}

	n := NewDevices(DeviceConfig{})
	n.List = func() ([]device.Info, error) { return nil, errors.New("connection refused") }
	if _, err := n.Listed(); err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "no sound server") {
		t.Errorf("no sound server: %v", err)
	}
	if err := n.Use(false, "x"); err == nil {
		t.Errorf("a device chosen with no sound server")
	}
}
