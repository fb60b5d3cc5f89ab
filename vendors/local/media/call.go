package media

import (
	"errors"
	"slices"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

// call is what the media layer knows of one centre call. Loop only, except
// plan, which the mixer reads.
type call struct {
	id       string
	parties  []string // the call's two ends, as the engine lists them
	held     string   // the party that holds, "" when none
	monitors map[string]session.MonitorMode
	legs     map[string]*leg
	mix      *mixer     // running while some leg hears a mix
	rec      *Recording // the call's recording while one is open (record.go)
	aliases  []string   // ids of consultations joined into this call (join.go)
	// udpGroup is 1 + the shared sockets' group of the call's legs, 0
	// before its first leg (socket.go).
	udpGroup int
	// mediaLost is what each console was last told of the call's media
	// (watch.go).
	mediaLost map[string]bool
}

// apply carries out one engine instruction. Loop only.
func (s *Server) apply(op acd.MediaOp) {
	if op.Kind == acd.MediaRecord {
		s.record(op.CallID, op.Record) // record_tap.go
		return
	}
	c := s.calls[op.CallID]
	if c == nil {
		if op.Kind == acd.MediaEnded || op.Kind == acd.MediaDTMF || op.Kind == acd.MediaMute {
			return
		}
		c = &call{id: op.CallID, monitors: map[string]session.MonitorMode{}, legs: map[string]*leg{}}
		s.calls[op.CallID] = c
	}
	switch op.Kind {
	case acd.MediaConnected:
		c.parties = op.Legs
		if c.held == queueHold {
			c.held = "" // the caller left the queue (rtp.go)
		}
		for _, p := range op.Legs {
			delete(c.monitors, p) // an intercepting supervisor became a party
		}
	case acd.MediaHeld:
		c.parties, c.held = op.Legs, op.Party
	case acd.MediaRetrieved:
		c.parties, c.held = op.Legs, ""
	case acd.MediaJoin:
		s.join(c, op)
	case acd.MediaMonitor:
		c.parties = op.Legs
		if op.Mode == session.MonitorNone {
			delete(c.monitors, op.Party)
		} else {
			c.monitors[op.Party] = op.Mode
		}
	case acd.MediaEnded:
		for _, p := range op.Legs {
			s.dropLeg(c, p)
			c.parties = slices.DeleteFunc(c.parties, func(x string) bool { return x == p })
		}
		if len(c.parties) == 0 || len(op.Legs) > 1 {
			s.endCall(c)
			return
		}
	default: // dtmf travels as RFC 4733 from the client; mute is the client's
		return
	}
	s.reconcile(c)
}

// reconcile makes the legs match the call's parties and monitors, then
// recomputes who hears whom. Loop only.
func (s *Server) reconcile(c *call) {
	want := map[string]bool{}
	for _, p := range c.parties {
		want[p] = true
	}
	for p := range c.monitors {
		want[p] = true
	}
	for p := range c.legs {
		if !want[p] {
			s.dropLeg(c, p)
		}
	}
	for p := range want {
		if c.legs[p] == nil {
			if err := s.newLeg(c, p); err != nil {
				s.cfg.Logger.Warn("media: leg", "call", c.id, "party", p, "err", err)
			}
		}
	}
	s.route(c)
}

func (s *Server) endCall(c *call) {
	for p := range c.legs {
		s.dropLeg(c, p)
	}
	if c.mix != nil {
		c.mix.stop()
		c.mix = nil
	}
	s.closeRecording(c)
	delete(s.calls, c.id)
}

// close tears the call down outside the loop (Server.Close).
func (c *call) close() error {
	var err error
	if c.mix != nil {
		c.mix.stop()
	}
	for _, l := range c.legs {
		err = errors.Join(err, l.close())
	}
	return err
}

// agent guesses which party is the agent: the engine lists the caller
// first and the answering agent second.
func (c *call) agent() string {
	if len(c.parties) > 1 {
		return c.parties[1]
	}
	if len(c.parties) == 1 {
		return c.parties[0]
	}
	return ""
}

// hears says what listener hears: other legs, and music on hold.
//
//   - two parties hear each other; on hold, the holder hears nothing and
//     the other party hears music;
//   - listen: the supervisor hears both parties, nobody hears it;
//   - whisper: the supervisor hears both, only the agent hears it;
//   - barge: every one of the three hears the other two.
func (c *call) hears(listener string) (from []string, music bool) {
	party := slices.Contains(c.parties, listener)
	if c.held != "" {
		return nil, party && listener != c.held
	}
	if party {
		for _, p := range c.parties {
			if p != listener {
				from = append(from, p)
			}
		}
		for m, mode := range c.monitors {
			if mode == session.MonitorBarge || (mode == session.MonitorWhisper && listener == c.agent()) {
				from = append(from, m)
			}
		}
		return from, false
	}
	if mode, ok := c.monitors[listener]; ok && mode != session.MonitorNone {
		from = append(from, c.parties...)
		for m, mode := range c.monitors {
			if m != listener && mode == session.MonitorBarge {
				from = append(from, m)
			}
		}
	}
	return from, false
}

// route recomputes every leg's forwarding and the mix plan. A listener
// that hears exactly one leg with the same codec gets that leg's packets
// as they are; any other listener that hears something gets a mix. Loop
// only.
func (s *Server) route(c *call) {
	fwd := map[*leg][]*leg{}
	decode := map[*leg]bool{}
	var outs []mixOut
	for p, l := range c.legs {
		from, music := c.hears(p)
		var src []*leg
		for _, f := range from {
			if fl := c.legs[f]; fl != nil {
				src = append(src, fl)
			}
		}
		if slices.ContainsFunc(src, func(f *leg) bool { return f.inCodec() == "" }) {
			continue // a track has not arrived yet: routed again when it does
		}
		if !music && len(src) == 1 && sameCodec(src[0], l) {
			fwd[src[0]] = append(fwd[src[0]], l)
			continue
		}
		if !music && len(src) == 0 {
			continue
		}
		if l.outCodec() == "" {
			continue // not negotiated yet: routed again when it is
		}
		for _, f := range src {
			decode[f] = true
		}
		outs = append(outs, mixOut{to: l, from: src, music: music})
	}
	tap := s.recordTap(c, decode)
	fed := map[*leg]bool{}
	for _, ds := range fwd {
		for _, d := range ds {
			fed[d] = true
		}
	}
	for _, o := range outs {
		fed[o.to] = true
	}
	for _, l := range c.legs {
		l.route.Store(&route{fwd: fwd[l], decode: decode[l]})
		if !fed[l] {
			l.out.pause()
		}
	}
	switch {
	case (len(outs) > 0 || tap != nil) && c.mix == nil:
		c.mix = s.startMixer(c)
		c.mix.plan.Store(&plan{outs: outs, rec: tap})
	case len(outs) > 0 || tap != nil:
		c.mix.plan.Store(&plan{outs: outs, rec: tap})
	case c.mix != nil:
		c.mix.stop()
		c.mix = nil
	}
}

// sameCodec reports whether src's incoming codec is what dst sends.
func sameCodec(src, dst *leg) bool {
	in, out := src.inCodec(), dst.outCodec()
	return in != "" && equalFold(in, out)
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}
