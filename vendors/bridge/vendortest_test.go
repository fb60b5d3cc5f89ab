package bridge

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/bridge/voximplant/voxfake"
	"github.com/agentty/agentty/vendors/bridge/wire"
	"github.com/agentty/agentty/vendors/vendortest"
)

// The contract suite against each bridge backend, in real headless
// Chromium. The suite picks its sections by the backend's capabilities
// (kiosk, ACD, phone, supervisor: branch t18's vendortest); what a seed
// cannot do is said where the harness skips. Until that suite is in main
// (main's demands an ACD agent and a kiosk of every backend), these run
// only with AGENTTY_BRIDGE_CONTRACT=1.
//
// Known failures with the suite by capability (07:25 UTC):
//   - voximplant: "agent handles a call" at hold: the SDK's setActive
//     renegotiates only over a connected PeerConnection, which the fake
//     cloud (no media) never has;
//   - videsk: "connect signs in" wants an agent; Videsk signs in a kiosk;
//   - sfphone, aicc: "connect signs in" and "refuses what its state
//     forbids" want a verb of a known kind; the sfphone iframe only dials
//     and the AICC bar takes no commands (seed 003 documents none).

// contractTimeout bounds each wait: a Chromium starts in about 1 s on an
// idle machine, ten times that on a loaded one.
const contractTimeout = 30 * time.Second

// contract skips t unless AGENTTY_BRIDGE_CONTRACT=1 (see above).
func contract(t *testing.T) {
	if os.Getenv("AGENTTY_BRIDGE_CONTRACT") != "1" {
		t.Skip("vendortest by capability is not in main yet; AGENTTY_BRIDGE_CONTRACT=1 runs it")
	}
}

// testVendor builds one bridge vendor for the suite, closed at cleanup
// with the null sound device.
func testVendor(t *testing.T, spec Spec, config map[string]string, b Browser) *Vendor {
	t.Helper()
	v := New(spec, config, b, vendors.Config{})
	v.OpenDevice = nullDevice
	t.Cleanup(func() { v.Close() })
	return v
}

// post runs a test page's hook, failing the test on an error.
func post(t *testing.T, v vendors.Vendor, method string) {
	t.Helper()
	must(t, v.(*Vendor).Post(ctx10(t), wire.Call{Method: method}))
}

// TestContractVoximplant: the real SDK against the fake cloud (voxfake).
func TestContractVoximplant(t *testing.T) {
	contract(t)
	rings := map[vendors.Vendor]*voxfake.Server{}
	vendortest.Run(t, vendortest.Harness{
		Timeout: contractTimeout,
		New: func(t *testing.T, _ session.Role) vendors.Vendor {
			f, v := voxFake(t, "secret")
			rings[v] = f
			return v
		},
		NewBadToken: func(t *testing.T) vendors.Vendor { _, v := voxFake(t, "wrong"); return v },
		Ring:        func(t *testing.T, v vendors.Vendor) { must(t, rings[v].Ring("call-1", "+34911000111", "Bob")) },
	})
}

func TestContractPhoneSDK(t *testing.T) {
	contract(t)
	sdk, err := os.ReadFile("testdata/phonesdk/sdk.js")
	must(t, err)
	b := chromium(t)
	vendortest.Run(t, vendortest.Harness{
		Timeout: contractTimeout,
		New: func(t *testing.T, role session.Role) vendors.Vendor {
			return testVendor(t, PhoneSDK(sdk, role), map[string]string{"user": "8001"}, b)
		},
		NewBadToken: func(t *testing.T) vendors.Vendor {
			t.Skip("phone-sdk (seed 004) reports a refused connect only as onConnect {result:false}: a connection.failed, no auth code")
			return nil
		},
		Ring: func(t *testing.T, v vendors.Vendor) { post(t, v, "ring") },
	})
}

func TestContractVidesk(t *testing.T) {
	contract(t)
	sdk, err := os.ReadFile("testdata/videsk/sdk.js")
	must(t, err)
	b := chromium(t)
	vendortest.Run(t, vendortest.Harness{
		Timeout: contractTimeout,
		New: func(t *testing.T, _ session.Role) vendors.Vendor {
			return testVendor(t, Videsk(sdk), map[string]string{"token": "t"}, b)
		},
		NewBadToken: func(t *testing.T) vendors.Vendor {
			t.Skip("Videsk (seed 000) checks the token when a call is placed (token-error), not at sign-in")
			return nil
		},
		Ring: func(t *testing.T, _ vendors.Vendor) { t.Skip("Videsk is a kiosk: no call rings it") },
	})
}

func TestContractSFPhone(t *testing.T) {
	contract(t)
	b := chromium(t)
	vendortest.Run(t, vendortest.Harness{
		Timeout: contractTimeout,
		New: func(t *testing.T, _ session.Role) vendors.Vendor {
			return testVendor(t, SFPhone(http.Dir("testdata/sfphone"), "sfphone.html"), nil, b)
		},
		NewBadToken: func(t *testing.T) vendors.Vendor {
			t.Skip("the sfphone iframe (seed 002) signs in by itself; agentty holds no token")
			return nil
		},
		Ring: func(t *testing.T, v vendors.Vendor) { post(t, v, "test:ring") },
	})
}

func TestContractAICC(t *testing.T) {
	contract(t)
	b := chromium(t)
	vendortest.Run(t, vendortest.Harness{
		Timeout: contractTimeout,
		New: func(t *testing.T, _ session.Role) vendors.Vendor {
			return testVendor(t, AICC(http.Dir("testdata/aicc"), "ccbar.html"), nil, b)
		},
		NewBadToken: func(t *testing.T) vendors.Vendor {
			t.Skip("the AICC connection bar (seed 003) signs in by itself; agentty holds no token")
			return nil
		},
		Ring: func(t *testing.T, v vendors.Vendor) { post(t, v, "test:ring") },
	})
}
