package sip

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/vendortest"
)

// The lab's accounts: extensions, as a PBX has them.
var (
	alice = siplab.User{Name: "201", Password: "pa"}
	bob   = siplab.User{Name: "202", Password: "pb"}
	carol = siplab.User{Name: "203", Password: "pc"}
	dave  = siplab.User{Name: "204", Password: "pd"}
)

// agent is one connected SIP backend followed as the console follows it,
// whose calls play a tone of hz and record what they hear.
type agent struct {
	*vendortest.Session
	b    *Backend
	mu   sync.Mutex
	devs []*siplab.Tone
}

func (a *agent) lastDev(t *testing.T) *siplab.Tone {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.devs) == 0 {
		t.Fatal("no call opened a device")
	}
	return a.devs[len(a.devs)-1]
}

func newAgent(t *testing.T, k *siplab.Kamailio, u siplab.User, hz float64, opts map[string]string) *agent {
	t.Helper()
	o := map[string]string{"user": u.Name, "password": u.Password, "domain": k.Addr(), "codecs": "pcmu"}
	for key, v := range opts {
		o[key] = v
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	v, err := vendors.New("sip", vendors.Config{Options: o, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	a := &agent{b: v.(*Backend)}
	a.b.testDevice = func() (device.Device, error) {
		d := siplab.ToneDevice(hz)
		a.mu.Lock()
		a.devs = append(a.devs, d)
		a.mu.Unlock()
		return d, nil
	}
	t.Cleanup(func() { v.Close() })
	a.Session = vendortest.Follow(t, v, 20*time.Second) // generous: loaded machines
	if err := connectWithin(v, 5*time.Second); err != nil {
		t.Fatalf("%s: connect: %v", u.Name, err)
	}
	a.WaitFor("signed in", func(s session.State) bool { return s.Authed })
	return a
}

func talking(s session.State) bool { _, ok := s.Talking(); return ok }
func ringing(s session.State) bool { _, ok := s.Ringing(); return ok }
func idle(s session.State) bool    { return len(s.Calls) == 0 }

// startBob starts baresip as extension 202 (a 1000 Hz tone).
func startBob(t *testing.T, k *siplab.Kamailio) *siplab.Baresip {
	t.Helper()
	b := siplab.StartBaresip(t, siplab.BaresipConfig{User: bob.Name, Password: bob.Password, Registrar: k.Addr(), ToneHz: 1000})
	b.WaitRegistered(t, 5*time.Second)
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(b.Log())
			t.Log(k.Log())
		}
	})
	return b
}

func connectWithin(v vendors.Vendor, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return v.Connect(ctx)
}

// do checks c against the state, sends it and applies what came back
// (vendortest's Do for commands whose call id a line cannot carry).
func (a *agent) do(t *testing.T, c session.Command) {
	t.Helper()
	a.Drain()
	if err := session.Check(a.State, c); err != nil {
		t.Fatalf("%s %s: %v", c.Verb, c.CallID, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.V.Send(ctx, c); err != nil {
		t.Fatalf("%s %s: %v", c.Verb, c.CallID, err)
	}
	a.Drain()
}

// quiet gives v's calls the null sound device (no sound server is
// touched by the test).
func quiet(v vendors.Vendor) vendors.Vendor {
	v.(*Backend).testDevice = func() (device.Device, error) { return device.NewNull(true), nil }
	return v
}
