package acd

import (
	"strconv"
	"time"

	"github.com/agentty/agentty/session"
)

// TrunkCall places a call that came in on a trunk (channel "sip": the
// centre's SIP trunk) to group, exactly as a kiosk's call: the same queue,
// position and wait estimate, and a record whose From is the caller's
// number and whose Channel is channel. The caller is a server-side party
// with no connection, as a simulated caller; its events are addressed to
// the returned party id (channel:N) and it is removed when its call ends.
func (e *Engine) TrunkCall(now time.Time, channel, from, group string) (id string, out []Output, err error) {
	e.simN++
	id = channel + ":" + strconv.FormatUint(e.simN, 10)
	p := &party{id: id, name: from, role: session.RoleKiosk, sim: true, online: true, channel: channel}
	e.parties[id] = p
	if err := e.place(now, p, group); err != nil {
		delete(e.parties, id)
		e.out = e.out[:0]
		return "", nil, err
	}
	return id, e.flush(), nil
}

// EndTrunk ends the call of trunk party id, which the centre refused (no
// agents: the caller got busy), with disposition disp and the system as
// the one who ended it. Nothing happens when id has no call.
func (e *Engine) EndTrunk(now time.Time, id, disp string) []Output {
	p := e.parties[id]
	if p == nil || len(p.calls) == 0 {
		return nil
	}
	e.endCall(now, p.calls[0], session.BySystem, disp, "")
	return e.flush()
}

// channelName is how a caller reached the centre, for its record.
func (p *party) channelName() string {
	switch {
	case p.channel != "":
		return p.channel
	case p.ext:
		return "number"
	case p.sim && p.role == session.RoleKiosk:
		return "sim"
	case p.role == session.RoleKiosk:
		return "kiosk"
	}
	return ""
}

// TrunkDTMF passes digits a trunk caller sent (RFC 4733 on its RTP leg) to
// the agent it talks to as call.dtmf, as an agent's dtmf verb does. A
// kiosk may not send digits; a trunk caller may.
func (e *Engine) TrunkDTMF(now time.Time, id, digits string) ([]Output, error) {
	p := e.parties[id]
	if p == nil || p.channel == "" {
		return nil, refuse(CodeNotFound, "dtmf: no trunk caller %q", id)
	}
	if err := e.dtmf(now, p, digits); err != nil {
		e.out = e.out[:0]
		return nil, err
	}
	return e.flush(), nil
}

// Trunk operations (Config.TrunkOut).
const (
	TrunkDial   = "dial"   // place a call to Number through the trunk for CallID
	TrunkHangup = "hangup" // CallID ended on the centre's side: hang the trunk's leg up
)

// TrunkOp asks the SIP trunk to dial a number out, or to hang it up.
type TrunkOp struct {
	Kind   string
	CallID string
	Number string // the far end's party id: its media leg is "ext:"+Number
	Agent  string // who dialled
}

// trunkHangup tells the trunk a call with an external leg ended.
func (e *Engine) trunkHangup(c *call) {
	if e.cfg.TrunkOut && c.b != nil && c.b.ext {
		e.out = append(e.out, Output{Trunk: &TrunkOp{Kind: TrunkHangup, CallID: c.id, Number: c.b.id}})
	}
}

// ExtRinging: the far end of a number dialled out through the trunk is
// ringing (SIP 180/183). The agent who dialled sees call.ringing,
// direction outbound, on the dialling call: once, however many
// provisional responses come. A trunk caller transferred to the number
// hears nothing of it.
func (e *Engine) ExtRinging(now time.Time, callID string) []Output {
	if c, ok := e.calls[callID]; ok && c.b != nil && c.b.ext && c.phase == phDialing && !c.farRinging {
		c.farRinging = true
		if c.a != nil && c.a.isAgent() {
			e.emit(c.a, session.CallRinging{CallBase: cbase(now, c), Direction: session.DirOutbound, To: c.b.name})
		}
	}
	return e.flush()
}

// ExtAnswered: the number dialled out through the trunk answered.
func (e *Engine) ExtAnswered(now time.Time, callID string) []Output {
	if c, ok := e.calls[callID]; ok && c.b != nil && c.b.ext && c.phase == phDialing {
		c.extGen++
		c.phase, c.answered = phTalking, now
		c.wait = now.Sub(c.segStart)
		e.emit(c.a, session.CallAnswered{CallBase: cbase(now, c)})
		e.media(MediaOp{Kind: MediaConnected, CallID: c.id, Legs: c.legs()})
		e.rosterChanged(now)
	}
	return e.flush()
}

// ExtFailed: the number dialled out could not be reached; reason is what
// call.failed says (busy, no such number, no answer, trunk refused auth).
func (e *Engine) ExtFailed(now time.Time, callID, reason string) []Output {
	if c, ok := e.calls[callID]; ok && c.b != nil && c.b.ext && c.answered.IsZero() {
		e.endCall(now, c, session.BySystem, "failed", reason)
	}
	return e.flush()
}

// FarHold: the far end of a call dialled out through the trunk put it on
// hold (held: a re-INVITE with sendonly or inactive) or took it off. The
// agent who dialled sees call.held / call.retrieved with remote set (the
// call panel's HELD BY FAR END); the call's phase does not change, and
// a trunk caller transferred to the number is told nothing.
func (e *Engine) FarHold(now time.Time, callID string, held bool) []Output {
	c, ok := e.calls[callID]
	if !ok || c.b == nil || !c.b.ext || c.a == nil || !c.a.isAgent() || (c.phase != phTalking && c.phase != phHeld) {
		return e.flush()
	}
	if held {
		e.emit(c.a, session.CallHeld{CallBase: cbase(now, c), Remote: true})
	} else {
		e.emit(c.a, session.CallRetrieved{CallBase: cbase(now, c), Remote: true})
	}
	return e.flush()
}
