package centre

import (
	"github.com/prometheus/client_golang/prometheus"

	"context"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

// TrunkCall places a call that came in on a trunk (channel "sip": the SIP
// trunk, package siptrunk) from the caller's number to group, as a kiosk's
// call. placed runs on the engine goroutine with the caller's party id
// before any output of the call goes out (attach the caller's media
// there); sink then receives the caller's events on the engine goroutine
// and must not block. It returns the caller's party id, for SimLeave (the
// caller hung up) and TrunkEnd.
func (s *Server) TrunkCall(ctx context.Context, channel, from, group string, placed func(id string), sink func(session.Event)) (string, error) {
	var id string
	var err error
	derr := s.do(ctx, func() {
		var outs []acd.Output
		id, outs, err = s.eng.TrunkCall(s.clock.Now(), channel, from, group)
		if err == nil {
			s.sims[id] = sink
			if placed != nil {
				placed(id)
			}
			s.deliver(outs)
		}
	})
	if derr != nil {
		return "", derr
	}
	return id, err
}

// TrunkEnd ends trunk party id's call with disposition disp (no_agents:
// the caller got busy), ended by the system.
func (s *Server) TrunkEnd(ctx context.Context, id, disp string) error {
	return s.do(ctx, func() { s.deliver(s.eng.EndTrunk(s.clock.Now(), id, disp)) })
}

// TrunkDTMF passes digits from trunk party id to the agent on its call
// (call.dtmf).
func (s *Server) TrunkDTMF(ctx context.Context, id, digits string) error {
	var err error
	if derr := s.do(ctx, func() {
		var outs []acd.Output
		outs, err = s.eng.TrunkDTMF(s.clock.Now(), id, digits)
		s.deliver(outs)
	}); derr != nil {
		return derr
	}
	return err
}

// RegisterCollector adds c to the centre's /metrics (the SIP trunk's
// counters).
func (s *Server) RegisterCollector(c prometheus.Collector) error {
	return s.metrics.reg.Register(c)
}

// SetTrunkOut installs the SIP trunk's dialler: with Engine.TrunkOut set,
// an agent's dial of a number reaches f (on the engine goroutine; f must
// not block) instead of a simulated far end, and so does the end of such
// a call. Call it before the first dial.
func (s *Server) SetTrunkOut(f func(acd.TrunkOp)) {
	_ = s.do(context.Background(), func() { s.trunkOut = f })
}

// trunkOp hands op to the trunk, or fails a dial when there is none.
// Loop only.
func (s *Server) trunkOp(op acd.TrunkOp) {
	if s.trunkOut != nil {
		s.trunkOut(op)
		return
	}
	if op.Kind == acd.TrunkDial {
		s.deliver(s.eng.ExtFailed(s.clock.Now(), op.CallID, "no trunk"))
	}
}

// ExtAnswered reports that a number dialled out through the trunk answered.
func (s *Server) ExtAnswered(ctx context.Context, callID string) error {
	return s.do(ctx, func() { s.deliver(s.eng.ExtAnswered(s.clock.Now(), callID)) })
}

// ExtFailed reports that a number dialled out could not be reached.
func (s *Server) ExtFailed(ctx context.Context, callID, reason string) error {
	return s.do(ctx, func() { s.deliver(s.eng.ExtFailed(s.clock.Now(), callID, reason)) })
}

// ExtRinging reports that the far end of a number dialled out through the
// trunk rings (180/183): the agent who dialled sees call.ringing,
// direction outbound.
func (s *Server) ExtRinging(ctx context.Context, callID string) error {
	return s.do(ctx, func() { s.deliver(s.eng.ExtRinging(s.clock.Now(), callID)) })
}

// FarHold reports that the far end of a number dialled out through the
// trunk put the call on hold (held) or took it off: the agent sees
// call.held / call.retrieved with remote set.
func (s *Server) FarHold(ctx context.Context, callID string, held bool) error {
	return s.do(ctx, func() { s.deliver(s.eng.FarHold(s.clock.Now(), callID, held)) })
}
