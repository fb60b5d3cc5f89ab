package centre

import (
	"context"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/store"
)

// AliveEvery is how often the centre notes in its store that it is alive
// while calls are in progress: a call live at a crash is closed at the
// restart with its talk time up to the last such note.
const AliveEvery = time.Second

// closeLive runs before the engine takes work: the calls a crash (or a
// stop) left live become records ended by the system, and call ids go on
// from the newest one the store has seen.
func (s *Server) closeLive(ctx context.Context) error {
	closed, seq, err := s.store.CloseLiveCalls(ctx, acd.CallNumber)
	if err != nil {
		return err
	}
	s.eng.ResumeCallSeq(seq)
	for _, r := range closed {
		s.log.Warn("local: call live when the centre stopped, closed", "call", r.CallID, "talk", r.Talk, "disposition", r.Disposition)
	}
	return nil
}

// touchesCalls reports whether outs started, changed or ended a call.
func touchesCalls(outs []acd.Output) bool {
	for _, o := range outs {
		if o.Record != nil || o.Media != nil {
			return true
		}
		if _, ok := o.Event.(session.CallEvent); ok {
			return true
		}
	}
	return false
}

// storeLive writes the calls in progress to the store when outs touched
// one. Loop only.
func (s *Server) storeLive(outs []acd.Output) {
	if !touchesCalls(outs) {
		return
	}
	now := s.clock.Now()
	live := s.eng.LiveCalls(now)
	recs := make([]store.CallRecord, len(live))
	for i, r := range live {
		recs[i] = store.CallRecord{CallID: r.CallID, Segment: r.Segment, From: r.From, To: r.To, Group: r.Group,
			Agent: r.Agent, Queued: r.Queued, Answered: r.Answered, Wait: r.Wait, Talk: r.Talk}
	}
	s.live0 = len(recs) > 0
	if err := s.store.PutLiveCalls(s.ctx, recs, s.eng.CallSeq(), now); err != nil {
		s.log.Error("local: live calls not stored", "err", err)
	}
}

// heartbeat notes the centre alive every AliveEvery while calls are live,
// until the server closes.
func (s *Server) heartbeat() {
	defer s.loopWG.Done()
	t := time.NewTicker(AliveEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_ = s.do(s.ctx, func() {
				if s.live0 {
					if err := s.store.Alive(s.ctx, s.clock.Now()); err != nil {
						s.log.Warn("local: alive note", "err", err)
					}
				}
			})
		case <-s.ctx.Done():
			return
		}
	}
}
