package siplab

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"text/template"
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
	k := &Kamailio{t: t, Dir: t.TempDir(), Port: FreePort(t), Domain: "lab.test"}
	var buf bytes.Buffer
	tmpl := template.Must(template.New("cfg").Parse(kamailioCfg))
	if err := tmpl.Execute(&buf, map[string]any{"Port": k.Port, "Domain": k.Domain, "Dir": k.Dir,
		"ModPath": modPath(), "Users": users, "Algorithm": "MD5", "Trunk": trunk}); err != nil {
		t.Fatalf("siplab: render kamailio.cfg: %v", err)
	}
	k.cfg = filepath.Join(k.Dir, "kamailio.cfg")
	if err := os.WriteFile(k.cfg, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := k.Start(); err != nil {
		unavailable(t, "%v", err)
	}
	t.Cleanup(k.Stop)
	return k
}
