package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
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
	if _, _, err := trunkConfig(centreSIPFile{}, "", "127.0.0.1:5081"); err == nil || !strings.Contains(err.Error(), "--sip-listen") {
		t.Errorf("--sip-listen-tls alone: %v, want an error naming --sip-listen", err)
	}
	for _, tc := range []struct{ body, want string }{
		{`listen_tls = "127.0.0.1:5081"`, "listen"},
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

// TestCentreSIPPromptsConfig: no_agents = "prompt", music, prompt_no_agents,
// prompts_dir (paths relative to the config file) and prompt_every are
// read and the WAVs loaded; a missing WAV, a prompts_dir without prompts
// and a bad prompt_every stop serve with one line naming the key.
func TestCentreSIPPromptsConfig(t *testing.T) {
	dir := t.TempDir()
	tone := make([]int16, 8000)
	(&audio.Tone{Freqs: []float64{440}, Amplitude: 0.3, Rate: 8000}).Fill(tone)
	if err := os.Mkdir(filepath.Join(dir, "prompts"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"music.wav", "closed.wav", "prompts/position-1.wav", "prompts/wait-2.wav"} {
		if err := device.WriteWAV(filepath.Join(dir, name), tone, 8000); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(`[centre.sip]
listen = "127.0.0.1:5080"
no_agents = "prompt"
music = "music.wav"
prompt_no_agents = "closed.wav"
prompts_dir = "prompts"
prompt_every = "10s"
answer = "early"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	file, err := readCentreSIP(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := trunkConfig(file, "")
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Prompts
	if cfg.Answer != "early" {
		t.Errorf("answer %q, want early", cfg.Answer)
	}
	if cfg.NoAgents != "prompt" || len(p.Music) < 40000 || len(p.NoAgents) < 40000 || len(p.Position[1]) < 40000 ||
		len(p.Wait[2]) < 40000 || p.Every != 10*time.Second {
		t.Errorf("no_agents %q, prompts: music %d, no agents %d, position-1 %d, wait-2 %d samples, every %v",
			cfg.NoAgents, len(p.Music), len(p.NoAgents), len(p.Position[1]), len(p.Wait[2]), p.Every)
	}
	for _, tc := range []struct{ body, want string }{
		{`music = "nope.wav"`, "music"},
		{"no_agents = \"prompt\"\nprompt_no_agents = \"/nonexistent/closed.wav\"", "/nonexistent/closed.wav"},
		{`prompt_no_agents = "closed.wav"`, "prompt_no_agents"},
		{`prompts_dir = "."`, "prompts_dir"},
		{`prompt_every = "soon"`, "prompt_every"},
		{`no_agents = "sing"`, "no_agents"},
		{`answer = "later"`, "answer"},
	} {
		file, err := readCentreSIP(writeSIPConfig(t, "listen = \"127.0.0.1:5080\"\n"+tc.body))
		if err == nil {
			_, _, err = trunkConfig(file, "")
		}
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one line naming %s", tc.body, err, tc.want)
		}
	}
}
