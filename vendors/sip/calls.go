package sip

import (
	"context"
	"errors"
	"fmt"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/ua"
	"github.com/agentty/agentty/vendors"
)

// reasons maps final SIP statuses to what people understand.
var reasons = map[int]string{
	404: "no such number", 480: "unavailable", 486: "busy", 603: "declined",
	408: "no answer", 487: "cancelled", 488: "no common codec", 403: "not allowed",
}

func reason(code int, text string) string {
	if r, ok := reasons[code]; ok {
		return r
	}
	if code == 0 {
		return text
	}
	return fmt.Sprintf("%d %s", code, text)
}

// handler turns ua call events into session events.
type handler struct{ b *Backend }

func (h handler) Incoming(c *ua.Call) {
	b := h.b
	if b.dnd.Load() {
		_ = c.Reject(486)
		return
	}
	b.mu.Lock()
	b.calls[c.ID] = c
	b.mu.Unlock()
	from := c.RemoteUser
	if c.RemoteName != "" {
		from = c.RemoteName + " <" + c.RemoteUser + ">"
	}
	b.emit(session.CallRinging{CallBase: session.CallBase{At: b.now(), CallID: c.ID}, Direction: session.DirInbound, From: from, To: b.ucfg.User})
}

func (h handler) Progress(c *ua.Call, code int) {
	if code == 180 || code == 183 {
		h.b.emit(session.CallRinging{CallBase: session.CallBase{At: h.b.now(), CallID: c.ID}, Direction: session.DirOutbound, To: c.RemoteUser})
	}
}

func (h handler) Answered(c *ua.Call) {
	now := h.b.now()
	h.b.mu.Lock()
	h.b.talked[c.ID] = now
	h.b.mu.Unlock()
	h.b.emit(session.CallAnswered{CallBase: session.CallBase{At: now, CallID: c.ID}})
}

func (h handler) Ended(c *ua.Call, by string, code int, text string) {
	b := h.b
	now := b.now()
	b.mu.Lock()
	delete(b.calls, c.ID)
	answered, talked := b.talked[c.ID]
	delete(b.talked, c.ID)
	b.mu.Unlock()
	base := session.CallBase{At: now, CallID: c.ID}
	if code >= 300 && c.Outbound {
		b.emit(session.CallFailed{CallBase: base, Reason: reason(code, text)})
		return
	}
	party := session.ByCustomer
	if by == "local" {
		party = session.ByAgent
	}
	ended := session.CallEnded{CallBase: base, By: party}
	if talked {
		ended.Duration = session.Secs(now.Sub(answered))
	}
	b.emit(ended)
}

func (h handler) Digit(c *ua.Call, d rune) {
	h.b.emit(session.CallDTMF{CallBase: session.CallBase{At: h.b.now(), CallID: c.ID}, Digits: string(d)})
}

func (h handler) RemoteHold(c *ua.Call, held bool) {
	h.b.cfg.Logger.Info("sip: far end hold", "call", c.ID, "held", held)
}

func (b *Backend) call(id string) (*ua.Call, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.calls[id]; ok {
		return c, nil
	}
	if id == "" && len(b.calls) == 1 {
		for _, c := range b.calls {
			return c, nil
		}
	}
	return nil, errors.New("no such call")
}

// Send carries out one command.
func (b *Backend) Send(ctx context.Context, c session.Command) error {
	b.mu.Lock()
	closed := b.closed
	b.mu.Unlock()
	if closed {
		return vendors.ErrClosed
	}
	err := b.send(ctx, c)
	if err != nil {
		b.emit(session.CommandFailed{Base: session.Base{At: b.now()}, Command: string(c.Verb), Reason: err.Error()})
	}
	return err
}

func (b *Backend) send(ctx context.Context, c session.Command) error {
	switch c.Verb {
	case session.VerbNotReady:
		b.dnd.Store(true)
		return nil
	case session.VerbCheckIn, session.VerbReady, session.VerbRest:
		return errors.New("a SIP account has no call-centre queue to join")
	case session.VerbDial:
		if b.ua == nil {
			return errors.New("not registered")
		}
		call, err := b.ua.Dial(ctx, c.Number)
		if err != nil {
			return fmt.Errorf("cannot call %s", c.Number)
		}
		b.mu.Lock()
		b.calls[call.ID] = call
		b.mu.Unlock()
		b.emit(session.CallDialing{CallBase: session.CallBase{At: b.now(), CallID: call.ID}, To: c.Number})
		return nil
	}
	call, err := b.call(c.CallID)
	if err != nil {
		return err
	}
	switch c.Verb {
	case session.VerbAnswer:
		return call.Answer(ctx)
	case session.VerbReject:
		return call.Reject(486)
	case session.VerbHangup:
		return call.Hangup(ctx)
	case session.VerbHold, session.VerbRetrieve:
		held := c.Verb == session.VerbHold
		if err := call.Hold(ctx, held); err != nil {
			return errors.New("the far end refused the hold")
		}
		if held {
			b.emit(session.CallHeld{CallBase: session.CallBase{At: b.now(), CallID: call.ID}})
		} else {
			b.emit(session.CallRetrieved{CallBase: session.CallBase{At: b.now(), CallID: call.ID}})
		}
		return nil
	case session.VerbDTMF:
		return call.SendDTMF(ctx, c.Digits)
	case session.VerbMute, session.VerbUnmute:
		call.SetMuted(c.Verb == session.VerbMute)
		return nil
	}
	return fmt.Errorf("%s is not available on a SIP account", c.Verb)
}
