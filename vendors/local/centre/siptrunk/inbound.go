package siptrunk

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
	"github.com/pion/rtp"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/rtpleg"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/sdp"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/media"
)

func hasOpus() bool { return audio.OpusAvailable }

// inCall is one inbound call: its dialog, its RTP leg, its party in the
// engine.
type inCall struct {
	t      *Trunk
	sess   *sipgo.DialogServerSession
	leg    *rtpleg.Leg
	rl     *media.RTPLeg
	from   string
	local  sdp.Local
	digits digitReader

	pr       promptState // place in the queue, prompts (prompts.go)
	ear      earlyState  // answer = "early" (early.go)
	party    atomic.Pointer[string]
	noAgents atomic.Bool
	talked   atomic.Bool // an agent answered
	ok200    atomic.Bool // our 200 OK went out
	leaving  atomic.Bool // the caller left (leave)
	gaveUp   atomic.Bool // refused after the engine's deadline: a call it places late is ended (endLate)
	lateOnce sync.Once

	once    sync.Once
	done    chan struct{}
	outcome atomic.Pointer[string] // how the call ended, when known before finish
}

func (c *inCall) setOutcome(o string) { c.outcome.Store(&o) }

func (c *inCall) partyID() string {
	if p := c.party.Load(); p != nil {
		return *p
	}
	return ""
}

// negotiate answers an INVITE's offer on fresh RTP ports: the answer, the
// leg's params and the ports, or the SIP status to refuse with (400 for a
// malformed offer, 488 for one with no common codec, no offer at all, or
// an SRTP mismatch).
func negotiate(body []byte, local sdp.Local, listen func() (*rtpleg.Ports, error)) (*sdp.Session, rtpleg.Params, *rtpleg.Ports, sdp.Local, int, error) {
	if len(body) == 0 {
		return nil, rtpleg.Params{}, nil, local, 488, errors.New("no SDP offer (a delayed offer is not supported)")
	}
	offer, err := sdp.Parse(body)
	if err != nil {
		return nil, rtpleg.Params{}, nil, local, 400, err
	}
	ports, err := listen()
	if err != nil {
		return nil, rtpleg.Params{}, nil, local, 500, err
	}
	local.RTPPort, local.RTCPPort = ports.RTP().Port(), ports.RTCP().Port()
	ans, p, err := sdp.Answer(offer, local)
	if err != nil {
		ports.Close()
		if errors.Is(err, sdp.ErrBadSDP) {
			return nil, rtpleg.Params{}, nil, local, 400, err
		}
		return nil, rtpleg.Params{}, nil, local, 488, err
	}
	if len(ans.Audio.Crypto) > 0 {
		local.Key = ans.Audio.Crypto[0].Key
	}
	return ans, p, ports, local, 200, nil
}

var sessionN atomic.Uint64

