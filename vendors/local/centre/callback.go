package centre

import (
	"context"

	"github.com/agentty/agentty/session"
)

// SimCallback turns a simulated caller's queued call into a callback to
// its number (the demo's callers who would rather not wait): the caller
// hangs up, the call keeps its place, and the agent who answers it has
// the number dialled.
func (s *Server) SimCallback(ctx context.Context, id string) error {
	var err error
	derr := s.do(ctx, func() {
		outs, e := s.eng.Do(s.clock.Now(), id, session.Command{Verb: session.VerbCallback})
		err = e
		s.deliver(outs)
	})
	if derr != nil {
		return derr
	}
	return err
}
