package centre

import (
	"context"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

// SimCall places a call from a simulated caller (no connection) to group;
// sink receives the caller's events on the engine goroutine and must not
// block. It returns the caller's party id, for SimLeave.
func (s *Server) SimCall(ctx context.Context, from, group string, sink func(session.Event)) (string, error) {
	var id string
	var err error
	derr := s.do(ctx, func() {
		var outs []acd.Output
		id, outs, err = s.eng.SimCall(s.clock.Now(), from, group)
		if err == nil {
			s.sims[id] = sink
			s.deliver(outs)
		}
	})
	if derr != nil {
		return "", derr // f may still run: its results are not ours to read
	}
	return id, err
}

// SimLeave hangs a simulated caller up.
func (s *Server) SimLeave(ctx context.Context, id string) error {
	var err error
	derr := s.do(ctx, func() {
		var outs []acd.Output
		outs, err = s.eng.Do(s.clock.Now(), id, session.Command{Verb: session.VerbLeave})
		s.deliver(outs)
	})
	if derr != nil {
		return derr
	}
	return err
}

// HangupExternal ends a call from its external (dialled number) side.
func (s *Server) HangupExternal(ctx context.Context, callID string) error {
	return s.do(ctx, func() { s.deliver(s.eng.HangupExternal(s.clock.Now(), callID)) })
}
