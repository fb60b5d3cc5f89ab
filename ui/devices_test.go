package ui

import (
	"errors"
	"sync"
	"testing"

	"github.com/agentty/agentty/session"
)

// fakeDevices implements Devices as a backend with sound devices does.
type fakeDevices struct {
	mu   sync.Mutex
	mic  string
	spk  string
	used []string
	fail error
}

func (f *fakeDevices) ListDevices() ([]session.AudioDevice, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	return []session.AudioDevice{
		{Name: "usb_in", Desc: "USB Headset", Capture: true, InUse: f.mic == "usb_in"},
		{Name: "pci_in", Desc: "Built-in Microphone", Capture: true, Default: true, InUse: f.mic == ""},
		{Name: "usb_out", Desc: "USB Headset", InUse: f.spk == "usb_out"},
		{Name: "pci_out", Desc: "Built-in Speakers", Default: true, InUse: f.spk == ""},
	}, nil
}

func (f *fakeDevices) UseDevice(capture bool, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if capture {
		f.mic = name
	} else {
		f.spk = name
	}
	f.used = append(f.used, name)
	return nil
}

// The palette's devices lists the microphones and speakers with the ones
// in use marked; choosing one switches it from the next call. A backend
// without devices offers no such word; a sound server that cannot be
// reached is one sentence.
func TestPaletteDevices(t *testing.T) {
	fd := &fakeDevices{}
	h := newHarness(t, session.RoleAgent, func(o *Options) { o.Devices = fd })
	h.press(":")
	h.typeText("dev")
	h.want("commands: devices (mic, speaker)")
	h.press("tab", "enter")
	h.want("Devices (✓ in use)", "✓ mic     Built-in Microphone (de", // the pane cuts "(default)"
		"  speaker USB Headset", "✓ speaker Built-in Speakers (de")
	h.typeText("speaker usb")
	h.press("enter")
	h.want("Speaker usb_out from the next call.")
	if len(fd.used) != 1 || fd.spk != "usb_out" || fd.mic != "" {
		t.Fatalf("switched %v: mic %q speaker %q", fd.used, fd.mic, fd.spk)
	}
	h.press(":")
	h.typeText("devices")
	h.press("enter")
	h.want("✓ speaker USB Headset", "  speaker Built-in Speakers (de")
	h.press("esc")

	fd.fail = errors.New("no sound server to list devices from (connection refused)")
	h.press(":")
	h.typeText("devices")
	h.press("enter")
	h.want("No sound server to list devices from (connection refused)")

	n := newHarness(t, session.RoleAgent, nil)
	n.press(":")
	n.typeText("dev")
	n.want("commands: no such command")
	n.typeText("ices")
	n.press("enter")
	n.want("Unknown command")
}
