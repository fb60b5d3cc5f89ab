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

// sendMediaEvent queues a media layer's call event for user; safe from
// any goroutine and never blocks. Like a signal, the loop sends it only
// while the call is in progress with user in it.
func (s *Server) sendMediaEvent(user string, e session.Event) {
	cm, ok := e.(session.CallMedia)
	if !ok {
		s.log.Warn("local: media event not sent", "user", user, "event", fmt.Sprintf("%T", e))
		return
	}
	s.queueSignal(userSignal{user: user, sig: proto.Signal{CallID: cm.CallID}, event: cm})
}
