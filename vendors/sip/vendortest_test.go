package sip

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/vendortest"
)

// TestContract runs vendortest against the real lab. Today's suite
// demands checkin, ready and the kiosk verbs, which a SIP account does not
// have (4 of its 6 sections fail for that alone; "bad token is refused"
// and "close is final" pass); it runs once vendortest selects sections by
// capability (branch s18).
func TestContract(t *testing.T) {
	t.Skip("vendortest needs ACD and kiosk verbs until it runs sections by capability (s18)")
	k := siplab.StartKamailio(t, "MD5", siplab.User{Name: "alice", Password: "pa"}, siplab.User{Name: "bob", Password: "pb"})
	b := siplab.StartBaresip(t, siplab.BaresipConfig{User: "bob", Password: "pb", Registrar: k.Addr()})
	b.WaitRegistered(t, 5*time.Second)
	mk := func(t *testing.T, pass string) vendors.Vendor {
		v, err := vendors.New("sip", vendors.Config{Options: map[string]string{"user": "alice", "password": pass, "domain": k.Addr(), "codecs": "pcmu"}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { v.Close() })
		return v
	}
	vendortest.Run(t, vendortest.Harness{
		New:         func(t *testing.T, _ session.Role) vendors.Vendor { return mk(t, "pa") },
		NewBadToken: func(t *testing.T) vendors.Vendor { return mk(t, "wrong") },
		Ring: func(t *testing.T, v vendors.Vendor) {
			if _, err := b.Command("dial", "sip:alice@"+k.Addr()); err != nil {
				t.Fatal(err)
			}
		},
	})
}
