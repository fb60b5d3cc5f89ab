package centre

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/vendortest"
)

func TestContract(t *testing.T) {
	c := newCentre(t, ServerConfig{Clock: vendors.SystemClock{}})
	var n atomic.Int64
	vendortest.Run(t, vendortest.Harness{
		New: func(t *testing.T, role session.Role) vendors.Vendor {
			return c.client(c.token(role, fmt.Sprintf("%s%d", role, n.Add(1))))
		},
		NewBadToken: func(t *testing.T) vendors.Vendor {
			return c.client("agt_not-a-token-the-centre-minted")
		},
		Ring: func(t *testing.T, v vendors.Vendor) {
			if _, err := c.srv.SimCall(context.Background(), "+34917370192", "general", nil); err != nil {
				t.Fatal(err)
			}
		},
	})
}

func TestRegistered(t *testing.T) {
	v, err := vendors.New(local.Name, vendors.Config{Server: "ws://127.0.0.1:1", Token: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := vendors.New(local.Name, vendors.Config{Server: "http://x"}); err == nil {
		t.Errorf("http:// server accepted")
	}
}
