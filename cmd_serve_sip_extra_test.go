package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentty/agentty/internal/selfcert"
)

// writeSIPConfig writes a config file with body as its [centre.sip] table.
func writeSIPConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte("[centre.sip]\n"+body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCentreSIPTLSConfig: listen_tls with a certificate and key is read;
// --sip-listen-tls wins; a missing certificate, a key file that is not a
// key, listen_tls without them, and an unknown key each stop serve with
// one line naming the key (and the file).
func TestCentreSIPTLSConfig(t *testing.T) {
	c, err := selfcert.New("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem")
	if err := os.WriteFile(cert, c.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, c.KeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	path := writeSIPConfig(t, `listen = "127.0.0.1:5080"
listen_tls = "127.0.0.1:5081"
tls_cert = "`+cert+`"
tls_key = "`+key+`"
routes = { "900" = "sales" }
`)
	file, err := readCentreSIP(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, on, err := trunkConfig(file, "")
	if err != nil || !on || cfg.ListenTLS != "127.0.0.1:5081" || cfg.TLSCert != cert || cfg.TLSKey != key || cfg.Routes["900"] != "sales" {
		t.Fatalf("config %+v, on %v, err %v", cfg, on, err)
	}
	if cfg, _, _ := trunkConfig(file, "", "127.0.0.1:5091"); cfg.ListenTLS != "127.0.0.1:5091" {
		t.Errorf("--sip-listen-tls does not win: %q", cfg.ListenTLS)
	}
	for _, tc := range []struct{ body, want string }{
		{`listen = "127.0.0.1:5080"
listen_tls = "127.0.0.1:5081"
tls_cert = "/nonexistent/cert.pem"
tls_key = "` + key + `"`, "/nonexistent/cert.pem"},
		{`listen = "127.0.0.1:5080"
listen_tls = "127.0.0.1:5081"
tls_cert = "` + cert + `"
tls_key = "` + cert + `"`, "tls_key"},
		{`listen = "127.0.0.1:5080"
listen_tls = "127.0.0.1:5081"`, "tls_cert"},
		{`listen = "127.0.0.1:5080"
listen_tls = "tls.example"`, "listen_tls"},
		{`listen = "127.0.0.1:5080"
tls_crt = "x"`, `"tls_crt"`},
	} {
		var err error
		file, err := readCentreSIP(writeSIPConfig(t, tc.body))
		if err == nil {
			_, _, err = trunkConfig(file, "")
		}
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one line naming %s", tc.body, err, tc.want)
		}
	}
}
