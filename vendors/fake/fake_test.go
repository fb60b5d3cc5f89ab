package fake_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/fake"
	"github.com/agentty/agentty/vendors/vendortest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestContract(t *testing.T) {
	vendortest.Run(t, vendortest.Harness{
		New: func(t *testing.T, role session.Role) vendors.Vendor {
			v := fake.New(nil, role, fake.ValidToken)
			t.Cleanup(func() { v.Close() })
			return v
		},
		NewBadToken: func(t *testing.T) vendors.Vendor {
			v := fake.New(nil, session.RoleAgent, "wrong")
			t.Cleanup(func() { v.Close() })
			return v
		},
		Ring: func(t *testing.T, v vendors.Vendor) {
			if _, err := v.(*fake.Vendor).Ring("+34917370192"); err != nil {
				t.Fatal(err)
			}
		},
	})
}

func TestRegistered(t *testing.T) {
	v, err := vendors.New(fake.Name, vendors.Config{Options: map[string]string{"role": "kiosk"}})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if !v.Capabilities().Has(session.VerbCall) || v.Capabilities().Has(session.VerbDial) {
		t.Errorf("kiosk capabilities = %v", v.Capabilities().List())
	}
	if _, err := vendors.New("nope", vendors.Config{}); err == nil {
		t.Errorf("unknown vendor built")
	}
}

// The phone-only backend (no ACD, no kiosk) passes the suite by the
// sections its capabilities choose.
func TestPhoneContract(t *testing.T) {
	vendortest.Run(t, vendortest.Harness{
		New: func(t *testing.T, _ session.Role) vendors.Vendor {
			v := fake.NewPhone(nil, fake.ValidToken)
			t.Cleanup(func() { v.Close() })
			return v
		},
		NewBadToken: func(t *testing.T) vendors.Vendor {
			v := fake.NewPhone(nil, "wrong")
			t.Cleanup(func() { v.Close() })
			return v
		},
		Ring: func(t *testing.T, v vendors.Vendor) {
			if _, err := v.(*fake.Vendor).Ring("+34917370192"); err != nil {
				t.Fatal(err)
			}
		},
	})
}

func TestPhoneHasNoACD(t *testing.T) {
	v, err := vendors.New(fake.PhoneName, vendors.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	caps := v.Capabilities()
	for _, verb := range []session.Verb{session.VerbCheckIn, session.VerbReady, session.VerbDone, session.VerbCall, session.VerbListen} {
		if caps.Has(verb) {
			t.Errorf("the phone has %s", verb)
		}
	}
	if !vendortest.KindPhone.Has(caps) || vendortest.KindACD.Has(caps) || vendortest.KindKiosk.Has(caps) {
		t.Errorf("phone capabilities %v", caps.List())
	}
	if _, err := vendors.New(fake.PhoneName, vendors.Config{Options: map[string]string{"role": "kiosk"}}); err == nil {
		t.Errorf("a kiosk phone was built")
	}
}
