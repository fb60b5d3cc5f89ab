package bridge

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/internal/testenv"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// chromium returns the browser, or skips (fails under CI=true) when there
// is none.
func chromium(t *testing.T) Browser {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		testenv.Unavailable(t, "chromium: %v", err)
	}
	return Chromium{}
}

// nullDevice is the tests' sound device: paced silence.
func nullDevice() (device.Device, error) { return device.NewNull(true), nil }

// open connects v; a Chromium that cannot start fails under CI=true.
func open(t *testing.T, v *Vendor) {
	t.Helper()
	if v.OpenDevice == nil { // no sound card in tests
		v.OpenDevice = nullDevice
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := v.Connect(ctx); err != nil {
		if errors.Is(err, ErrNoChromium) {
			testenv.Unavailable(t, "%v", err)
		}
		t.Fatal(err)
	}
}

// follow applies v's events until ok holds or the deadline passes.
func follow(t *testing.T, v *Vendor, s *session.State, what string, ok func(session.State, session.Event) bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case e, open := <-v.Events():
			if !open {
				t.Fatalf("%s: events closed", what)
			}
			n, err := session.Transition(*s, e)
			if err != nil {
				t.Fatalf("%s: %s: %v", what, e.Type(), err)
			}
			*s = n
			if ok(n, e) {
				return
			}
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestVideskKioskInChromium(t *testing.T) {
	sdk, err := os.ReadFile("testdata/videsk/sdk.js")
	if err != nil {
		t.Fatal(err)
	}
	v := New(Videsk(sdk), map[string]string{"token": "t"}, chromium(t), vendors.Config{})
	t.Cleanup(func() { v.Close() })
	open(t, v)
	var s session.State
	follow(t, v, &s, "signed in", func(st session.State, _ session.Event) bool { return st.Authed })
	if s.Role != session.RoleKiosk {
		t.Errorf("role %s", s.Role)
	}
	if err := v.Connect(context.Background()); !errors.Is(err, ErrSecondInstance) {
		t.Errorf("second connect: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := v.Send(ctx, session.Command{Verb: session.VerbCall}); err != nil {
		t.Fatal(err)
	}
	var waits []string
	follow(t, v, &s, "answered", func(st session.State, e session.Event) bool {
		switch q := e.(type) {
		case session.QueueJoined:
			waits = append(waits, session.Humanize(q.EstimatedWait, session.LangSpanish))
		case session.QueueUpdated:
			waits = append(waits, session.Humanize(q.EstimatedWait, session.LangSpanish))
		}
		_, talking := st.Talking()
		return talking
	})
	if len(waits) != 3 {
		t.Errorf("waits = %q", waits)
	}
	t.Logf("humanized waits: %q", waits)
	if err := v.Send(ctx, session.Command{Verb: session.VerbLeave}); err != nil { // a kiosk hangs up with leave
		t.Fatal(err)
	}
	follow(t, v, &s, "ended", func(st session.State, _ session.Event) bool { return len(st.Recent) == 1 })
	if err := v.Send(ctx, session.Command{Verb: session.VerbBarge, Agent: "x"}); err == nil {
		t.Error("barge accepted")
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if err := v.Send(ctx, session.Command{Verb: session.VerbCall}); !errors.Is(err, vendors.ErrClosed) {
		t.Errorf("send after close: %v", err)
	}
}