// onInvite takes a new call (or a re-INVITE in one). sipgo ends the
// transaction when the handler returns, so it lives as long as the call.
func (t *Trunk) onInvite(req *sip.Request, tx sip.ServerTransaction) {
	if to := req.To(); to != nil {
		if tag, ok := to.Params.Get("tag"); ok && tag != "" {
			t.onReInvite(req, tx)
			return
		}
	}
	src, ok := t.allowed(req)
	if !ok {
		t.respond(req, tx, 403, "Forbidden", "source not allowed")
		return
	}
	if !t.limit.allow(src, time.Now()) {
		t.respond(req, tx, 503, "Service Unavailable", "too many INVITEs from one address", sip.NewHeader("Retry-After", "5"))
		return
	}
	number := req.Recipient.User
	group, ok := t.route(number)
	if !ok {
		t.respond(req, tx, 404, "Not Found", "no route for the dialled number")
		return
	}
	n := sessionN.Add(1)
	local := sdp.Local{Addr: t.cfg.MediaAddr, Codecs: t.cfg.Codecs, SRTP: t.cfg.SRTP, User: "agentty", SessionID: 4000 + n, Version: 1}
	ans, params, ports, local, code, err := negotiate(req.Body(), local, func() (*rtpleg.Ports, error) { return rtpleg.Listen(t.cfg.MediaAddr) })
	if err != nil {
		reason := "Not Acceptable Here"
		switch code {
		case 400:
			reason = "Bad Request"
		case 500:
			reason = "Server Error"
		}
		t.respond(req, tx, code, reason, "offer: "+err.Error())
		return
	}
	body, err := ans.Marshal()
	if err != nil {
		ports.Close()
		t.respond(req, tx, 500, "Server Error", "answer: "+err.Error())
		return
	}
	sess, err := t.dialogUA(req).ReadInvite(req, tx)
	if err != nil {
		ports.Close()
		t.respond(req, tx, 400, "Bad Request", "invite: "+err.Error())
		return
	}
	c := &inCall{t: t, sess: sess, rl: media.NewRTPLeg(), from: callerID(req), local: local, done: make(chan struct{})}
	t.preparePrompts(c)
	// The leg's reader calls onRTP as soon as it starts: set what it reads first.
	c.digits.clock = params.Tel.Clock
	c.digits.pt, c.digits.ok = params.Tel.PT, !params.Tel.IsZero()
	c.leg, err = rtpleg.Start(ports, params, rtpleg.Config{OnRTP: c.onRTP,
		OnError: func(err error) { t.log.Debug("siptrunk: rtp", "err", err) }})
	if err != nil {
		ports.Close()
		_ = sess.Respond(500, "Server Error", nil)
		t.log.Warn("siptrunk: rtp leg", "err", err)
		t.count("failed")
		return
	}
	c.rl.SetLeg(c.leg)
	t.mu.Lock()
	t.calls[sess.ID] = c
	t.mu.Unlock()
	t.live.Add(1)
	t.wg.Add(1)
	defer t.wg.Done()
	ctx, cancel := context.WithTimeout(t.ctx, 5*time.Second)
	_, err = t.cfg.Centre.TrunkCall(ctx, "sip", c.from, group, func(id string) {
		c.party.Store(&id)
		if t.cfg.Relay != nil {
			t.cfg.Relay.AttachRTP(id, c.rl)
		}
		c.endLate()
	}, c.onEvent)
	cancel()
	if err != nil {
		code, reason := 500, "Server Error"
		var hdrs []sip.Header
		var r *acd.Refusal
		switch {
		case errors.As(err, &r) && r.Code == acd.CodeNotFound:
			code, reason = 404, "Not Found"
		case errors.Is(err, context.DeadlineExceeded):
			// The centre's engine is behind: try again later. It may still
			// place the call when it catches up: endLate ends that one.
			code, reason = 503, "Service Unavailable"
			hdrs = append(hdrs, sip.NewHeader("Retry-After", "5"))
			c.leaving.Store(true)
			c.gaveUp.Store(true)
			c.endLate()
		}
		_ = sess.Respond(code, reason, nil, hdrs...)
		t.log.Warn("siptrunk: refused", "code", code, "why", err.Error(), "to", number, "group", group)
		c.setOutcome(outcomeOf(code))
		c.finish(false)
		return
	}
	t.log.Info("siptrunk: call in", "from", c.from, "to", number, "group", group, "party", c.partyID())
	if c.noAgents.Load() && t.cfg.NoAgents == NoAgentsPrompt {
		t.playNoAgents(c, tx, body)
		return
	}
	if c.noAgents.Load() && t.cfg.NoAgents == NoAgentsBusy {
		c.setOutcome("busy")
		c.leaving.Store(true) // the call's end comes back as an event: this handler finishes it
		ctx, cancel := context.WithTimeout(t.ctx, 5*time.Second)
		if err := t.cfg.Centre.TrunkEnd(ctx, c.partyID(), "no_agents"); err != nil {
			t.log.Warn("siptrunk: no agents", "err", err)
		}
		cancel()
		_ = sess.Respond(486, "Busy Here", nil)
		t.log.Info("siptrunk: busy, nobody serves the group", "from", c.from, "group", group)
		c.finish(false)
		return
	}
	if t.cfg.Answer == AnswerEarly {
		t.early(c, tx, body)
		return
	}
	if !t.answer(c, body) {
		return
	}
	c.startPrompts()
	c.watch()
}

