package ua

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/agentty/agentty/sip/sdp"
	"github.com/emiago/sipgo/sip"
)

// onInvite takes a new call, or a re-INVITE in one of ours (To tag set).
func (u *UA) onInvite(req *sip.Request, tx sip.ServerTransaction) {
	u.log.Debug("sip: INVITE", "from", req.From().Address.String(), "source", req.Source())
	if to := req.To(); to != nil {
		if tag, ok := to.Params.Get("tag"); ok && tag != "" {
			u.onReInvite(req, tx)
			return
		}
	}
	offer, err := sdp.Parse(req.Body())
	if err != nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 488, "Not Acceptable Here", nil))
		return
	}
	var old *Call
	if h := req.GetHeader("Replaces"); h != nil {
		r, err := ParseReplaces(h.Value())
		if err != nil {
			_ = tx.Respond(sip.NewResponseFromRequest(req, 400, "Bad Replaces", nil))
			return
		}
		if old = u.replacing(r); old == nil {
			_ = tx.Respond(sip.NewResponseFromRequest(req, 481, "Call/Transaction Does Not Exist", nil))
			return
		}
	}
	c, err := u.newCall(false)
	if err != nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 500, "Server Error", nil))
		return
	}
	c.offer = offer
	c.RemoteName, c.RemoteUser = callerID(req)
	sess, err := u.calls.dua.ReadInvite(req, tx)
	if err != nil {
		c.ports.Close()
		_ = tx.Respond(sip.NewResponseFromRequest(req, 400, "Bad Request", nil))
		return
	}
	c.srv = sess
	u.calls.mu.Lock()
	u.calls.byDlg[sess.ID] = c
	u.calls.mu.Unlock()
	if old != nil {
		u.replace(old, c)
	} else {
		// The handler may refuse the call at once (do-not-disturb):
		// then the caller hears busy without ringing first.
		u.calls.h.Incoming(c)
		c.rmu.Lock()
		if !c.ended.Load() {
			select {
			case <-c.answer:
			default:
				_ = sess.Respond(180, "Ringing", nil)
			}
		}
		c.rmu.Unlock()
	}
	// sipgo ends the transaction when the handler returns: wait here
	// for the answer, a rejection, or a CANCEL (the call is missed).
	select {
	case <-tx.Done():
		c.missed()
	case <-sess.Context().Done():
		// sipgo ends the dialog at once on a CANCEL (the transaction
		// itself lingers for its timers).
		c.missed()
	case <-c.answer:
		// sipgo's RespondSDP also waits for the ACK; keep the
		// transaction until it arrives or times out.
		select {
		case <-tx.Done():
		case <-c.srv.Context().Done():
		case <-time.After(32 * time.Second):
		}
	case <-c.done:
	}
}

// missed ends a call that was not answered: the caller gave up.
func (c *Call) missed() {
	select {
	case <-c.answer:
	default:
		c.end("remote", 487, "cancelled")
	}
}

// replace lets c take over old (an INVITE with Replaces): the handler
// is told, old is hung up and c answered.
func (u *UA) replace(old, c *Call) {
	u.log.Info("sip: call replaces another", "call", c.ID, "replaces", old.ID)
	if rh, ok := u.calls.h.(ReplaceHandler); ok {
		rh.Replaced(old, c)
	} else {
		u.calls.h.Incoming(c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// The old call ends first, so there is never a moment with two
	// talking calls.
	if err := old.Hangup(ctx); err != nil {
		u.log.Warn("sip: bye to replaced call", "call", old.ID, "err", err)
	}
	if err := c.Answer(ctx); err != nil {
		u.log.Warn("sip: answer replacing call", "call", c.ID, "err", err)
	}
}

// callerID reads P-Asserted-Identity, then From.
func callerID(req *sip.Request) (name, user string) {
	if h := req.GetHeader("P-Asserted-Identity"); h != nil {
		var uri sip.Uri
		v := h.Value()
		n := ""
		if i := strings.Index(v, "<"); i >= 0 {
			n = strings.Trim(strings.TrimSpace(v[:i]), `"`)
			v = strings.TrimSuffix(strings.TrimSpace(v[i+1:]), ">")
			if j := strings.Index(v, ">"); j >= 0 {
				v = v[:j]
			}
		}
		if err := sip.ParseUri(v, &uri); err == nil && (uri.User != "" || uri.Host != "") {
			if uri.User != "" {
				return n, uri.User
			}
			return n, uri.String()
		}
	}
	if f := req.From(); f != nil {
		if f.Address.User != "" {
			return f.DisplayName, f.Address.User
		}
		return f.DisplayName, f.Address.String()
	}
	return "", ""
}

// Answer accepts an incoming call with our SDP answer.
func (c *Call) Answer(ctx context.Context) error {
	if c.srv == nil || c.ended.Load() {
		return errors.New("ua: not a ringing incoming call")
	}
	c.rmu.Lock()
	defer c.rmu.Unlock()
	select {
	case <-c.answer:
		return errors.New("ua: the call is answered already")
	default:
	}
	ans, p, err := sdp.Answer(c.offer, c.local)
	if err != nil {
		_ = c.srv.Respond(488, "Not Acceptable Here", nil)
		c.end("local", 488, "no common codec")
		return fmt.Errorf("ua: answer %s: %w", c.ID, err)
	}
	if len(ans.Audio.Crypto) > 0 {
		c.local.Key = ans.Audio.Crypto[0].Key
	}
	body, err := ans.Marshal()
	if err != nil {
		return fmt.Errorf("ua: answer %s: %w", c.ID, err)
	}
	if !c.setLeg(p) {
		_ = c.srv.Respond(500, "Media Failure", nil)
		c.end("local", 500, "media failure")
		return fmt.Errorf("ua: answer %s: media did not start", c.ID)
	}
	close(c.answer)
	res := sip.NewResponseFromRequest(c.srv.InviteRequest, 200, "OK", body)
	res.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	res.AppendHeader(&c.u.Contact)
	if err := c.srv.WriteResponse(res); err != nil {
		c.end("local", 0, err.Error())
		return fmt.Errorf("ua: answer %s: %w", c.ID, err)
	}
	c.u.calls.h.Answered(c)
	return nil
}

// Reject refuses a ringing incoming call with code (486 or 603).
func (c *Call) Reject(code int) error {
	if c.srv == nil || c.ended.Load() {
		return errors.New("ua: not a ringing incoming call")
	}
	reason := "Busy Here"
	if code == 603 {
		reason = "Decline"
	}
	c.rmu.Lock()
	err := c.srv.Respond(code, reason, nil)
	c.rmu.Unlock()
	c.end("local", code, reason)
	return err
}

func (u *UA) callOf(req *sip.Request) *Call {
	ids := []string{}
	if id, err := sip.DialogIDFromRequestUAS(req); err == nil {
		ids = append(ids, id)
	}
	if id, err := sip.DialogIDFromRequestUAC(req); err == nil {
		ids = append(ids, id)
	}
	u.calls.mu.Lock()
	defer u.calls.mu.Unlock()
	for _, id := range ids {
		if c := u.calls.byDlg[id]; c != nil {
			return c
		}
	}
	return nil
}

func (u *UA) onBye(req *sip.Request, tx sip.ServerTransaction) {
	c := u.callOf(req)
	if c == nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 481, "Call/Transaction Does Not Exist", nil))
		return
	}
	_ = tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil))
	c.end("remote", 0, "")
}

