package siptrunk

import (
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// Answer policies: when the centre answers a call that joins a queue.
const (
	// AnswerAtOnce sends 200 OK as soon as the call is queued (the
	// default): the caller's phone shows the call up (and a carrier
	// bills it) while it waits.
	AnswerAtOnce = "at_once"
	// AnswerEarly sends 183 Session Progress with the SDP answer and
	// plays music and prompts as early media; 200 OK follows when an
	// agent answers. A CANCEL while queued is the caller leaving the
	// queue (abandoned).
	AnswerEarly = "early"
)

// progressEvery re-sends 183 while a caller waits, so that proxies'
// INVITE timers (RFC 3261's Timer C, 3 minutes) do not fire.
const progressEvery = 50 * time.Second

// earlyState is a call's early-media state.
type earlyState struct {
	once     sync.Once
	answered chan struct{} // closed when an agent answered
}

func (e *earlyState) init() { e.answered = make(chan struct{}) }

// agentAnswered marks the call answered by an agent (engine goroutine).
func (e *earlyState) agentAnswered() { e.once.Do(func() { close(e.answered) }) }

// early holds a queued call in early media until an agent answers (200
// OK, then the call as usual), the caller cancels (queue.left by
// customer), the caller's RTP stops for RTPTimeout after it had started,
// or the centre ends the call (480).
func (t *Trunk) early(c *inCall, tx sip.ServerTransaction, body []byte) {
	cancelled := cancels(tx)
	progress := func() error { return c.progress(body) }
	if err := progress(); err != nil {
		t.log.Info("siptrunk: caller gone before early media", "from", c.from, "err", err)
		c.leave(false)
		return
	}
	t.log.Info("siptrunk: queued with early media", "from", c.from, "party", c.partyID())
	c.startPrompts()
	resend := time.NewTicker(progressEvery)
	defer resend.Stop()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-c.ear.answered:
			t.answerEarly(c)
			return
		case <-cancelled:
			t.log.Info("siptrunk: caller cancelled while queued", "from", c.from, "party", c.partyID())
			c.leave(false)
			return
		case <-tx.Done():
			t.log.Info("siptrunk: the INVITE transaction ended while queued", "from", c.from, "err", tx.Err())
			c.leave(false)
			return
		case <-c.done:
			// The centre ended the call (a queue timeout): refuse the INVITE.
			_ = c.sess.Respond(480, "Temporarily Unavailable", nil)
			return
		case <-t.ctx.Done():
			_ = c.sess.Respond(480, "Temporarily Unavailable", nil)
			return
		case <-resend.C:
			if err := progress(); err != nil {
				c.leave(false)
				return
			}
		case now := <-tick.C:
			last := c.leg.LastReceived()
			if t.cfg.RTPTimeout > 0 && !last.IsZero() && now.Sub(last) > t.cfg.RTPTimeout {
				t.log.Warn("siptrunk: caller's early RTP stopped, call ended", "party", c.partyID(), "from", c.from)
				c.setOutcome("rtp_timeout")
				_ = c.sess.Respond(480, "Temporarily Unavailable", nil)
				c.leave(false)
				return
			}
		}
	}
}

// cancels is closed when the caller cancels the INVITE. sipgo answers a
// CANCEL with 487 itself; the transaction ends later (after the ACK, and
// Timer I over UDP): this hears the CANCEL at once.
func cancels(tx sip.ServerTransaction) <-chan struct{} {
	cancelled := make(chan struct{})
	var once sync.Once
	tx.OnCancel(func(*sip.Request) { once.Do(func() { close(cancelled) }) })
	return cancelled
}

// progress sends 183 Session Progress with the SDP answer body.
func (c *inCall) progress(body []byte) error {
	res := sip.NewSDPResponseFromRequest(c.sess.InviteRequest, body)
	res.StatusCode, res.Reason = 183, "Session Progress"
	return c.sess.WriteResponse(res)
}

// answerEarly sends the 200 OK of a call in early media once an agent
// answered, then follows the call as usual.
func (t *Trunk) answerEarly(c *inCall) {
	if !t.answer(c, c.sess.InviteResponse.Body()) {
		return
	}
	c.watch()
}

// answer sends the call's 200 OK with body; false when the caller is gone
// (a CANCEL, or no ACK: a BYE is due when the 200 OK went out
// unacknowledged), and the call has been left.
func (t *Trunk) answer(c *inCall, body []byte) bool {
	res := sip.NewSDPResponseFromRequest(c.sess.InviteRequest, body)
	c.ok200.Store(true)
	if err := c.sess.WriteResponse(res); err != nil {
		noAck := strings.Contains(err.Error(), "No ACK")
		c.ok200.Store(noAck)
		t.log.Info("siptrunk: caller gone before the answer settled", "from", c.from, "err", err)
		c.leave(noAck)
		return false
	}
	return true
}
