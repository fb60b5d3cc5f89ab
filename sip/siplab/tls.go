package siplab

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/agentty/agentty/internal/selfcert"
)

// StartKamailioTLS is StartKamailio that also listens for TLS on
// 127.0.0.1:TLSPort with a throwaway self-signed certificate (CAFile:
// trust it to verify Kamailio). It needs Debian's kamailio-tls-modules.
func StartKamailioTLS(t testing.TB, alg string, users ...User) *Kamailio {
	t.Helper()
	if _, err := exec.LookPath("kamailio"); err != nil {
		unavailable(t, "kamailio not installed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(modPath(), "tls.so")); err != nil {
		unavailable(t, "kamailio tls module not installed (kamailio-tls-modules): %v", err)
	}
	k, err := launchKamailioTLS(t.TempDir(), alg, "", true, users...)
	if err != nil {
		unavailable(t, "%v", err)
	}
	t.Cleanup(k.Stop)
	return k
}

// TLSAddr is the TLS listener's host:port.
func (k *Kamailio) TLSAddr() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(k.TLSPort))
}

// writeTLS picks the TLS port and writes the certificate, its key and
// the tls module's config into k.Dir.
func (k *Kamailio) writeTLS() error {
	port, err := freePort()
	for err == nil && port == k.Port {
		port, err = freePort()
	}
	if err != nil {
		return err
	}
	c, err := selfcert.New("127.0.0.1", k.Domain)
	if err != nil {
		return fmt.Errorf("siplab: %w", err)
	}
	k.TLSPort, k.CAFile = port, filepath.Join(k.Dir, "tls-cert.pem")
	key := filepath.Join(k.Dir, "tls-key.pem")
	cfg := fmt.Sprintf(`[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = %s
certificate = %s

[client:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
`, key, k.CAFile)
	for name, b := range map[string][]byte{k.CAFile: c.CertPEM, key: c.KeyPEM, filepath.Join(k.Dir, "tls.cfg"): []byte(cfg)} {
		if err := os.WriteFile(name, b, 0o600); err != nil {
			return fmt.Errorf("siplab: %w", err)
		}
	}
	return nil
}

// Lookup is Kamailio's location record of user (kamcmd ul.lookup): its
// contacts, each with the socket it was registered on (tls:..., udp:...).
func (k *Kamailio) Lookup(user string) (string, error) {
	out, err := exec.Command("kamcmd", "-s", "unix:"+filepath.Join(k.Dir, "kamailio_ctl"), "ul.lookup", "location", "s:"+user).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("siplab: kamcmd ul.lookup %s: %v: %s", user, err, out)
	}
	return string(out), nil
}