// onReInvite answers a far-end re-INVITE (hold, retrieve, refresh).
func (u *UA) onReInvite(req *sip.Request, tx sip.ServerTransaction) {
	c := u.callOf(req)
	if c == nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 481, "Call/Transaction Does Not Exist", nil))
		return
	}
	offer, err := sdp.Parse(req.Body())
	if err != nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 488, "Not Acceptable Here", nil))
		return
	}
	c.mu.Lock()
	c.local.Version++
	local := c.local
	c.mu.Unlock()
	ans, p, err := sdp.Answer(offer, local)
	if err != nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 488, "Not Acceptable Here", nil))
		return
	}
	body, _ := ans.Marshal()
	res := sip.NewResponseFromRequest(req, 200, "OK", body)
	res.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	res.AppendHeader(&u.Contact)
	_ = tx.Respond(res)
	c.setLeg(p)
	u.calls.h.RemoteHold(c, offer.Audio.Direction.Norm() == sdp.SendOnly || offer.Audio.Direction.Norm() == sdp.Inactive)
}

// Hold sends a re-INVITE with sendonly (held) or sendrecv (retrieved).
func (c *Call) Hold(ctx context.Context, held bool) error {
	c.mu.Lock()
	c.local.Version++
	c.local.Direction = sdp.SendRecv
	if held {
		c.local.Direction = sdp.SendOnly
	}
	local := c.local
	c.mu.Unlock()
	offer, err := sdp.Offer(local)
	if err != nil {
		return fmt.Errorf("ua: hold %s: %w", c.ID, err)
	}
	body, _ := offer.Marshal()
	res, err := c.inDialog(ctx, sip.INVITE, "application/sdp", body)
	if err != nil {
		return fmt.Errorf("ua: hold %s: %w", c.ID, err)
	}
	if res.StatusCode != 200 {
		return fmt.Errorf("ua: hold %s: %d %s", c.ID, res.StatusCode, res.Reason)
	}
	if ct := res.Contact(); ct != nil {
		ack := sip.NewRequest(sip.ACK, *ct.Address.Clone())
		if c.cli != nil {
			_ = c.cli.WriteRequest(ack)
		} else {
			_ = c.srv.WriteRequest(ack)
		}
	}
	if ans, err := sdp.Parse(res.Body()); err == nil {
		if p, err := sdp.Negotiate(offer, ans); err == nil {
			p.Sending = p.Sending && !held
			c.setLeg(p)
		}
	}
	return nil
}

// inDialog sends one in-dialog request and waits for its final answer.
func (c *Call) inDialog(ctx context.Context, m sip.RequestMethod, ctype string, body []byte) (*sip.Response, error) {
	var target sip.Uri
	if c.cli != nil {
		target = c.cli.InviteResponse.Contact().Address
	} else {
		target = c.srv.InviteRequest.Contact().Address
	}
	req := sip.NewRequest(m, *target.Clone())
	if body != nil {
		req.AppendHeader(sip.NewHeader("Content-Type", ctype))
		req.SetBody(body)
	}
	if c.cli != nil {
		return c.cli.Do(ctx, req)
	}
	return c.srv.Do(ctx, req)
}
