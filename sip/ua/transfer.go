package ua

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/emiago/sipgo/sip"
)

// TransferHandler is an optional extension of Handler: a Handler that
// also has TransferProgress is told the progress of each transfer (the
// sipfrag status of every NOTIFY the transferee sends after our REFER:
// 100 Trying, 180 Ringing, then a final code). final is true for the
// last one (code >= 200 or Subscription-State terminated).
type TransferHandler interface {
	TransferProgress(c *Call, code int, reason string, final bool)
}

// ReplaceHandler is an optional extension of Handler: an INVITE with a
// Replaces header that names one of our calls (RFC 3891) is given to
// Replaced instead of Incoming. Right after Replaced returns the UA hangs
// the old call up (BYE) and answers the new one; a Handler without
// Replaced sees the new call as an ordinary Incoming one.
type ReplaceHandler interface {
	Replaced(old, new *Call)
}

// ErrTransferRefused: the far end did not accept our REFER.
var ErrTransferRefused = errors.New("transfer refused")

// Transfer asks the far end to call target (a number, extension or sip:
// URI) by REFER: a blind transfer. It returns once the far end accepted
// the REFER (202); the progress arrives on the TransferHandler, and the
// caller hangs this call up once it succeeded.
func (c *Call) Transfer(ctx context.Context, target string) error {
	uri, err := c.u.URI(target)
	if err != nil {
		return err
	}
	return c.refer(ctx, "<"+uri.String()+">")
}

// TransferReplacing is the attended transfer: the far end of c is asked
// to call the far end of consult with a Replaces header naming the
// consult dialog (RFC 3891 / RFC 5589), so that it takes our place in
// the consult call. The caller hangs up both calls once it succeeded.
func (c *Call) TransferReplacing(ctx context.Context, consult *Call) error {
	d, ok := consult.dialog()
	if !ok {
		return fmt.Errorf("ua: transfer %s: consult call %s is not answered", c.ID, consult.ID)
	}
	target := consult.remoteURI()
	target.Headers = nil
	// The tags as the target sees its dialog: its own tag is the
	// from-tag, ours the to-tag.
	rep := d.callID + ";to-tag=" + d.local + ";from-tag=" + d.remote
	return c.refer(ctx, "<"+target.String()+"?Replaces="+url.QueryEscape(rep)+">")
}

func (c *Call) refer(ctx context.Context, referTo string) error {
	if c.ended.Load() {
		return fmt.Errorf("ua: transfer %s: the call has ended", c.ID)
	}
	select {
	case <-c.answer:
	default:
		return fmt.Errorf("ua: transfer %s: the call is not answered", c.ID)
	}
	var target sip.Uri
	if c.cli != nil {
		target = c.cli.InviteResponse.Contact().Address
	} else {
		target = c.srv.InviteRequest.Contact().Address
	}
	req := sip.NewRequest(sip.REFER, *target.Clone())
	req.AppendHeader(sip.NewHeader("Refer-To", referTo))
	req.AppendHeader(sip.NewHeader("Referred-By", "<"+aorString(c.u)+">"))
	c.transferring.Store(true)
	var res *sip.Response
	var err error
	if c.cli != nil {
		res, err = c.cli.Do(ctx, req)
	} else {
		res, err = c.srv.Do(ctx, req)
	}
	if err != nil {
		c.transferring.Store(false)
		return fmt.Errorf("ua: transfer %s: %w", c.ID, err)
	}
	if res.StatusCode != 202 && res.StatusCode != 200 {
		c.transferring.Store(false)
		return fmt.Errorf("ua: transfer %s: %d %s: %w", c.ID, res.StatusCode, res.Reason, ErrTransferRefused)
	}
	return nil
}

