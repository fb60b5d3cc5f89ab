package main

import (
	"path/filepath"
	"strings"
	"time"

	"crypto/tls"
	"github.com/BurntSushi/toml"
	"net/netip"

	"github.com/agentty/agentty/vendors/local/centre/siptrunk"
)

// centreSIPExtra is the part of [centre.sip] about TLS and what a caller
// hears (embedded in centreSIPFile):
//
//	listen_tls = "127.0.0.1:5081"   # SIP over TLS, with:
//	tls_cert = "/etc/agentty/sip.pem"
//	tls_key = "/etc/agentty/sip.key"
//	music = "music.wav"             # queue and hold music (default built in)
//	prompt_no_agents = "closed.wav" # no_agents = "prompt" (default spoken)
//	prompts_dir = "prompts"         # position-N.wav, position-more.wav, wait-M.wav
//	prompt_every = "30s"
//	answer = "at_once"              # or "early": 183 and early media while queued
//
// Relative paths are taken from the config file's directory.
type centreSIPExtra struct {
	ListenTLS      string `toml:"listen_tls"`
	TLSCert        string `toml:"tls_cert"`
	TLSKey         string `toml:"tls_key"`
	Music          string `toml:"music"`
	PromptNoAgents string `toml:"prompt_no_agents"`
	PromptsDir     string `toml:"prompts_dir"`
	PromptEvery    string `toml:"prompt_every"`
	Answer         string `toml:"answer"`
}

// resolve takes relative paths from dir.
func (e *centreSIPExtra) resolve(dir string) {
	for _, p := range []*string{&e.TLSCert, &e.TLSKey, &e.Music, &e.PromptNoAgents, &e.PromptsDir} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
}

// applyExtra checks the extra keys and sets them in cfg; flagTLS is
// --sip-listen-tls, which wins over listen_tls.
func applyExtra(file centreSIPExtra, flagTLS string, cfg *siptrunk.Config) error {
	cfg.ListenTLS, cfg.TLSCert, cfg.TLSKey = file.ListenTLS, file.TLSCert, file.TLSKey
	if flagTLS != "" {
		cfg.ListenTLS = flagTLS
	}
	switch file.Answer {
	case "", siptrunk.AnswerAtOnce, siptrunk.AnswerEarly:
		cfg.Answer = file.Answer
	default:
		return usagef("[centre.sip] answer %q: want at_once or early", file.Answer)
	}
	if cfg.ListenTLS != "" {
		if _, err := netip.ParseAddrPort(cfg.ListenTLS); err != nil {
			return usagef("[centre.sip] listen_tls %q: want IP:PORT, e.g. 127.0.0.1:5081", cfg.ListenTLS)
		}
		if cfg.TLSCert == "" || cfg.TLSKey == "" {
			return usagef("[centre.sip] listen_tls needs tls_cert and tls_key")
		}
		if _, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey); err != nil {
			return usagef("[centre.sip] tls_cert %s, tls_key %s: %v", cfg.TLSCert, cfg.TLSKey, err)
		}
	}
	return applyPrompts(file, cfg)
}

// applyPrompts loads the music and prompt WAVs into cfg.Prompts.
func applyPrompts(file centreSIPExtra, cfg *siptrunk.Config) error {
	var err error
	if file.PromptEvery != "" {
		if cfg.Prompts.Every, err = time.ParseDuration(file.PromptEvery); err != nil || cfg.Prompts.Every < time.Second {
			return usagef("[centre.sip] prompt_every %q: want a duration of a second or more, e.g. 30s", file.PromptEvery)
		}
	}
	if file.PromptNoAgents != "" && cfg.NoAgents != siptrunk.NoAgentsPrompt {
		return usagef("[centre.sip] prompt_no_agents needs no_agents = \"prompt\"")
	}
	for _, f := range []struct {
		key string
		pf  siptrunk.PromptFiles
	}{
		{"music", siptrunk.PromptFiles{Music: file.Music}},
		{"prompt_no_agents", siptrunk.PromptFiles{NoAgents: file.PromptNoAgents}},
		{"prompts_dir", siptrunk.PromptFiles{Dir: file.PromptsDir}},
	} {
		p, err := siptrunk.LoadPrompts(f.pf)
		if err != nil {
			return usagef("[centre.sip] %s: %v", f.key, err)
		}
		switch {
		case p.Music != nil:
			cfg.Prompts.Music = p.Music
		case p.NoAgents != nil:
			cfg.Prompts.NoAgents = p.NoAgents
		case f.pf.Dir != "":
			cfg.Prompts.Position, cfg.Prompts.PositionMore, cfg.Prompts.Wait = p.Position, p.PositionMore, p.Wait
		}
	}
	return nil
}

func firstOf(s []string) string {
	if len(s) > 0 {
		return s[0]
	}
	return ""
}

// unknownSIPKey refuses a key of [centre.sip] that nothing reads (a typo
// would otherwise be ignored without a word).
func unknownSIPKey(path string, md toml.MetaData) error {
	for _, k := range md.Undecoded() {
		if len(k) >= 3 && k[0] == "centre" && k[1] == "sip" {
			return usagef("config %s: [centre.sip] unknown key %q", path, strings.Join(k[2:], "."))
		}
	}
	return nil
}
