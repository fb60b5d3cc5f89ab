package media

import (
	"time"

	"github.com/agentty/agentty/audio"
)

// recTap is what the mixer records each tick: the customer's legs in the
// left channel, the agent side's legs in the right.
type recTap struct {
	rec             *Recording
	callID          string
	customer, agent []*leg
}

// Record starts (on) or pauses (off) call callID's recording in
// Config.Recordings: one file per call, named after the call, kept across
// record off/on and across the legs joining and leaving (transfers,
// consultations). Config.OnRecording hears the outcome (from the relay's
// loop or a call's mixer goroutine). Safe from any goroutine.
func (s *Server) Record(callID string, on bool) { s.post(func() { s.record(callID, on) }) }

// record is Record on the loop (and the engine's MediaRecord). Loop only.
func (s *Server) record(callID string, on bool) {
	c := s.calls[callID]
	if c == nil {
		s.recorded(callID, "", false, errNoCall)
		return
	}
	switch {
	case on && c.rec == nil:
		if s.cfg.Recordings == "" {
			s.recorded(callID, "", false, errNoDir)
			return
		}
		r, err := StartRecording(s.cfg.Recordings, callID)
		if err != nil {
			s.recorded(callID, "", false, err)
			return
		}
		c.rec = r
	case on && c.rec.Err() != nil:
		s.recorded(callID, c.rec.Path(), false, c.rec.Err()) // ended by a write error: stays ended
		return
	case on:
		c.rec.Resume()
	case c.rec != nil:
		c.rec.Pause()
	default:
		return
	}
	s.recorded(callID, c.rec.Path(), on, nil)
	s.route(c)
}

type recErr string

func (e recErr) Error() string { return string(e) }

const (
	errNoCall recErr = "recording: no such call in the media relay"
	errNoDir  recErr = "recording: no recordings directory configured"
)

// recorded tells Config.OnRecording and the log.
func (s *Server) recorded(callID, path string, on bool, err error) {
	if err != nil && s.cfg.Logger != nil {
		s.cfg.Logger.Warn("call recording stopped", "call", callID, "file", path, "err", err)
	}
	if s.cfg.OnRecording != nil {
		s.cfg.OnRecording(callID, path, on, err)
	}
}

// recordTap is c's recording tap for the mix plan, marking the legs it
// needs decoded; nil while nothing records. Loop only.
func (s *Server) recordTap(c *call, decode map[*leg]bool) *recTap {
	if c.rec == nil || !c.rec.Active() {
		return nil
	}
	agent := c.agent()
	t := &recTap{rec: c.rec, callID: c.id}
	for p, l := range c.legs {
		if l.inCodec() == "" {
			continue
		}
		decode[l] = true
		if len(c.parties) > 0 && equalFold(p, c.parties[0]) && !equalFold(p, agent) {
			t.customer = append(t.customer, l)
		} else {
			t.agent = append(t.agent, l)
		}
	}
	return t
}

// closeRecording closes c's recording at the call's end. Loop only.
func (s *Server) closeRecording(c *call) {
	if c.rec == nil {
		return
	}
	path := c.rec.Path()
	failed := c.rec.Err() != nil
	if err := c.rec.Close(); err != nil && !failed {
		s.recorded(c.id, path, false, err)
	} else if !failed {
		s.recorded(c.id, path, false, nil)
	}
	c.rec = nil
}

// record writes this tick's frame of each side to the recording; a write
// error ends the recording (reported once), never the call. Mixer only.
func (m *mixer) record(t *recTap, srcs map[*leg]*source, tick uint64, now time.Time) {
	if t == nil || !t.rec.Active() {
		return
	}
	side := func(legs []*leg, buf []int16) []int16 {
		var heard [][]int16
		for _, l := range legs {
			src := srcs[l]
			if src == nil {
				src = &source{frame: make([]int16, len(buf))}
				srcs[l] = src
			}
			if src.tick != tick {
				src.tick = tick
				src.take(l, now)
			}
			heard = append(heard, src.frame)
		}
		if len(heard) == 0 {
			return nil
		}
		audio.Mix(buf, heard...)
		return buf
	}
	left := side(t.customer, make([]int16, audio.FrameSamples))
	right := side(t.agent, make([]int16, audio.FrameSamples))
	if err := t.rec.Write(left, right); err != nil {
		m.s.recorded(t.callID, t.rec.Path(), false, err)
	}
}
