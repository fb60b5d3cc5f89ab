package siptrunk

import (
	"net/netip"
	"strings"

	"github.com/emiago/sipgo/sip"
)

// Who may call in, where a dialled number goes, and the answer to a call
// that is refused.

// allowed reports whether a request's source may call in.
func (t *Trunk) allowed(req *sip.Request) (netip.Addr, bool) {
	src := req.Source()
	ap, err := netip.ParseAddrPort(src)
	if err != nil {
		h, _, _ := strings.Cut(src, ":")
		a, err := netip.ParseAddr(h)
		if err != nil {
			return netip.Addr{}, false
		}
		ap = netip.AddrPortFrom(a, 0)
	}
	a := ap.Addr().Unmap()
	for _, p := range t.cfg.Allow {
		if p.Contains(a) {
			return a, true
		}
	}
	return a, false
}

// route returns the group of a dialled number.
func (t *Trunk) route(number string) (string, bool) {
	if g, ok := t.cfg.Routes[number]; ok {
		return g, true
	}
	if t.cfg.DefaultGroup != "" {
		return t.cfg.DefaultGroup, true
	}
	return "", false
}

// respond answers req with code and logs why (refusals are log lines).
func (t *Trunk) respond(req *sip.Request, tx sip.ServerTransaction, code int, reason, why string, hdrs ...sip.Header) {
	res := sip.NewResponseFromRequest(req, code, reason, nil)
	for _, h := range hdrs {
		res.AppendHeader(h)
	}
	t.log.Warn("siptrunk: refused", "code", code, "why", why, "source", req.Source(), "to", req.Recipient.User)
	t.count(outcomeOf(code))
	if err := tx.Respond(res); err != nil {
		t.log.Debug("siptrunk: respond", "code", code, "err", err)
	}
}

func outcomeOf(code int) string {
	switch code {
	case 403:
		return "forbidden"
	case 404:
		return "not_found"
	case 486:
		return "busy"
	case 503:
		return "rate_limited"
	case 400, 488:
		return "bad_request"
	}
	return "failed"
}
