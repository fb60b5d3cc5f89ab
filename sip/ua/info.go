package ua

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/emiago/sipgo/sip"
)

// ParseDTMFRelay reads an application/dtmf-relay body ("Signal=5\r\nDuration=160").
func ParseDTMFRelay(body []byte) (rune, error) {
	for _, line := range strings.Split(string(body), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "signal") {
			continue
		}
		v = strings.ToUpper(strings.TrimSpace(v))
		switch {
		case v == "10":
			return '*', nil
		case v == "11":
			return '#', nil
		case len(v) == 1 && strings.ContainsRune("0123456789*#ABCD", rune(v[0])):
			return rune(v[0]), nil
		}
		return 0, fmt.Errorf("ua: dtmf-relay: bad signal %q", v)
	}
	return 0, errors.New("ua: dtmf-relay: no Signal line")
}

func (u *UA) onInfo(req *sip.Request, tx sip.ServerTransaction) {
	c := u.callOf(req)
	if c == nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 481, "Call/Transaction Does Not Exist", nil))
		return
	}
	ct := req.GetHeader("Content-Type")
	if ct == nil || !strings.EqualFold(strings.TrimSpace(ct.Value()), "application/dtmf-relay") {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 415, "Unsupported Media Type", nil))
		return
	}
	d, err := ParseDTMFRelay(req.Body())
	if err != nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 400, "Bad Request", nil))
		return
	}
	_ = tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil))
	u.calls.h.Digit(c, d)
}

func (c *Call) info(ctx context.Context, d rune) error {
	res, err := c.inDialog(ctx, sip.INFO, "application/dtmf-relay", fmt.Appendf(nil, "Signal=%c\r\nDuration=160\r\n", d))
	if err != nil {
		return fmt.Errorf("ua: dtmf info: %w", err)
	}
	if res.StatusCode != 200 {
		return fmt.Errorf("ua: dtmf info: %d %s", res.StatusCode, res.Reason)
	}
	return nil
}
