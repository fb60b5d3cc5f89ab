package siptrunk

import (
	"strings"

	"github.com/emiago/sipgo/sip"
)

// callerID is the caller's number: the user of P-Asserted-Identity, else
// of From (the whole URI when it has no user); "" when neither parses.
func callerID(req *sip.Request) string {
	if h := req.GetHeader("P-Asserted-Identity"); h != nil {
		if u := uriUser(h.Value()); u != "" {
			return u
		}
	}
	if f := req.From(); f != nil {
		if f.Address.User != "" {
			return f.Address.User
		}
		if f.Address.Host != "" {
			return f.Address.String()
		}
	}
	return ""
}

// uriUser reads `"Name" <sip:user@host>` or `sip:user@host` (the first
// of a comma-separated list) and returns the user, or the URI without
// one.
func uriUser(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.Index(v, "<"); i >= 0 {
		v = v[i+1:]
		if j := strings.Index(v, ">"); j >= 0 {
			v = v[:j]
		} else {
			return ""
		}
	} else if i := strings.IndexAny(v, ",;"); i >= 0 {
		v = v[:i]
	}
	if len(v) > 256 {
		return ""
	}
	var uri sip.Uri
	if err := sip.ParseUri(strings.TrimSpace(v), &uri); err != nil {
		return ""
	}
	if uri.User != "" {
		return uri.User
	}
	if uri.Host != "" {
		return uri.String()
	}
	return ""
}
