package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/palette"
	"github.com/agentty/agentty/ui/picker"
)

// Devices lists and switches the microphone and speaker of a backend whose
// calls open this machine's sound devices (main passes the backend's
// vendors.Devices). Both are called from Cmd goroutines.
type Devices interface {
	ListDevices() ([]session.AudioDevice, error)
	UseDevice(capture bool, name string) error
}

// devicesWord is the palette's word for the device menu.
var devicesWord = palette.Word{Name: "devices", Usage: "devices (mic, speaker)"}

// words are the console words the palette offers: devices when the
// backend has sound devices.
func (m *Model) words() []palette.Word {
	if m.opts.Devices == nil {
		return nil
	}
	return []palette.Word{devicesWord}
}

// runWord runs a console word typed in the palette, reporting whether the
// line was one.
func (m *Model) runWord(line string) (tea.Cmd, bool) {
	if m.opts.Devices == nil || strings.ToLower(strings.TrimSpace(line)) != devicesWord.Name {
		return nil, false
	}
	devs := m.opts.Devices
	m.say("Listing the sound devices…", false)
	return func() tea.Msg {
		ds, err := devs.ListDevices()
		return devicesMsg{devices: ds, err: err}
	}, true
}

// devicesMsg answers ListDevices.
type devicesMsg struct {
	devices []session.AudioDevice
	err     error
}

// deviceUsedMsg answers UseDevice.
type deviceUsedMsg struct {
	label string
	err   error
}

// onDevices opens the device picker: microphones, then speakers, the ones
// in use marked.
func (m *Model) onDevices(msg devicesMsg) tea.Cmd {
	if msg.err != nil {
		m.fail(session.Command{}, msg.err)
		return nil
	}
	if len(msg.devices) == 0 {
		m.say("The sound server offers no devices.", true)
		return nil
	}
	m.say("", false)
	var items []picker.Item
	for _, capture := range []bool{true, false} {
		for _, d := range msg.devices {
			if d.Capture != capture {
				continue
			}
			items = append(items, picker.Item{Label: deviceLabel(d), Value: deviceValue(d)})
		}
	}
	m.picker, m.overlay = picker.New(m.com, "devices", "Devices (✓ in use)", items), pickerOverlay
	return nil
}

func deviceLabel(d session.AudioDevice) string {
	kind, mark, desc := "speaker", " ", d.Desc
	if d.Capture {
		kind = "mic    "
	}
	if d.InUse {
		mark = "✓"
	}
	if desc == "" {
		desc = d.Name
	}
	if d.Default {
		desc += " (default)"
	}
	return mark + " " + kind + " " + desc
}

// deviceValue is a picker value: "mic NAME" or "speaker NAME".
func deviceValue(d session.AudioDevice) string {
	if d.Capture {
		return "mic " + d.Name
	}
	return "speaker " + d.Name
}

// useDevice switches to the device chosen in the picker, in a Cmd.
func (m *Model) useDevice(value string) tea.Cmd {
	kind, name, _ := strings.Cut(value, " ")
	devs, capture := m.opts.Devices, kind == "mic"
	if devs == nil {
		return nil
	}
	label := "Speaker"
	if capture {
		label = "Microphone"
	}
	return func() tea.Msg {
		return deviceUsedMsg{label: label + " " + name + " from the next call.", err: devs.UseDevice(capture, name)}
	}
}

func (m *Model) onDeviceUsed(msg deviceUsedMsg) {
	if msg.err != nil {
		m.fail(session.Command{}, msg.err)
		return
	}
	m.say(msg.label, false)
}
