package siplab

import (
	"os"
	"os/exec"
	"path/filepath"
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
	k, err := LaunchKamailioTrunk(t.TempDir(), trunk, users...)
	if err != nil {
		unavailable(t, "%v", err)
	}
	t.Cleanup(k.Stop)
	return k
}

// StartKamailioWith starts Kamailio on a config render writes for the
// port, directory (for the ctl socket and any list files) and module
// path it is given; under CI=true a Kamailio that cannot start fails t.
func StartKamailioWith(t testing.TB, render func(port int, dir, modPath string) (string, error)) *Kamailio {
	t.Helper()
	if _, err := exec.LookPath("kamailio"); err != nil {
		unavailable(t, "kamailio not installed: %v", err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatalf("siplab: %v", err)
	}
	k := &Kamailio{Dir: t.TempDir(), Port: port, Domain: "lab.test"}
	cfg, err := render(port, k.Dir, modPath())
	if err != nil {
		t.Fatalf("siplab: render kamailio.cfg: %v", err)
	}
	k.cfg = filepath.Join(k.Dir, "kamailio.cfg")
	if err := os.WriteFile(k.cfg, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := k.Start(); err != nil {
		unavailable(t, "%v", err)
	}
	t.Cleanup(k.Stop)
	return k
}

// LaunchKamailioTrunk is StartKamailioTrunk for programs (a manual try of
// the trunk, bench/): Kamailio runs in dir until Stop.
func LaunchKamailioTrunk(dir, trunk string, users ...User) (*Kamailio, error) {
	return launchKamailio(dir, "MD5", trunk, users...)
}
