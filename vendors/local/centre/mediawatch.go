package centre

import (
	"fmt"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/proto"
)

// MediaWatcher is a Media that watches its legs for silence: it reports
// call.media lost when no packet has reached the centre on a leg for a
// few seconds, and call.media restored when packets flow again, to each
// user whose call it concerns. The centre hands it its way to send events
// at start; report may be called from any goroutine and never blocks.
type MediaWatcher interface {
	WatchMedia(report func(user string, e session.Event))
}

// sendMediaEvent queues a media layer's call event (call.media, or
// call.quality of a plain RTP leg the user hears) for user; safe from any
// goroutine and never blocks. Like a signal, the loop sends it only while
// the call is in progress with user in it.
func (s *Server) sendMediaEvent(user string, e session.Event) {
	var id string
	switch e := e.(type) {
	case session.CallMedia:
		id = e.CallID
	case session.CallQuality:
		id = e.CallID
	default:
		s.log.Warn("local: media event not sent", "user", user, "event", fmt.Sprintf("%T", e))
		return
	}
	s.queueSignal(userSignal{user: user, sig: proto.Signal{CallID: id}, event: e})
}

// knownAs renames a media layer's call event to the id user knows the
// call by. Loop only.
func (s *Server) knownAs(user string, e session.Event) session.Event {
	switch e := e.(type) {
	case session.CallMedia:
		e.CallID = s.eng.KnownID(user, e.CallID)
		return e
	case session.CallQuality:
		e.CallID = s.eng.KnownID(user, e.CallID)
		return e
	}
	return e
}
