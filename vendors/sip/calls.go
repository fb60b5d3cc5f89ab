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

// dialed waits while a dial is registering its call.
func (b *Backend) dialed() {
	b.dialing.Lock()
	b.dialing.Unlock() //nolint:staticcheck // a barrier, nothing to guard
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
	b.emit(session.CallRinging{CallBase: session.CallBase{At: b.now(), CallID: c.ID}, Direction: session.DirInbound, From: from(c), To: b.ucfg.User})
}

// from is the caller as call.ringing shows it.
func from(c *ua.Call) string {
	if c.RemoteName != "" {
		return c.RemoteName + " <" + c.RemoteUser + ">"
	}
	return c.RemoteUser
}

func (h handler) Progress(c *ua.Call, code int) {
	h.b.dialed()
	if code == 180 || code == 183 {
		h.b.emit(session.CallRinging{CallBase: session.CallBase{At: h.b.now(), CallID: c.ID}, Direction: session.DirOutbound, To: c.RemoteUser})
	}
}

func (h handler) Answered(c *ua.Call) {
	h.b.dialed()
	now := h.b.now()
	h.b.mu.Lock()
	h.b.talked[c.ID] = now
	h.b.mu.Unlock()
	h.b.emit(session.CallAnswered{CallBase: session.CallBase{At: now, CallID: c.ID}})
}

func (h handler) Ended(c *ua.Call, by string, code int, text string) {
	h.b.dialed()
	b := h.b
	now := b.now()
	b.mu.Lock()
	if _, known := b.calls[c.ID]; !known { // refused while do-not-disturb
		b.mu.Unlock()
		return
	}
	delete(b.calls, c.ID)
	answered, talked := b.talked[c.ID]
	delete(b.talked, c.ID)
	delete(b.remoteHeld, c.ID)
	delete(b.held, c.ID)
	delete(b.transfers, c.ID)
	transferred := b.transferred[c.ID]
	delete(b.transferred, c.ID)
	idle := len(b.calls) == 0
	b.mu.Unlock()
	if idle {
		// After the session folds the end (to wrap-up when answered),
		// say again whether calls reach us: SIP has no wrap-up.
		defer b.emitAvailability()
	}
	if transferred { // call.transferred ended it already
		return
	}
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

// RemoteHold: a re-INVITE from the far end put us on hold (sendonly or
// inactive) or took us off it; only a change is told to the console
// (call.held / call.retrieved with remote set), and a call held by the
// far end gets no quality reports (no audio is not loss).
func (h handler) RemoteHold(c *ua.Call, held bool) {
	h.b.cfg.Logger.Info("sip: far end hold", "call", c.ID, "held", held)
	h.b.mu.Lock()
	was := h.b.remoteHeld[c.ID]
	if held {
		h.b.remoteHeld[c.ID] = true
	} else {
		delete(h.b.remoteHeld, c.ID)
	}
	h.b.mu.Unlock()
	base := session.CallBase{At: h.b.now(), CallID: c.ID}
	switch {
	case held && !was:
		h.b.emit(session.CallHeld{CallBase: base, Remote: true})
	case !held && was:
		h.b.emit(session.CallRetrieved{CallBase: base, Remote: true})
	}
}

func (b *Backend) call(id string) (*ua.Call, error) { return b.pick("", id) }

// pick finds the call a command acts on: the one named, else the only
// one, else the one in the phase the verb wants (the ringing one to
// answer or reject, the held one to retrieve, the talking one for the
// rest).
func (b *Backend) pick(v session.Verb, id string) (*ua.Call, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if id != "" {
		if c, ok := b.calls[id]; ok {
			return c, nil
		}
		return nil, errors.New("no such call")
	}
	if len(b.calls) == 1 {
		for _, c := range b.calls {
			return c, nil
		}
	}
	var found *ua.Call
	for cid, c := range b.calls {
		_, answered := b.talked[cid]
		var fits bool
		switch v {
		case session.VerbAnswer, session.VerbReject:
			fits = !c.Outbound && !answered
		case session.VerbRetrieve:
			fits = b.held[cid]
		default:
			fits = answered && !b.held[cid]
		}
		if fits {
			if found != nil {
				return nil, errors.New("which call? give its id")
			}
			found = c
		}
	}
	if found == nil {
		return nil, errors.New("no such call")
	}
	return found, nil
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
		b.emitAvailability()
		return nil
	case session.VerbReady:
		b.dnd.Store(false)
		b.emitAvailability()
		return nil
	case session.VerbCheckIn, session.VerbCheckOut, session.VerbRest, session.VerbDone, session.VerbDisposition:
		return errors.New("a SIP account has no call-centre queue")
	case session.VerbDial:
		if b.ua == nil {
			return errors.New("not registered")
		}
		// Events of the new call wait until it is known here.
		b.dialing.Lock()
		defer b.dialing.Unlock()
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
	if c.Verb == session.VerbTransfer {
		return b.doTransfer(ctx, c)
	}
	call, err := b.pick(c.Verb, c.CallID)
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
		b.mu.Lock()
		b.held[call.ID] = held
		b.mu.Unlock()
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
