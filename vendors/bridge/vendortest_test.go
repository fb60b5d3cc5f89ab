package bridge

import (
	"net/http"
	"os"
	"path"
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
// (kiosk, ACD, phone, supervisor); what a seed cannot do is said where
// the harness skips. The sections the suite cannot pass for a seed are
// listed here and skipped by knownGap with the reason:
//   - voximplant: "agent handles a call" at hold: the SDK's setActive
//     renegotiates only over a connected PeerConnection, which the fake
//     cloud (no media) never has;
//   - videsk: "connect signs in" wants an agent; Videsk signs in a kiosk;
//   - sfphone, aicc: "connect signs in" and "refuses what its state
//     forbids" want a verb of a known kind; the sfphone iframe only dials
//     and the AICC bar takes no commands (seed 003 documents none).

// knownGap skips a suite section (t is the section's subtest, as handed
// to the harness) that a seed cannot pass, saying why.
func knownGap(t *testing.T, gaps map[string]string) {
	t.Helper()
	if why, ok := gaps[path.Base(t.Name())]; ok {
		t.Skip(why)
	}
}

// contractTimeout bounds each wait: a Chromium starts in about 1 s on an
// idle machine, ten times that on a loaded one.
const contractTimeout = 30 * time.Second

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
	rings := map[vendors.Vendor]*voxfake.Server{}
	vendortest.Run(t, vendortest.Harness{
		Timeout: contractTimeout,
		New: func(t *testing.T, _ session.Role) vendors.Vendor {
			knownGap(t, map[string]string{"agent_handles_a_call": "hold: the SDK's setActive renegotiates only over a connected PeerConnection, " +
				"which the fake cloud (no media) never has; TestVoximplantLoginAndIncomingCall runs the call without hold"})
			f, v := voxFake(t, "secret")
			rings[v] = f
			return v
		},
		NewBadToken: func(t *testing.T) vendors.Vendor { _, v := voxFake(t, "wrong"); return v },
		Ring:        func(t *testing.T, v vendors.Vendor) { must(t, rings[v].Ring("call-1", "+34911000111", "Bob")) },
	})
}

func TestContractPhoneSDK(t *testing.T) {
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
	sdk, err := os.ReadFile("testdata/videsk/sdk.js")
	must(t, err)
	b := chromium(t)
	vendortest.Run(t, vendortest.Harness{
		Timeout: contractTimeout,
		New: func(t *testing.T, _ session.Role) vendors.Vendor {
			knownGap(t, map[string]string{"connect_signs_in": "it wants an agent; Videsk (seed 000) signs in a kiosk only"})
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
	b := chromium(t)
	vendortest.Run(t, vendortest.Harness{
		Timeout: contractTimeout,
		New: func(t *testing.T, _ session.Role) vendors.Vendor {
			knownGap(t, map[string]string{
				"connect_signs_in":                       "it wants a backend of a known kind; the sfphone iframe (seed 002) only dials",
				"backend_refuses_what_its_state_forbids": "no verb of sfphone's (dial) is one a state forbids"})
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
	b := chromium(t)
	vendortest.Run(t, vendortest.Harness{
		Timeout: contractTimeout,
		New: func(t *testing.T, _ session.Role) vendors.Vendor {
			knownGap(t, map[string]string{
				"connect_signs_in":                       "it wants a backend of a known kind; the AICC bar takes no commands (seed 003 documents none)",
				"backend_refuses_what_its_state_forbids": "the AICC bar takes no commands to refuse"})
			return testVendor(t, AICC(http.Dir("testdata/aicc"), "ccbar.html"), nil, b)
		},
		NewBadToken: func(t *testing.T) vendors.Vendor {
			t.Skip("the AICC connection bar (seed 003) signs in by itself; agentty holds no token")
			return nil
		},
		Ring: func(t *testing.T, v vendors.Vendor) { post(t, v, "test:ring") },
	})
}
