package sip

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/ua"
)

// transfer is one REFER in progress.
type transfer struct {
	target  session.Target
	consult *ua.Call // attended: the call the transferee takes over
}

// doTransfer carries out `transfer`: attended when another answered call
// goes to the same number (the consult call: hold, dial the target, then
// transfer the held call to it), blind otherwise. The outcome arrives as
// NOTIFYs (TransferProgress).
func (b *Backend) doTransfer(ctx context.Context, c session.Command) error {
	number := c.Target.ID
	switch c.Target.Kind {
	case session.TargetNumber, session.TargetAgent:
	default:
		return errors.New("a SIP account has no groups to transfer to: give a number or extension")
	}
	call, err := b.transferCall(c.CallID)
	if err != nil {
		return err
	}
	consult := b.consultFor(call, number)
	// Known before the REFER goes: its first NOTIFY may beat the 202.
	b.mu.Lock()
	b.transfers[call.ID] = transfer{target: c.Target, consult: consult}
	b.mu.Unlock()
	if consult != nil {
		err = call.TransferReplacing(ctx, consult)
	} else {
		err = call.Transfer(ctx, number)
	}
	if err != nil {
		b.mu.Lock()
		delete(b.transfers, call.ID)
		b.mu.Unlock()
	}
	if errors.Is(err, ua.ErrTransferRefused) {
		return errors.New("the far end refused the transfer")
	}
	if err != nil {
		return fmt.Errorf("cannot transfer to %s", number)
	}
	return nil
}

// transferCall is the call a transfer acts on: the one named, the only
// one, or the held one when a consult call is talking.
func (b *Backend) transferCall(id string) (*ua.Call, error) {
	if id != "" || b.callCount() == 1 {
		return b.call(id)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for cid, c := range b.calls {
		if b.held[cid] {
			return c, nil
		}
	}
	return nil, errors.New("which call? give its id")
}

func (b *Backend) callCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.calls)
}

// consultFor finds another answered call to number.
func (b *Backend) consultFor(call *ua.Call, number string) *ua.Call {
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, c := range b.calls {
		if c == call || c.RemoteUser != number {
			continue
		}
		if _, answered := b.talked[id]; answered {
			return c
		}
	}
	return nil
}

// TransferProgress: the transferee's NOTIFYs. Progress (100 Trying, 180
// Ringing) is a call.transferring; success ends the call as transferred
// (and the consult call); failure is a call.transferring with the final
// status and a command.failed, and the call stays.
func (h handler) TransferProgress(c *ua.Call, code int, reason string, final bool) {
	b := h.b
	b.cfg.Logger.Info("sip: transfer progress", "call", c.ID, "code", code, "reason", reason)
	b.mu.Lock()
	tr, ok := b.transfers[c.ID]
	if final {
		delete(b.transfers, c.ID)
		if ok && code < 300 {
			b.transferred[c.ID] = true
		}
	}
	b.mu.Unlock()
	if !ok {
		return
	}
	if !final || code >= 300 {
		b.emit(session.CallTransferring{CallBase: session.CallBase{At: b.now(), CallID: c.ID}, To: tr.target.ID, Status: code, Reason: reason})
	}
	if !final {
		return
	}
	if code >= 300 {
		b.emit(session.CommandFailed{Base: session.Base{At: b.now()}, Command: string(session.VerbTransfer),
			Reason: fmt.Sprintf("transfer to %s failed: %s", tr.target.ID, reason2(code, reason))})
		return
	}
	ev := session.CallTransferred{CallBase: session.CallBase{At: b.now(), CallID: c.ID}}
	if tr.target.Kind == session.TargetAgent {
		ev.ToAgent = tr.target.ID
	} else {
		ev.ToNumber = tr.target.ID
	}
	b.emit(ev)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.Hangup(ctx)
		if tr.consult != nil {
			_ = tr.consult.Hangup(ctx)
		}
	}()
}

func reason2(code int, text string) string { return reason(code, text) }

// Replaced: an INVITE with Replaces takes over one of our calls (we were
// the target of an attended transfer). The new call rings and is answered
// at once; the old one ends.
func (h handler) Replaced(old, c *ua.Call) {
	b := h.b
	b.mu.Lock()
	b.calls[c.ID] = c
	b.mu.Unlock()
	b.cfg.Logger.Info("sip: call replaced", "old", old.ID, "new", c.ID)
	b.emit(session.CallRinging{CallBase: session.CallBase{At: b.now(), CallID: c.ID}, Direction: session.DirInbound, From: from(c), To: b.ucfg.User})
}

// Referred: the far end of old transfers us to target (a REFER); the UA
// is calling the target, which shows as a call we dial. The transferor
// ends old.
func (h handler) Referred(old, c *ua.Call, target string) {
	b := h.b
	b.mu.Lock()
	b.calls[c.ID] = c
	b.mu.Unlock()
	b.cfg.Logger.Info("sip: transferred by the far end", "call", old.ID, "new", c.ID, "to", target)
	b.emit(session.CallDialing{CallBase: session.CallBase{At: b.now(), CallID: c.ID}, To: target})
}
