package sdp

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/agentty/agentty/audio/rtpleg"
)

// Crypto is one SDES a=crypto line (RFC 4568 9.1):
// "TAG SUITE inline:KEY||SALT[|LIFETIME][|MKI:LEN] [SESSION-PARAMS]".
type Crypto struct {
	Tag   int
	Suite string
	// Key is the master key followed by the master salt.
	Key []byte
	// Lifetime and MKI are the key parameters after the key, kept as
	// written ("2^31", "1:4"); "" when absent.
	Lifetime, MKI string
	// Params are the session parameters (e.g. UNENCRYPTED_SRTP), which
	// the leg does not support: a line with any is not used.
	Params []string
}

// ParseCrypto reads the value of an a=crypto attribute.
func ParseCrypto(v string) (Crypto, error) {
	f := strings.Fields(v)
	if len(f) < 3 {
		return Crypto{}, fmt.Errorf("%w: crypto %q: want tag, suite and key", ErrBadSDP, v)
	}
	tag, err := strconv.Atoi(f[0])
	if err != nil || tag < 0 || tag > 999999999 {
		return Crypto{}, fmt.Errorf("%w: crypto tag %q", ErrBadSDP, f[0])
	}
	c := Crypto{Tag: tag, Suite: strings.ToUpper(f[1]), Params: f[3:]}
	// Several keys are joined by ';' (RFC 4568 9.1); the first is used.
	kp, _, _ := strings.Cut(f[2], ";")
	method, info, ok := strings.Cut(kp, ":")
	if !ok || !strings.EqualFold(method, "inline") {
		return Crypto{}, fmt.Errorf("%w: crypto key %q: want inline:", ErrBadSDP, kp)
	}
	parts := strings.Split(info, "|")
	key, err := base64.StdEncoding.DecodeString(parts[0])
	if err != nil {
		// Some phones drop the padding.
		if key, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(parts[0], "=")); err != nil {
			return Crypto{}, fmt.Errorf("%w: crypto key: %v", ErrBadSDP, err)
		}
	}
	c.Key = key
	for _, p := range parts[1:] {
		if strings.Contains(p, ":") {
			c.MKI = p
		} else {
			c.Lifetime = p
		}
	}
	return c, nil
}

// String writes the attribute value.
func (c Crypto) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s inline:%s", c.Tag, c.Suite, base64.StdEncoding.EncodeToString(c.Key))
	if c.Lifetime != "" {
		b.WriteString("|" + c.Lifetime)
	}
	if c.MKI != "" {
		b.WriteString("|" + c.MKI)
	}
	for _, p := range c.Params {
		b.WriteString(" " + p)
	}
	return b.String()
}

// usable reports whether the leg can use c: a suite it knows, a key of
// the suite's length, no MKI (the leg does not carry one on its packets),
// no session parameters.
func (c Crypto) usable() bool {
	n, err := rtpleg.KeyLen(c.Suite)
	if err != nil || len(c.Key) != n || len(c.Params) > 0 {
		return false
	}
	return c.MKI == ""
}
