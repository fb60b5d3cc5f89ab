package centre

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/local/phone"
	"github.com/agentty/agentty/vendors/vendortest"
)

// TestMediaClientContract holds the registry's default vendor, the client
// with a phone, to the same contract as the bare client.
func TestMediaClientContract(t *testing.T) {
	c := newCentre(t, ServerConfig{Clock: vendors.SystemClock{}})
	var n atomic.Int64
	newMC := func(t *testing.T, tok string) vendors.Vendor {
		m, err := local.NewMediaClient(local.ClientConfig{Server: c.url, Token: tok}, phone.Config{Loopback: true,
			OpenDevice: func(string) (device.Device, error) { return device.NewNull(true), nil }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		return m
	}
	vendortest.Run(t, vendortest.Harness{
		New: func(t *testing.T, role session.Role) vendors.Vendor {
			return newMC(t, c.token(role, fmt.Sprintf("m%s%d", role, n.Add(1))))
		},
		NewBadToken: func(t *testing.T) vendors.Vendor { return newMC(t, "agt_nope") },
		Ring: func(t *testing.T, v vendors.Vendor) {
			if _, err := c.srv.SimCall(context.Background(), "+34917370192", "general", nil); err != nil {
				t.Fatal(err)
			}
		},
	})
	v := newMC(t, c.token(session.RoleAgent, "first"))
	if err := v.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := len(v.Events()); got < 2 {
		t.Errorf("%d events on Events when Connect returned, want connection.established and auth.result at least", got)
	}
}
