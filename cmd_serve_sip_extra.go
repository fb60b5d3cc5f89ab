package main

import (
	"strings"

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
type centreSIPExtra struct {
	ListenTLS string `toml:"listen_tls"`
	TLSCert   string `toml:"tls_cert"`
	TLSKey    string `toml:"tls_key"`
}

// applyExtra checks the extra keys and sets them in cfg; flagTLS is
// --sip-listen-tls, which wins over listen_tls.
func applyExtra(file centreSIPExtra, flagTLS string, cfg *siptrunk.Config) error {
	cfg.ListenTLS, cfg.TLSCert, cfg.TLSKey = file.ListenTLS, file.TLSCert, file.TLSKey
	if flagTLS != "" {
		cfg.ListenTLS = flagTLS
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
