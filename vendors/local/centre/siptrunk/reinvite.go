package siptrunk

import (
	"context"
	"time"

	"github.com/emiago/sipgo/sip"

	"github.com/agentty/agentty/sip/sdp"
)

// onReInvite answers the caller's re-INVITE (hold, retrieve, a new
// address) and updates the leg.
func (t *Trunk) onReInvite(req *sip.Request, tx sip.ServerTransaction) {
	c := t.callOf(req)
	if c == nil {
		if oc := t.outOf(req); oc != nil {
			t.outReInvite(oc, req, tx)
			return
		}
		_ = tx.Respond(sip.NewResponseFromRequest(req, 481, "Call/Transaction Does Not Exist", nil))
		return
	}
	offer, err := sdp.Parse(req.Body())
	if err != nil {
		t.respond(req, tx, 400, "Bad Request", "re-invite offer: "+err.Error())
		return
	}
	c.local.Version++
	ans, p, err := sdp.Answer(offer, c.local)
	if err != nil {
		t.respond(req, tx, 488, "Not Acceptable Here", "re-invite offer: "+err.Error())
		return
	}
	body, err := ans.Marshal()
	if err != nil {
		t.respond(req, tx, 500, "Server Error", "re-invite answer: "+err.Error())
		return
	}
	res := sip.NewSDPResponseFromRequest(req, body)
	res.AppendHeader(&t.dialogUA(req).ContactHDR)
	_ = tx.Respond(res)
	if err := c.leg.Update(p); err != nil {
		t.log.Warn("siptrunk: re-invite", "err", err)
	}
}

// outReInvite answers a re-INVITE from the far end of a call dialled out
// through the trunk: a hold (their sendonly or inactive: our answer says
// recvonly or inactive, the leg stops sending and the agent sees
// call.held with remote set), a retrieve (call.retrieved, remote), a new
// address or codec, or a session refresh. A re-INVITE with no SDP asks
// for an offer: the 200 carries our current description (the codec in
// use only; unchanged, same version, on later refreshes, RFC 3264 8) and
// the ACK's answer changes nothing. The call
// stays up either way; a malformed offer gets 400, one we cannot take 488
// (the call keeps its media as it was).
func (t *Trunk) outReInvite(oc *outCall, req *sip.Request, tx sip.ServerTransaction) {
	oc.mu.Lock()
	leg, local, last := oc.leg, oc.local, oc.last
	oc.mu.Unlock()
	if leg == nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 491, "Request Pending", nil))
		return
	}
	body := last
	if len(req.Body()) > 0 {
		offer, err := sdp.Parse(req.Body())
		if err != nil {
			t.respondInDialog(req, tx, 400, "Bad Request", "re-invite offer: "+err.Error())
			return
		}
		local.Version++
		ans, p, err := sdp.Answer(offer, local)
		if err != nil {
			t.respondInDialog(req, tx, 488, "Not Acceptable Here", "re-invite offer: "+err.Error())
			return
		}
		if body, err = ans.Marshal(); err != nil {
			t.respondInDialog(req, tx, 500, "Server Error", "re-invite answer: "+err.Error())
			return
		}
		if err := leg.Update(p); err != nil {
			t.log.Warn("siptrunk: re-invite from the far end", "call", oc.op.CallID, "err", err)
		}
		held := !p.Sending // their sendonly or inactive: they want none of our audio
		oc.mu.Lock()
		oc.local, oc.last = local, body
		changed := held != oc.held
		oc.held = held
		oc.mu.Unlock()
		t.log.Info("siptrunk: far end re-invited", "call", oc.op.CallID, "sending", p.Sending, "receiving", p.Receiving)
		if changed {
			// The agent's console shows it (call.held, remote); after the
			// answer is sent: sipgo waits for this handler.
			defer func() {
				ctx, cancel := context.WithTimeout(oc.ctx, 5*time.Second)
				defer cancel()
				if err := t.dialler.FarHold(ctx, oc.op.CallID, held); err != nil {
					t.log.Debug("siptrunk: far end hold", "err", err)
				}
			}()
		}
	} else {
		if body == nil {
			// Our first description since the INVITE: the codec in use
			// only, so that the ACK's answer cannot pick another.
			local.Version++
			local.Codecs = []string{leg.Params().Send.Name}
			offer, err := sdp.Offer(local)
			if err == nil {
				body, err = offer.Marshal()
			}
			if err != nil {
				t.respondInDialog(req, tx, 500, "Server Error", "re-invite offer: "+err.Error())
				return
			}
			oc.mu.Lock()
			oc.local, oc.last = local, body
			oc.mu.Unlock()
		}
		t.log.Info("siptrunk: far end refreshed the session", "call", oc.op.CallID)
	}
	res := sip.NewSDPResponseFromRequest(req, body)
	res.AppendHeader(&t.dua.ContactHDR)
	if err := tx.Respond(res); err != nil {
		t.log.Debug("siptrunk: re-invite answer", "err", err)
	}
}

// respondInDialog refuses an in-dialog request with a log line; unlike
// respond it counts no call outcome (the call goes on).
func (t *Trunk) respondInDialog(req *sip.Request, tx sip.ServerTransaction, code int, reason, why string) {
	t.log.Warn("siptrunk: refused in dialog", "code", code, "why", why, "source", req.Source())
	if err := tx.Respond(sip.NewResponseFromRequest(req, code, reason, nil)); err != nil {
		t.log.Debug("siptrunk: respond", "code", code, "err", err)
	}
}
