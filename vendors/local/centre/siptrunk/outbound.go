package siptrunk

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/agentty/agentty/audio/rtpleg"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/sdp"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/media"
)

// Dialler is the part of centre.Server the outbound trunk uses.
type Dialler interface {
	SetTrunkOut(f func(acd.TrunkOp))
	ExtRinging(ctx context.Context, callID string) error
	FarHold(ctx context.Context, callID string, held bool) error
	ExtAnswered(ctx context.Context, callID string) error
	ExtFailed(ctx context.Context, callID, reason string) error
	HangupExternal(ctx context.Context, callID string) error
}

// outCall is one call an agent dialled out through the trunk.
type outCall struct {
	t      *Trunk
	op     acd.TrunkOp
	ctx    context.Context
	cancel context.CancelFunc // a CANCEL while it rings, or the end

	mu    sync.Mutex
	sess  *sipgo.DialogClientSession
	leg   *rtpleg.Leg
	rl    *media.RTPLeg // the relay's hold on leg
	local sdp.Local     // our side of the SDP, for re-INVITEs (reinvite.go)
	last  []byte        // the SDP we last answered a re-INVITE with; nil before one
	held  bool          // the far end holds the call (reinvite.go)
	dlgID string
	up    bool
	once  sync.Once
}

// startOutbound makes the trunk the centre's dialler.
func (t *Trunk) startOutbound() error {
	d, ok := t.cfg.Centre.(Dialler)
	if !ok {
		return errors.New("siptrunk: the centre cannot dial out")
	}
	var uri sip.Uri
	if err := sip.ParseUri(t.cfg.Trunk, &uri); err != nil || uri.Host == "" {
		return fmt.Errorf("siptrunk: trunk %q: want sip:HOST:PORT", t.cfg.Trunk)
	}
	t.trunkURI, t.dialler = uri, d
	d.SetTrunkOut(t.onTrunkOp)
	return nil
}

// onTrunkOp runs on the centre's engine goroutine: it must not block.
func (t *Trunk) onTrunkOp(op acd.TrunkOp) {
	switch op.Kind {
	case acd.TrunkDial:
		ctx, cancel := context.WithCancel(t.ctx)
		oc := &outCall{t: t, op: op, ctx: ctx, cancel: cancel}
		t.mu.Lock()
		t.outs[op.CallID] = oc
		t.mu.Unlock()
		t.wg.Add(1)
		go func() {
			defer t.wg.Done()
			oc.dial()
		}()
	case acd.TrunkHangup:
		t.mu.Lock()
		oc := t.outs[op.CallID]
		t.mu.Unlock()
		if oc != nil {
			// Tracked: Close waits for the BYE before it closes the
			// user agent (a BYE after that opened a UDP connection
			// nobody closed).
			t.wg.Add(1)
			go func() {
				defer t.wg.Done()
				oc.finish(true)
			}()
		}
	}
}

// failReason is what call.failed says for a final SIP status.
func failReason(code int) string {
	switch code {
	case 486, 600:
		return "busy"
	case 404, 484, 604:
		return "no such number"
	case 408, 480, 487:
		return "no answer"
	case 401, 407, 403:
		return "trunk refused auth"
	case 603:
		return "declined"
	}
	return fmt.Sprintf("trunk said %d", code)
}