// ParseSipfrag reads the status line of a message/sipfrag body
// ("SIP/2.0 180 Ringing") as NOTIFYs about a REFER carry it.
func ParseSipfrag(body []byte) (code int, reason string, err error) {
	line, _, _ := strings.Cut(string(body), "\n")
	line = strings.TrimSpace(line)
	ver, rest, ok := strings.Cut(line, " ")
	if !ok || !strings.HasPrefix(strings.ToUpper(ver), "SIP/") {
		return 0, "", fmt.Errorf("ua: sipfrag: not a status line: %q", clip(line))
	}
	num, reason, _ := strings.Cut(strings.TrimSpace(rest), " ")
	code, err = strconv.Atoi(num)
	if err != nil || code < 100 || code > 699 {
		return 0, "", fmt.Errorf("ua: sipfrag: bad status %q", clip(num))
	}
	return code, strings.TrimSpace(reason), nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// onNotify takes NOTIFYs: refer progress inside a call, dialog state for
// the watcher (BLF).
func (u *UA) onNotify(req *sip.Request, tx sip.ServerTransaction) {
	ev := ""
	if h := req.GetHeader("Event"); h != nil {
		ev, _, _ = strings.Cut(strings.TrimSpace(h.Value()), ";")
		ev = strings.ToLower(strings.TrimSpace(ev))
	}
	switch ev {
	case "refer":
		u.onReferNotify(req, tx)
	case "dialog":
		u.onDialogNotify(req, tx)
	default:
		_ = tx.Respond(sip.NewResponseFromRequest(req, 489, "Bad Event", nil))
	}
}

func (u *UA) onReferNotify(req *sip.Request, tx sip.ServerTransaction) {
	c := u.callOf(req)
	if c == nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 481, "Subscription Does Not Exist", nil))
		return
	}
	code, reason, err := ParseSipfrag(req.Body())
	if err != nil {
		u.log.Warn("sip: refer notify", "call", c.ID, "err", err)
		_ = tx.Respond(sip.NewResponseFromRequest(req, 400, "Bad Request", nil))
		return
	}
	_ = tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil))
	final := code >= 200
	if h := req.GetHeader("Subscription-State"); h != nil && strings.HasPrefix(strings.ToLower(strings.TrimSpace(h.Value())), "terminated") {
		final = true
	}
	u.log.Info("sip: transfer progress", "call", c.ID, "code", code, "reason", reason)
	if !c.transferring.Load() {
		return
	}
	if final {
		c.transferring.Store(false)
	}
	if th, ok := u.calls.h.(TransferHandler); ok {
		th.TransferProgress(c, code, reason, final)
	}
}

// dialogTags are one call's dialog identifiers as we see them.
type dialogTags struct{ callID, local, remote string }

// dialog returns the call's identifiers once it is answered.
func (c *Call) dialog() (dialogTags, bool) {
	select {
	case <-c.answer:
	default:
		return dialogTags{}, false
	}
	var d dialogTags
	switch {
	case c.cli != nil && c.cli.InviteResponse != nil:
		d.callID = c.cli.InviteRequest.CallID().Value()
		d.local, _ = c.cli.InviteRequest.From().Params.Get("tag")
		d.remote, _ = c.cli.InviteResponse.To().Params.Get("tag")
	case c.srv != nil:
		d.callID = c.srv.InviteRequest.CallID().Value()
		d.local, _ = c.srv.InviteRequest.To().Params.Get("tag")
		d.remote, _ = c.srv.InviteRequest.From().Params.Get("tag")
	default:
		return d, false
	}
	return d, d.callID != ""
}

// remoteURI is the far end's address of record: the dialled URI, or the
// caller's From.
func (c *Call) remoteURI() sip.Uri {
	if c.cli != nil {
		return *c.cli.InviteRequest.To().Address.Clone()
	}
	return *c.srv.InviteRequest.From().Address.Clone()
}

// Replaces is a parsed Replaces header (RFC 3891).
type Replaces struct {
	CallID, ToTag, FromTag string
	EarlyOnly              bool
}

// ParseReplaces reads a Replaces header value
// ("abc@host;to-tag=1;from-tag=2;early-only").
func ParseReplaces(v string) (Replaces, error) {
	parts := strings.Split(v, ";")
	r := Replaces{CallID: strings.TrimSpace(parts[0])}
	if r.CallID == "" || strings.ContainsAny(r.CallID, " \t<>\"") {
		return r, fmt.Errorf("ua: replaces: bad call-id %q", clip(r.CallID))
	}
	for _, p := range parts[1:] {
		k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "to-tag":
			r.ToTag = strings.TrimSpace(val)
		case "from-tag":
			r.FromTag = strings.TrimSpace(val)
		case "early-only":
			r.EarlyOnly = true
		}
	}
	if r.ToTag == "" || r.FromTag == "" {
		return r, errors.New("ua: replaces: to-tag and from-tag are required")
	}
	return r, nil
}

// replacing finds the answered call a Replaces header names. The tags
// are matched either way round: RFC 3891 gives them as the recipient
// sees them, and some phones swap them.
func (u *UA) replacing(r Replaces) *Call {
	u.calls.mu.Lock()
	var all []*Call
	for _, c := range u.calls.byDlg {
		all = append(all, c)
	}
	u.calls.mu.Unlock()
	for _, c := range all {
		d, ok := c.dialog()
		if !ok || d.callID != r.CallID || c.ended.Load() {
			continue
		}
		if (d.local == r.FromTag && d.remote == r.ToTag) || (d.local == r.ToTag && d.remote == r.FromTag) {
			return c
		}
	}
	return nil
}

func aorString(u *UA) string {
	a := u.AOR()
	return a.String()
}
