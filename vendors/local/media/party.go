package media

import (
	"sync"

	"github.com/agentty/agentty/vendors/local/proto"
)

// Party is the phone of a party with no connection of its own, run by
// whoever owns the relay (the demo's simulated callers and dialled
// numbers: package sim). The relay hands it the party's signals, tells it
// when one of its legs ends, and closes it when its last leg is gone. The
// relay knows nothing else of it.
type Party interface {
	HandleSignal(proto.Signal)
	End(callID string)
	Close() error
}

// PartyOpener returns the Party that answers for party, or nil when the
// party has a connection of its own (its signals go to the send given to
// Start). send delivers the Party's signals back to the relay; it does not
// block. Called on the relay's loop when a leg is made for a party that
// has no open Party; it must not block for long.
type PartyOpener func(party string, send func(proto.Signal)) (Party, error)

// openParty is one opened Party and how many legs it has. Loop only.
type openParty struct {
	p    Party
	legs int
}

// close closes the party on a goroutine the server owns (a phone's Close
// may wait for work that is posting to the relay's loop).
func (op *openParty) close(wg *sync.WaitGroup) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		op.p.Close()
	}()
}

// partyFor opens party's Party if the opener has one for it and it is not
// open yet. Loop only.
func (s *Server) partyFor(party string) error {
	if s.cfg.Parties == nil || s.parties[party] != nil {
		return nil
	}
	p, err := s.cfg.Parties(party, func(sig proto.Signal) { s.Signal(party, sig) })
	if err != nil || p == nil {
		return err
	}
	s.parties[party] = &openParty{p: p}
	return nil
}

// owned reports whether party is answered by an opened Party (it has no
// console to tell anything). Loop only.
func (s *Server) owned(party string) bool { return s.parties[party] != nil }
