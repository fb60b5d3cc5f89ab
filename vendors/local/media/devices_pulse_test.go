//go:build cgo

package media_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/internal/testenv"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/local/media"
)

// TestSwitchSpeakerOfTheLocalBackend: the local backend (a MediaClient on
// real PulseAudio devices) lists the null sinks and their monitors, marks
// the speaker its next call opens, refuses a device nobody offers, and
// after a switch its next call plays into the chosen sink: the kiosk's
// tone is heard on that sink's monitor. A stalled capture is retried once.
func TestSwitchSpeakerOfTheLocalBackend(t *testing.T) { onPulse(t, switchedCall) }

func switchedCall(t *testing.T) error {
	c := newCentre(t, media.Config{})
	agent := c.signInWith(session.RoleAgent, "ana", nil, nil, nil, nil) // the devices the backend chooses
	var devs vendors.Devices = agent.cl
	ds, err := devs.ListDevices()
	if err != nil {
		testenv.Unavailable(t, "no devices listed: %v", err)
	}
	byName := map[string]session.AudioDevice{}
	for _, d := range ds {
		byName[d.Name] = d
	}
	for _, want := range []string{"agentty_a", "agentty_b"} {
		if d, ok := byName[want]; !ok || d.Capture {
			t.Fatalf("speaker %s not listed: %+v", want, ds)
		}
		if d, ok := byName[want+".monitor"]; !ok || !d.Capture {
			t.Fatalf("microphone %s.monitor not listed: %+v", want, ds)
		}
	}
	// The sink to switch to is the one that is not in use now.
	target := "agentty_b"
	if byName[target].InUse {
		target = "agentty_a"
	}
	if err := devs.UseDevice(false, "agentty_nowhere"); err == nil || !strings.Contains(err.Error(), `no speaker named "agentty_nowhere"`) {
		t.Errorf("an unknown speaker: %v", err)
	}
	if err := devs.UseDevice(false, target); err != nil {
		t.Fatal(err)
	}
	if ds, err = devs.ListDevices(); err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if !d.Capture && d.InUse != (d.Name == target) {
			t.Errorf("after the switch to %s, speaker %s in use: %v", target, d.Name, d.InUse)
		}
	}

	ear, err := device.Open(device.Config{Capture: target + ".monitor", NoPlayback: true, StallTimeout: 3 * time.Second})
	if err != nil {
		testenv.Unavailable(t, "no null sink %s: %v", target, err)
	}
	defer ear.Close()
	kiosk := c.signIn(session.RoleKiosk, "lobby", newTap(nil, 1000), nil, nil)
	connect(t, kiosk, agent)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return hearTone(ctx, ear, 1000)
}
