package centre

import (
	"context"
	"time"
)

// Retention defaults: agent state history is kept DefaultStateRetention,
// and a user who left keeps a resume backlog for DefaultBacklogKeep (a
// client back later gets the snapshot instead of a replay).
const (
	DefaultStateRetention = 90 * 24 * time.Hour
	DefaultBacklogKeep    = 10 * time.Minute
	housekeepEvery        = time.Minute
)

// housekeeping prunes old state history and idle backlogs every minute
// until the server closes.
func (s *Server) housekeeping() {
	defer s.loopWG.Done()
	s.Housekeep()
	t := time.NewTicker(housekeepEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.Housekeep()
		case <-s.ctx.Done():
			return
		}
	}
}

// Housekeep deletes agent state rows older than StateRetention and drops
// the resume backlog of every user gone for longer than BacklogKeep (its
// sequence numbers stay, so a late resume is told it missed events, not
// that the centre restarted).
func (s *Server) Housekeep() {
	now := s.clock.Now()
	s.sweepRecordings(now)
	if n, err := s.store.PruneStates(s.ctx, now.Add(-s.cfg.StateRetention)); err != nil {
		s.log.Warn("local: prune agent states", "err", err)
	} else if n > 0 {
		s.log.Info("local: pruned agent states", "rows", n)
	}
	_ = s.do(context.Background(), func() {
		for _, us := range s.users {
			if us.conn == nil && !us.left.IsZero() && now.Sub(us.left) >= s.cfg.BacklogKeep {
				us.backlog = nil
			}
		}
	})
}
