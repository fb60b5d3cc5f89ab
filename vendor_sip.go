package main

import (
	"os"
	"strings"

	"github.com/spf13/pflag"

	_ "github.com/agentty/agentty/vendors/sip" // the SIP softphone backend
)

// sipSettings are the [sip] table of config.toml, the --sip-* flags and
// the AGENTTY_SIP_* variables. The password is never printed: its flag
// has no default and it is passed only in the vendor's options.
var sipSettings = struct {
	user, authUser, password, passwordFile, domain, proxy, transport, displayName, srtp, codecs, colleagues, expires, tlsCA string
}{}

// addSIPFlags declares the --sip-* flags.
func addSIPFlags(f *pflag.FlagSet) {
	s := &sipSettings
	f.StringVar(&s.user, "sip-user", "", "SIP account user (with --vendor sip)")
	f.StringVar(&s.authUser, "sip-auth-user", "", "SIP digest user name when it differs from the user")
	f.StringVar(&s.password, "sip-password", "", "SIP password (prefer --sip-password-file or AGENTTY_SIP_PASSWORD)")
	f.StringVar(&s.passwordFile, "sip-password-file", "", "file holding the SIP password")
	f.StringVar(&s.domain, "sip-domain", "", "SIP domain / registrar (host[:port])")
	f.StringVar(&s.proxy, "sip-proxy", "", "outbound proxy host[:port] (optional)")
	f.StringVar(&s.transport, "sip-transport", "udp", "SIP transport: udp, tcp, tls")
	f.StringVar(&s.displayName, "sip-display-name", "", "display name sent with calls")
	f.StringVar(&s.srtp, "sip-srtp", "off", "SRTP (SDES): off, optional, mandatory")
	f.StringVar(&s.codecs, "sip-codecs", "", "codec order, e.g. opus,pcmu,pcma")
	f.StringVar(&s.colleagues, "sip-colleagues", "", "extensions to watch (BLF), comma separated; they join the roster and the transfer picker")
	f.StringVar(&s.tlsCA, "sip-tls-ca", "", "PEM file of the CA to trust with --sip-transport tls (default: the system's)")
	f.StringVar(&s.expires, "sip-expires", "", "registration lifetime in seconds (default 300)")
}

// sipTableKey maps a --sip-* flag to its key in config.toml's [sip] table
// ("sip-auth-user" is "sip.auth_user"); other flags map to themselves.
func sipTableKey(flag string) string {
	if rest, ok := strings.CutPrefix(flag, "sip-"); ok {
		return "sip." + strings.ReplaceAll(rest, "-", "_")
	}
	return flag
}

// withSIPOptions adds the SIP settings to a vendor's options.
func withSIPOptions(o map[string]string) map[string]string {
	s := sipSettings
	pass := s.password
	if pass == "" && s.passwordFile != "" {
		if b, err := os.ReadFile(s.passwordFile); err == nil {
			pass = strings.TrimSpace(string(b))
		}
	}
	for k, v := range map[string]string{"user": s.user, "auth_user": s.authUser, "password": pass, "domain": s.domain,
		"proxy": s.proxy, "transport": s.transport, "display_name": s.displayName, "srtp": s.srtp,
		"codecs": s.codecs, "colleagues": s.colleagues, "expires": s.expires, "tls_ca": s.tlsCA} {
		if v != "" {
			o[k] = v
		}
	}
	return o
}
