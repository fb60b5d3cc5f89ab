package ua

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
)

// ReferHandler is an optional extension of Handler: when the far end of
// a call transfers us (a REFER), the UA places the new call itself and
// tells Referred before the INVITE leaves, so its events find it known.
// The new call's progress, answer and end then arrive as any outgoing
// call's; the transferor is kept informed by NOTIFY and ends the old
// call. A Handler without Referred refuses REFER (603).
type ReferHandler interface {
	Referred(old, new *Call, target string)
}

// ParseReferTo reads a Refer-To value: the target URI (its headers
// removed) and the Replaces header carried in it, if any.
func ParseReferTo(v string) (sip.Uri, *Replaces, error) {
	var uri sip.Uri
	params := sip.NewParams()
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "<") {
		v = "<" + v + ">"
	}
	if _, err := sip.ParseAddressValue(v, &uri, &params); err != nil {
		return uri, nil, fmt.Errorf("ua: refer-to %q: %w", clip(v), err)
	}
	if uri.Host == "" {
		return uri, nil, fmt.Errorf("ua: refer-to %q: no host", clip(v))
	}
	var rep *Replaces
	if uri.Headers != nil {
		for _, k := range uri.Headers.Keys() {
			if !strings.EqualFold(k, "replaces") {
				continue
			}
			raw, _ := uri.Headers.Get(k)
			val, err := url.QueryUnescape(raw)
			if err != nil {
				return uri, nil, fmt.Errorf("ua: refer-to: replaces: %w", err)
			}
			r, err := ParseReplaces(val)
			if err != nil {
				return uri, nil, err
			}
			rep = &r
		}
	}
	uri.Headers = nil
	return uri, rep, nil
}

// onRefer: the far end of one of our calls transfers us.
func (u *UA) onRefer(req *sip.Request, tx sip.ServerTransaction) {
	old := u.callOf(req)
	if old == nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 481, "Call/Transaction Does Not Exist", nil))
		return
	}
	rh, ok := u.calls.h.(ReferHandler)
	if !ok {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 603, "Decline", nil))
		return
	}
	h := req.GetHeader("Refer-To")
	if h == nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 400, "Missing Refer-To", nil))
		return
	}
	target, rep, err := ParseReferTo(h.Value())
	if err != nil {
		u.log.Warn("sip: refer", "call", old.ID, "err", err)
		_ = tx.Respond(sip.NewResponseFromRequest(req, 400, "Bad Refer-To", nil))
		return
	}
	_ = tx.Respond(sip.NewResponseFromRequest(req, 202, "Accepted", nil))
	u.log.Info("sip: transferred by the far end", "call", old.ID, "to", target.String(), "replaces", rep != nil)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		old.notifyRefer(ctx, 100, "Trying", false)
		var extra []sip.Header
		if rep != nil {
			extra = append(extra, sip.NewHeader("Replaces", rep.CallID+";to-tag="+rep.ToTag+";from-tag="+rep.FromTag))
		}
		if rb := req.GetHeader("Referred-By"); rb != nil {
			extra = append(extra, sip.NewHeader("Referred-By", rb.Value()))
		}
		name := target.User
		if name == "" {
			name = target.String()
		}
		_, err := u.dial(ctx, target, extra, func(c *Call) {
			c.referredBy = old
			rh.Referred(old, c, name)
		})
		if err != nil {
			u.log.Warn("sip: refer: call the target", "call", old.ID, "err", err)
			old.notifyRefer(ctx, 503, "Service Unavailable", true)
		}
	}()
}

// referOutcome tells the transferor how the call it asked for went: 200
// once answered, the failure's status otherwise.
func (c *Call) referOutcome(code int, reason string) {
	old := c.referredBy
	if old == nil {
		return
	}
	c.referredBy = nil
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	old.notifyRefer(ctx, code, reason, true)
}

// notifyRefer sends the transferor a NOTIFY (RFC 3515) with the sipfrag
// status of the new call.
func (c *Call) notifyRefer(ctx context.Context, code int, reason string, final bool) {
	if c.ended.Load() {
		return
	}
	state := "active;expires=60"
	if final {
		state = "terminated;reason=noresource"
	}
	target, ok := c.remoteTarget()
	if !ok {
		return
	}
	req := sip.NewRequest(sip.NOTIFY, target)
	req.AppendHeader(sip.NewHeader("Event", "refer"))
	req.AppendHeader(sip.NewHeader("Subscription-State", state))
	req.AppendHeader(sip.NewHeader("Content-Type", "message/sipfrag;version=2.0"))
	req.SetBody(fmt.Appendf(nil, "SIP/2.0 %d %s\r\n", code, reason))
	var err error
	if c.cli != nil {
		_, err = c.cli.Do(ctx, req)
	} else {
		_, err = c.srv.Do(ctx, req)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		c.u.log.Debug("sip: refer notify", "call", c.ID, "err", err)
	}
}

// remoteTarget is where in-dialog requests go (the far end's Contact).
func (c *Call) remoteTarget() (sip.Uri, bool) {
	if c.cli != nil && c.cli.InviteResponse != nil {
		if ct := c.cli.InviteResponse.Contact(); ct != nil {
			return *ct.Address.Clone(), true
		}
	}
	if c.srv != nil {
		if ct := c.srv.InviteRequest.Contact(); ct != nil {
			return *ct.Address.Clone(), true
		}
	}
	return sip.Uri{}, false
}
