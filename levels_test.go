package main

import (
	"testing"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/fake"
)

// metered is a backend with an audio path, as vendors.Metered says.
type metered struct {
	*fake.Vendor
	ok bool
}

func (m metered) Levels() (float64, float64, bool) { return -30, 0, m.ok }

// The VU meters read any backend with levels (vendors.Metered), through
// the journal's wrapper; a backend without audio gets none.
func TestLevelsOfAnyMeteredBackend(t *testing.T) {
	if levelsOf(fake.New(nil, session.RoleAgent, "")) != nil {
		t.Errorf("the scripted backend has levels")
	}
	if levelsOf(metered{fake.New(nil, session.RoleAgent, ""), false}) != nil {
		t.Errorf("a backend with no audio path has levels")
	}
	var v vendors.Vendor = metered{fake.New(nil, session.RoleAgent, ""), true}
	j, err := journal.Open(journal.Options{Dir: t.TempDir(), Prefix: "session"})
	if err != nil {
		t.Fatal(err)
	}
	v = withJournal(v, j)
	defer v.Close()
	f := levelsOf(v)
	if f == nil {
		t.Fatal("no levels through the journal wrapper")
	}
	if mic, spk := f(); mic != 0.5 || spk != 1 {
		t.Errorf("levels %v %v, want 0.5 1", mic, spk)
	}
}

// withDevices is a backend whose calls open sound devices
// (vendors.Devices).
type withDevices struct {
	*fake.Vendor
	used string
}

func (w *withDevices) ListDevices() ([]session.AudioDevice, error) {
	return []session.AudioDevice{{Name: "usb", Capture: true, InUse: w.used == "usb"}}, nil
}

func (w *withDevices) UseDevice(_ bool, name string) error { w.used = name; return nil }

// The console's device menu finds any backend with devices
// (vendors.Devices), through the journal's wrapper, and none on a backend
// without.
func TestDevicesOfAnyBackend(t *testing.T) {
	if devicesOf(fake.New(nil, session.RoleAgent, "")) != nil {
		t.Errorf("the scripted backend has sound devices")
	}
	wd := &withDevices{Vendor: fake.New(nil, session.RoleAgent, "")}
	j, err := journal.Open(journal.Options{Dir: t.TempDir(), Prefix: "session"})
	if err != nil {
		t.Fatal(err)
	}
	v := withJournal(wd, j)
	defer v.Close()
	d := devicesOf(v)
	if d == nil {
		t.Fatal("no devices through the journal wrapper")
	}
	if err := d.UseDevice(true, "usb"); err != nil || wd.used != "usb" {
		t.Errorf("use: %v, backend has %q", err, wd.used)
	}
	if ds, err := d.ListDevices(); err != nil || len(ds) != 1 || !ds[0].InUse {
		t.Errorf("list: %+v %v", ds, err)
	}
}
