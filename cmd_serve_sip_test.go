package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCentreSIPConfig reads [centre.sip] and refuses bad values with one
// clear line each.
func TestCentreSIPConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(`
[centre.sip]
listen = "127.0.0.1:5080"
allow = ["127.0.0.1", "10.0.0.0/8"]
routes = { "900" = "sales", "901" = "support" }
default_group = "sales"
rtp_timeout = "10s"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	file, err := readCentreSIP(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, on, err := trunkConfig(file, "")
	if err != nil || !on {
		t.Fatalf("trunkConfig: %v %v", on, err)
	}
	if cfg.Listen != "127.0.0.1:5080" || len(cfg.Allow) != 2 || cfg.Allow[0].String() != "127.0.0.1/32" ||
		cfg.Routes["901"] != "support" || cfg.DefaultGroup != "sales" || cfg.RTPTimeout.String() != "10s" {
		t.Errorf("config %+v", cfg)
	}
	if cfg, _, _ := trunkConfig(file, "127.0.0.1:5090"); cfg.Listen != "127.0.0.1:5090" {
		t.Errorf("the flag does not win: %q", cfg.Listen)
	}
	if _, on, err := trunkConfig(centreSIPFile{}, ""); on || err != nil {
		t.Errorf("no listen: on=%v err=%v, want off", on, err)
	}
	for _, bad := range []centreSIPFile{
		{Listen: "localhost"},
		{Listen: "127.0.0.1:5080", Allow: []string{"everyone"}},
		{Listen: "127.0.0.1:5080", NoAgents: "cry"},
		{Listen: "127.0.0.1:5080", Codecs: []string{"g729"}},
		{Listen: "127.0.0.1:5080", SRTP: "maybe"},
		{Listen: "127.0.0.1:5080", RTPTimeout: "soon"},
	} {
		_, _, err := trunkConfig(bad, "")
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: error %v, want one line", bad, err)
		}
	}
}
