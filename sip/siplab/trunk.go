package siplab

import (
	"os/exec"
	"testing"
)

// StartKamailioTrunk starts the lab's Kamailio (registrar and
// record-routing proxy, as StartKamailio with MD5) that also sends
// INVITEs for the numbers 900-999 to a contact centre's SIP trunk at
// trunk (host:port): a phone registered here dials 900 and reaches the
// centre's queue through Kamailio.
func StartKamailioTrunk(t testing.TB, trunk string, users ...User) *Kamailio {
	t.Helper()
	if _, err := exec.LookPath("kamailio"); err != nil {
		unavailable(t, "kamailio not installed: %v", err)
	}
	k, err := launchKamailio(t.TempDir(), "MD5", trunk, users...)
	if err != nil {
		unavailable(t, "%v", err)
	}
	t.Cleanup(k.Stop)
	return k
}
