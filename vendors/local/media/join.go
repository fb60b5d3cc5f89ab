package media

import (
	"slices"

	"github.com/agentty/agentty/vendors/local/acd"
)

// join carries out acd.MediaJoin: the consulted party's leg moves from the
// consultation into the held call c, as it is (no new offer: the party's
// console keeps its peer connection and knows the call by the
// consultation's id), and c's parties become op.Legs, unheld. Loop only.
func (s *Server) join(c *call, op acd.MediaOp) {
	if from := s.calls[op.From]; from != nil && from != c {
		if l := from.legs[op.Party]; l != nil {
			delete(from.legs, op.Party)
			if old := c.legs[op.Party]; old != nil && old != l {
				s.dropLeg(c, op.Party)
			}
			c.legs[op.Party] = l
			c.aliases = append(c.aliases, from.id)
		}
		from.parties = slices.DeleteFunc(from.parties, func(x string) bool { return x == op.Party })
		s.route(from)
	}
	c.parties, c.held = op.Legs, ""
}

// callFor returns the call known by id: its own, or one a moved leg still
// names (a consultation joined into it). Loop only.
func (s *Server) callFor(id string) *call {
	if c := s.calls[id]; c != nil {
		return c
	}
	for _, c := range s.calls {
		if slices.Contains(c.aliases, id) {
			return c
		}
	}
	return nil
}
