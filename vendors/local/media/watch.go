package media

import (
	"time"

	"github.com/agentty/agentty/session"
)

// Silent media. A phone notices when nothing reaches it, but the centre
// is the only one that knows when nothing reaches the centre: a party
// whose uplink died (a dead Wi-Fi link, a centre restart on the far side
// of a NAT) leaves the other party listening to the mixer's concealment,
// or to nothing, while its own phone may still hear the centre fine. The
// relay therefore watches every leg: when no RTP has arrived on a leg for
// Config.MediaSilence (counting from the party's answer to the centre's
// offer when none ever came), every console in the call (the silent
// party, the parties and supervisors who hear it) gets call.media lost,
// and call.media restored
// when packets flow again. A call on hold is not watched: the held
// party's silence is on purpose; nor is a leg whose party never answered
// the offer: a console that runs without media (signalling only) never
// does, and no audio is what it asked for. Plain RTP legs (a SIP caller)
// are watched as any other, from the moment their call names them; their
// parties have no console, so only those who hear them are told.

// DefaultMediaSilence is Config.MediaSilence's default, the phone's too.
const DefaultMediaSilence = 3 * time.Second

// WatchMedia gives the relay the way to report a call's media state to a
// user (centre.MediaWatcher): report gets session.CallMedia events, from
// the relay's loop goroutine; it must not block.
func (s *Server) WatchMedia(report func(user string, e session.Event)) {
	s.sendMu.Lock()
	s.report = report
	s.sendMu.Unlock()
}

// watchEvery is how often the legs are checked for silence.
func (s *Server) watchEvery() time.Duration {
	return min(max(s.cfg.MediaSilence/4, 10*time.Millisecond), 500*time.Millisecond)
}

// watchLoop checks the legs for silence until the server closes. Owned
// by the server.
func (s *Server) watchLoop() {
	defer s.wg.Done()
	t := time.NewTicker(s.watchEvery())
	defer t.Stop()
	q := time.NewTicker(QualityEvery)
	defer q.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			s.post(func() { s.checkSilence(time.Now()) })
		case <-q.C:
			s.post(func() { s.reportRTPQuality(time.Now()) }) // rtpquality.go
		}
	}
}

// checkSilence updates every leg's silence and reports each console whose
// view of its call changed. Loop only.
func (s *Server) checkSilence(now time.Time) {
	s.sendMu.RLock()
	report := s.report
	s.sendMu.RUnlock()
	for _, c := range s.calls {
		for _, l := range c.legs {
			if !l.answered {
				continue // a console without media (signalling only) never answers
			}
			if c.held != "" || !l.rtpReceiving() {
				// Silent on purpose (a hold, or a plain RTP leg whose far
				// end holds it inactive); counted afresh after.
				l.watchFrom, l.silent = now, false
				continue
			}
			from := l.watchFrom
			if at := l.lastRx.Load(); at != 0 && time.Unix(0, at).After(from) {
				from = time.Unix(0, at)
			}
			l.silent = now.Sub(from) >= s.cfg.MediaSilence
		}
		s.reportCall(c, now, report)
	}
}

// reportCall tells each console of c whether its media is lost: its own
// leg is silent, or a leg it hears is. Loop only.
func (s *Server) reportCall(c *call, now time.Time, report func(string, session.Event)) {
	if c.mediaLost == nil {
		c.mediaLost = map[string]bool{}
	}
	for p := range c.mediaLost {
		if c.legs[p] == nil {
			delete(c.mediaLost, p)
		}
	}
	for p, l := range c.legs {
		if l.rtp != nil || s.owned(p) {
			continue // no console to tell: a SIP caller's leg, an opened Party
		}
		lost := l.silent
		from, _ := c.hears(p)
		for _, f := range from {
			if fl := c.legs[f]; fl != nil && fl.silent {
				lost = true
			}
		}
		if lost == c.mediaLost[p] {
			continue
		}
		c.mediaLost[p] = lost
		st := session.MediaRestored
		if lost {
			st = session.MediaLost
		}
		s.cfg.Logger.Info("media: call media "+string(st), "call", c.id, "user", p)
		if report != nil {
			report(p, session.CallMedia{CallBase: session.CallBase{At: now, CallID: c.id}, State: st})
		}
	}
}
