package siptrunk

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/netip"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// SIP over TLS: Config.ListenTLS with TLSCert and TLSKey adds a TLS
// listener (sipgo's TLS transport) beside UDP and TCP. A call that came in
// over TLS gets a Contact with transport=tls, and the centre's in-dialog
// requests (its BYE) go back over the caller's own connection, so a phone
// that does not listen for TLS itself still hears the hang-up.

// listenTLS loads the certificate and binds the TLS listener; it does
// nothing when ListenTLS is empty.
func (t *Trunk) listenTLS() error {
	cfg := t.cfg
	if cfg.ListenTLS == "" {
		return nil
	}
	if cfg.TLSCert == "" || cfg.TLSKey == "" {
		return fmt.Errorf("siptrunk: listen_tls %s: needs tls_cert and tls_key", cfg.ListenTLS)
	}
	if _, err := netip.ParseAddrPort(cfg.ListenTLS); err != nil {
		return fmt.Errorf("siptrunk: listen_tls %q: want IP:PORT", cfg.ListenTLS)
	}
	cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		return fmt.Errorf("siptrunk: tls_cert %s, tls_key %s: %w", cfg.TLSCert, cfg.TLSKey, err)
	}
	l, err := net.Listen("tcp", cfg.ListenTLS)
	if err != nil {
		return fmt.Errorf("siptrunk: listen tls %s: %w", cfg.ListenTLS, err)
	}
	t.tlsAddr = l.Addr().(*net.TCPAddr).AddrPort()
	t.tls = tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	return nil
}

// tlsDialogUA is the dialog UA of calls over TLS: its Contact says
// transport=tls, and in-dialog requests go to the INVITE's source over
// the connection it came on.
func (t *Trunk) tlsDialogUA(cli *sipgo.Client, host string) *sipgo.DialogUA {
	params := sip.NewParams()
	params.Add("transport", "tls")
	return &sipgo.DialogUA{Client: cli, RewriteContact: true, ContactHDR: sip.ContactHeader{
		Address: sip.Uri{User: "centre", Host: host, Port: int(t.tlsAddr.Port()), UriParams: params}}}
}

// TLSAddr is the bound TLS address (zero without ListenTLS).
func (t *Trunk) TLSAddr() netip.AddrPort { return t.tlsAddr }

// dialogUA is the dialog UA for a request: the TLS one for a request that
// came over TLS.
func (t *Trunk) dialogUA(req *sip.Request) *sipgo.DialogUA {
	if t.duaTLS != nil && sip.NetworkToLower(req.Transport()) == "tls" {
		return t.duaTLS
	}
	return t.dua
}
