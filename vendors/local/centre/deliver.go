package centre

import (
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/proto"
	"github.com/agentty/agentty/vendors/local/store"
)

// deliver carries out engine outputs in order: records are committed before
// the events after them are sent.
func (s *Server) deliver(outs []acd.Output) {
	var hist []store.AgentState
	for _, o := range outs {
		switch {
		case o.Record != nil:
			r := o.Record
			err := s.store.AddCall(s.ctx, store.CallRecord{CallID: r.CallID, Segment: r.Segment, From: r.From, To: r.To,
				Group: r.Group, Agent: r.Agent, Queued: r.Queued, Answered: r.Answered, Ended: r.Ended,
				Wait: r.Wait, Talk: r.Talk, EndedBy: string(r.EndedBy), Disposition: r.Disposition, Note: r.Note, Channel: r.Channel})
			if err != nil {
				s.log.Error("local: call record lost", "call", r.CallID, "err", err)
			}
		case o.Code != nil:
			k := o.Code
			if err := s.store.SetCallCode(s.ctx, k.CallID, k.Segment, k.Agent, k.Code, k.Note, k.At); err != nil {
				s.log.Error("local: disposition code lost", "call", k.CallID, "err", err)
			}
		case o.History != nil:
			h := o.History
			hist = append(hist, store.AgentState{User: h.Agent, State: h.State, Reason: h.Reason, At: h.At})
		case o.Media != nil:
			s.media.Op(*o.Media)
		case o.Trunk != nil:
			s.trunkOp(*o.Trunk)
		case o.Decision != nil:
			if s.cfg.Journal != nil {
				s.cfg.Journal.Line(o.Decision)
			}
		case o.Event != nil:
			if s.cfg.Journal != nil {
				s.cfg.Journal.Event(o.To, o.Event)
			}
			s.send(o.To, o.Event)
		}
	}
	if err := s.store.AddStates(s.ctx, hist); err != nil {
		s.log.Warn("local: agent state history", "err", err)
	}
	s.storeLive(outs)
}

// send numbers an event for user, keeps it for resuming, and queues it on
// the user's connection. Loop only.
func (s *Server) send(user string, e session.Event) {
	if sink, ok := s.sims[user]; ok {
		if sink != nil {
			sink(e)
		}
		switch e.(type) {
		case session.CallEnded, session.CallFailed: // a simulated caller has one call
			delete(s.sims, user)
		}
		return
	}
	us := s.users[user]
	if us == nil {
		us = &userSession{}
		s.users[user] = us
	}
	us.seq++
	frame, err := proto.EncodeEvent(us.seq, e)
	if err != nil {
		s.log.Error("local: encode event", "err", err)
		return
	}
	if !snapshot(e) {
		if len(us.backlog) >= s.cfg.Backlog {
			us.backlog = append(us.backlog[:0], us.backlog[1:]...)
		}
		us.backlog = append(us.backlog, backlogItem{us.seq, frame})
	}
	if us.conn != nil {
		us.conn.queue(frame)
	}
}

type userSignal struct {
	user  string
	sig   proto.Signal
	event session.Event // a media layer's call event instead of sig (mediawatch.go)
}

// sendSignal queues a media signal for user's connection; safe from any
// goroutine, the loop included, and never blocks. The loop sends it only if
// the call is still in progress with user in it: a media offer never
// arrives after its call ended.
func (s *Server) sendSignal(user string, sig proto.Signal) {
	s.queueSignal(userSignal{user: user, sig: sig})
}

func (s *Server) queueSignal(us userSignal) {
	s.sigMu.Lock()
	s.sigQ = append(s.sigQ, us)
	s.sigMu.Unlock()
	select {
	case s.sigWake <- struct{}{}:
	default:
	}
}

// flushSignals sends the queued media signals of live calls. Loop only.
func (s *Server) flushSignals() {
	s.sigMu.Lock()
	q := s.sigQ
	s.sigQ = nil
	s.sigMu.Unlock()
	for _, us := range q {
		if !s.eng.HasLeg(us.user, us.sig.CallID) {
			s.log.Debug("local: media signal for an ended call dropped", "user", us.user, "call", us.sig.CallID, "kind", us.sig.Kind)
			continue
		}
		if us.event != nil {
			s.send(us.user, s.knownAs(us.user, us.event)) // by the id the user knows the call by
			continue
		}
		s.mu.Lock()
		c := s.live[us.user]
		s.mu.Unlock()
		if c != nil {
			c.queue(proto.Encode(proto.Frame{T: proto.KindSignal, Signal: &us.sig}))
		}
	}
}

// setLive records user's current connection (nil: none) for sendSignal.
func (s *Server) setLive(user string, c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c == nil {
		delete(s.live, user)
		return
	}
	s.live[user] = c
}