// dial places the call and follows it until it is up (then the relay
// carries it) or fails.
func (oc *outCall) dial() {
	t := oc.t
	uri, err := t.outboundURI(oc.op.Number)
	if err != nil {
		oc.fail(err.Error())
		return
	}
	ports, err := rtpleg.Listen(t.cfg.MediaAddr)
	if err != nil {
		oc.fail("media: " + err.Error())
		return
	}
	n := sessionN.Add(1)
	local := sdp.Local{Addr: t.cfg.MediaAddr, RTPPort: ports.RTP().Port(), RTCPPort: ports.RTCP().Port(),
		Codecs: t.cfg.Codecs, User: "agentty", SessionID: 4000 + n, Version: 1}
	offer, err := sdp.Offer(local)
	if err != nil {
		ports.Close()
		oc.fail("sdp: " + err.Error())
		return
	}
	body, _ := offer.Marshal()
	req := sip.NewRequest(sip.INVITE, uri)
	if session.IsSIPURI(oc.op.Number) {
		req.SetDestination(t.trunkHostPort()) // a SIP address goes out through the trunk too
	}
	req.SetBody(body)
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	from := t.cfg.CallerID
	if from == "" {
		from = "centre"
	}
	fp := sip.NewParams()
	fp.Add("tag", sip.GenerateTagN(16))
	req.AppendHeader(&sip.FromHeader{Address: sip.Uri{User: from, Host: t.addr.Addr().String(), Port: int(t.addr.Port())}, Params: fp})
	t.log.Info("siptrunk: dialling out", "call", oc.op.CallID, "to", uri.String(), "agent", oc.op.Agent)
	sess, err := t.dua.WriteInvite(oc.ctx, req)
	if err != nil {
		ports.Close()
		oc.fail("invite: " + err.Error())
		return
	}
	oc.mu.Lock()
	oc.sess = sess
	oc.mu.Unlock()
	err = sess.WaitAnswer(oc.ctx, sipgo.AnswerOptions{Username: t.cfg.TrunkUser, Password: t.cfg.TrunkPassword,
		OnResponse: func(res *sip.Response) error {
			if res.StatusCode == 180 || res.StatusCode == 183 {
				t.log.Info("siptrunk: far end ringing", "call", oc.op.CallID, "code", res.StatusCode)
				// The agent's console shows it (call.ringing, outbound);
				// the engine tells it once, and not after the answer. Off
				// this goroutine: a busy engine must not hold up reading
				// the 200 (and its ACK).
				t.wg.Add(1)
				go func() {
					defer t.wg.Done()
					ctx, cancel := context.WithTimeout(oc.ctx, 5*time.Second)
					defer cancel()
					if err := t.dialler.ExtRinging(ctx, oc.op.CallID); err != nil {
						t.log.Debug("siptrunk: far end ringing", "err", err)
					}
				}()
			}
			return nil
		}})
	if err != nil {
		ports.Close()
		var e *sipgo.ErrDialogResponse
		switch {
		case errors.As(err, &e):
			oc.fail(failReason(e.Res.StatusCode))
		case oc.ctx.Err() != nil:
			oc.finish(false) // the agent hung up while it rang: CANCEL sent
		default:
			oc.fail("no answer: " + err.Error())
		}
		return
	}
	if err := sess.Ack(oc.ctx); err != nil {
		ports.Close()
		oc.fail("ack: " + err.Error())
		return
	}
	ans, err := sdp.Parse(sess.InviteResponse.Body())
	var p rtpleg.Params
	if err == nil {
		p, err = sdp.Negotiate(offer, ans)
	}
	if err != nil {
		ports.Close()
		t.log.Warn("siptrunk: far end's answer", "call", oc.op.CallID, "err", err)
		oc.mu.Lock()
		oc.up = true // a BYE is due
		oc.mu.Unlock()
		oc.fail("bad answer from the far end")
		return
	}
	rl := media.NewRTPLeg()
	leg, err := rtpleg.Start(ports, p, rtpleg.Config{OnRTP: rl.Deliver,
		OnError: func(err error) { t.log.Debug("siptrunk: rtp", "err", err) }})
	if err != nil {
		ports.Close()
		oc.mu.Lock()
		oc.up = true
		oc.mu.Unlock()
		oc.fail("media: " + err.Error())
		return
	}
	rl.SetLeg(leg)
	oc.mu.Lock()
	oc.leg, oc.rl, oc.up, oc.dlgID, oc.local = leg, rl, true, sess.ID, local
	oc.mu.Unlock()
	t.mu.Lock()
	t.outByDlg[sess.ID] = oc
	t.mu.Unlock()
	if t.cfg.Relay != nil {
		t.cfg.Relay.AttachRTP("ext:"+oc.op.Number, rl)
	}
	ctx, cancel := context.WithTimeout(t.ctx, 5*time.Second)
	defer cancel()
	if err := t.dialler.ExtAnswered(ctx, oc.op.CallID); err != nil {
		t.log.Warn("siptrunk: answered", "err", err)
	}
	t.count("out_answered")
}

