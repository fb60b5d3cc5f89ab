package bridge

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/internal/testenv"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// voxSDK reads the real SDK that scripts/bridge-js.sh installs; without it
// the test fails under CI=true and skips otherwise.
func voxSDK(t *testing.T) []byte {
	b, err := os.ReadFile("voximplant/js/node_modules/voximplant-websdk/voximplant.min.js")
	if err != nil {
		testenv.Unavailable(t, "voximplant-websdk not installed (scripts/bridge-js.sh): %v", err)
	}
	return b
}

// TestVoximplantOfflineInChromium drives the real SDK's Client with no
// network: its failure surfaces as connection.failed with the SDK's reason.
func TestVoximplantOfflineInChromium(t *testing.T) {
	v := New(Voximplant(voxSDK(t)), map[string]string{"server_ip": "127.0.0.1:1"}, chromium(t), vendors.Config{})
	t.Cleanup(func() { v.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := v.Connect(ctx)
	if errors.Is(err, ErrNoChromium) {
		testenv.Unavailable(t, "%v", err)
	}
	if err == nil {
		t.Fatal("Connect succeeded offline")
	}
	t.Logf("connect: %v", err)
	var s session.State
	var failed session.ConnectionFailed
	follow(t, v, &s, "connection.failed", func(_ session.State, e session.Event) bool {
		f, ok := e.(session.ConnectionFailed)
		failed = f
		return ok
	})
	// 4.13.1-3005 offline fires ConnectionFailed carrying only its name.
	if !strings.Contains(failed.Reason, "ConnectionFailed") && strings.TrimSpace(failed.Reason) == "" {
		t.Errorf("no reason: %+v", failed)
	}
	t.Logf("SDK reason: %q; conn %s", failed.Reason, s.Conn)
	if s.Conn != session.ConnFailed {
		t.Errorf("conn = %s", s.Conn)
	}
}

// waitType returns the first event of type typ, failing after 10 s.
func waitType(t *testing.T, v *Vendor, typ session.EventType) session.Event {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case e, ok := <-v.Events():
			if !ok {
				t.Fatalf("events closed before %s", typ)
			}
			if e.Type() == typ {
				return e
			}
		case <-deadline:
			t.Fatalf("no %s", typ)
		}
	}
}