// watch waits until the call ends, ending it when the caller's RTP stops
// for RTPTimeout (the phone vanished without a BYE).
func (c *inCall) watch() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	start := time.Now()
	for {
		select {
		case <-c.done:
			return
		case <-c.t.ctx.Done():
			return
		case now := <-tick.C:
			if c.t.cfg.RTPTimeout < 0 {
				continue
			}
			p := c.leg.Params()
			if !p.Receiving {
				start = now // the caller holds: silence is expected
				continue
			}
			last := c.leg.LastReceived()
			if last.Before(start) {
				last = start
			}
			if now.Sub(last) > c.t.cfg.RTPTimeout || c.leg.ByeReceived() {
				c.t.log.Warn("siptrunk: caller's RTP stopped, call ended", "party", c.partyID(), "from", c.from)
				c.setOutcome("rtp_timeout")
				c.leave(true)
				return
			}
		}
	}
}

// leave tells the engine the caller left (abandoned while queued, or hung
// up while talking), then ends the call (a BYE with bye).
func (c *inCall) leave(bye bool) {
	c.leaving.Store(true)
	id := c.partyID()
	if id != "" && !c.endNoAgents(id) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := c.t.cfg.Centre.SimLeave(ctx, id); err != nil {
			c.t.log.Debug("siptrunk: leave", "party", id, "err", err)
		}
		cancel()
	}
	c.finish(bye)
}

// onEvent is the caller's engine events, on the engine goroutine.
func (c *inCall) onEvent(e session.Event) {
	c.queueEvent(e)
	switch e := e.(type) {
	case session.CallDialing:
		if c.t.cfg.Relay != nil {
			c.t.cfg.Relay.Queue(e.CallID, c.partyID())
		}
	case session.QueueNoAgents:
		c.noAgents.Store(true)
	case session.QueueJoined:
		c.noAgents.Store(false)
	case session.CallAnswered:
		c.talked.Store(true)
	case session.CallEnded, session.CallFailed:
		if c.leaving.Load() {
			return // the caller's own leave: it finishes the call
		}
		go c.finish(true) // the agent hung up, or the centre ended it
	}
}

// finish ends the call once: a BYE when bye is set and the dialog is up,
// the leg closed and detached.
func (c *inCall) finish(bye bool) {
	c.once.Do(func() {
		t := c.t
		if bye && c.ok200.Load() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := c.sess.Bye(ctx); err != nil {
				t.log.Debug("siptrunk: bye", "err", err)
			}
			cancel()
		}
		if id := c.partyID(); id != "" && t.cfg.Relay != nil {
			t.cfg.Relay.DetachRTP(id)
		}
		if err := c.leg.Close(); err != nil {
			t.log.Debug("siptrunk: close leg", "err", err)
		}
		t.mu.Lock()
		delete(t.calls, c.sess.ID)
		t.mu.Unlock()
		t.live.Add(-1)
		outcome := ""
		if o := c.outcome.Load(); o != nil {
			outcome = *o
		}
		switch {
		case outcome != "":
		case c.talked.Load():
			outcome = "answered"
		default:
			outcome = "abandoned"
		}
		t.count(outcome)
		close(c.done)
	})
}

func (t *Trunk) callOf(req *sip.Request) *inCall {
	id, err := sip.DialogIDFromRequestUAS(req)
	if err != nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.calls[id]
}

func (t *Trunk) onAck(req *sip.Request, tx sip.ServerTransaction) {
	if c := t.callOf(req); c != nil {
		_ = c.sess.ReadAck(req, tx)
	}
}

// onBye: the caller hung up.
func (t *Trunk) onBye(req *sip.Request, tx sip.ServerTransaction) {
	c := t.callOf(req)
	if c == nil {
		if oc := t.outOf(req); oc != nil {
			t.outBye(oc, req, tx)
			return
		}
		_ = tx.Respond(sip.NewResponseFromRequest(req, 481, "Call/Transaction Does Not Exist", nil))
		return
	}
	if err := c.sess.ReadBye(req, tx); err != nil {
		t.log.Debug("siptrunk: bye", "err", err)
	}
	c.leave(false)
}

// onRTP is the leg's relay hook: digits are read, everything goes to the
// relay.
func (c *inCall) onRTP(pkt *rtp.Packet) {
	if d, ok := c.digits.read(pkt); ok {
		if id := c.partyID(); id != "" {
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				_ = c.t.cfg.Centre.TrunkDTMF(ctx, id, string(d))
			}()
		}
	}
	c.rl.Deliver(pkt)
}