// fail reports a failed dial (call.failed with reason) and cleans up.
func (oc *outCall) fail(reason string) {
	oc.t.log.Info("siptrunk: dial failed", "call", oc.op.CallID, "number", oc.op.Number, "reason", reason)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	if err := oc.t.dialler.ExtFailed(ctx, oc.op.CallID, reason); err != nil {
		oc.t.log.Debug("siptrunk: dial failed", "err", err)
	}
	cancel()
	oc.t.count("out_failed")
	oc.finish(true)
}

// finish ends the outbound call once: a BYE when it is up and bye is set,
// the leg closed and detached.
func (oc *outCall) finish(bye bool) {
	oc.once.Do(func() {
		t := oc.t
		oc.cancel() // a CANCEL if it still rings
		oc.mu.Lock()
		sess, leg, rl, up, dlg := oc.sess, oc.leg, oc.rl, oc.up, oc.dlgID
		oc.mu.Unlock()
		if bye && up && sess != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := sess.Bye(ctx); err != nil {
				t.log.Debug("siptrunk: bye out", "err", err)
			}
			cancel()
		}
		if leg != nil {
			if t.cfg.Relay != nil {
				// Only this call's leg: another call may dial the same number.
				t.cfg.Relay.DetachRTPLeg("ext:"+oc.op.Number, rl)
			}
			_ = leg.Close()
		}
		t.mu.Lock()
		delete(t.outs, oc.op.CallID)
		delete(t.outByDlg, dlg)
		t.mu.Unlock()
	})
}

// outOf finds the outbound call an in-dialog request (BYE, re-INVITE)
// belongs to. The centre was the dialog's UAC: the request's To tag is
// ours and its From tag the far end's, the other way round from a call
// in (sipgo's DialogClientSession.ID is made from the 200's tags).
func (t *Trunk) outOf(req *sip.Request) *outCall {
	id, err := sip.DialogIDFromRequestUAC(req)
	if err != nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.outByDlg[id]
}

// outBye: the far end of an outbound call hung up.
func (t *Trunk) outBye(oc *outCall, req *sip.Request, tx sip.ServerTransaction) {
	oc.mu.Lock()
	sess := oc.sess
	oc.mu.Unlock()
	if err := sess.ReadBye(req, tx); err != nil {
		t.log.Debug("siptrunk: bye", "err", err)
	}
	oc.finish(false)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := t.dialler.HangupExternal(ctx, oc.op.CallID); err != nil {
		t.log.Debug("siptrunk: far end hung up", "err", err)
	}
}

// outboundURI is the Request-URI of a dial: a number as the user part at
// the trunk, a sip: or sips: address as it is (the trunk routes it).
func (t *Trunk) outboundURI(number string) (sip.Uri, error) {
	if session.IsSIPURI(number) {
		var uri sip.Uri
		if err := sip.ParseUri(number, &uri); err != nil || uri.Host == "" {
			return uri, fmt.Errorf("%s is not a SIP address", number)
		}
		return uri, nil
	}
	uri := t.trunkURI
	uri.User = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "").Replace(number)
	return uri, nil
}

// trunkHostPort is where the trunk's requests go: its host and port (5060,
// or 5061 for sips:, when the trunk names none).
func (t *Trunk) trunkHostPort() string {
	port := t.trunkURI.Port
	if port == 0 {
		port = 5060
		if t.trunkURI.IsEncrypted() {
			port = 5061
		}
	}
	return net.JoinHostPort(t.trunkURI.Host, strconv.Itoa(port))
}
