package sip

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/vendortest"
)

// TestContract runs vendortest against the real lab: Kamailio and a
// baresip caller. SIP is a phone backend (no ACD, no kiosk, no
// supervisor): the suite runs its connect, bad password, call (ring,
// answer, hold, retrieve, hang up), refusal and close sections and skips
// the others, saying why.
func TestContract(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice, bob)
	b := siplab.StartBaresip(t, siplab.BaresipConfig{User: bob.Name, Password: bob.Password, Registrar: k.Addr()})
	b.WaitRegistered(t, 5*time.Second)
	mk := func(t *testing.T, pass string) vendors.Vendor {
		v, err := vendors.New("sip", vendors.Config{Options: map[string]string{"user": alice.Name, "password": pass, "domain": k.Addr(), "codecs": "pcmu"}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { v.Close() })
		return quiet(v)
	}
	vendortest.Run(t, vendortest.Harness{
		New:         func(t *testing.T, _ session.Role) vendors.Vendor { return mk(t, alice.Password) },
		NewBadToken: func(t *testing.T) vendors.Vendor { return mk(t, "wrong") },
		Ring: func(t *testing.T, v vendors.Vendor) {
			if _, err := b.Command("dial", "sip:"+alice.Name+"@"+k.Addr()); err != nil {
				t.Fatal(err)
			}
		},
	})
}
