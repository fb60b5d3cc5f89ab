package local

import (
	"time"

	"github.com/agentty/agentty/session"
)

// farQuality folds the centre's call.quality of a plain RTP leg the
// console hears (a SIP caller's leg beyond the centre: media.RTPQuality)
// into the phone's own call.quality for the call (the console's leg to
// the centre), so that the console shows one figure per call for the
// whole path, the worse of the two: the higher loss and jitter, the
// round trips added (the path runs through both), the lower MOS. A far
// figure older than farStale is dropped. Owned by MediaClient.forward.
type farQuality map[string]farFigure

type farFigure struct {
	q  session.Quality
	at time.Time
}

// farStale is how old the centre's last figure for a call may be (three
// of its two-second reports) and still count.
const farStale = 6 * time.Second

// keep takes the centre's figure for a call.
func (f farQuality) keep(e session.CallQuality) { f[e.CallID] = farFigure{q: e.Quality, at: e.At} }

// end forgets a call.
func (f farQuality) end(id string) { delete(f, id) }

// merge returns the phone's figure with the centre's folded in.
func (f farQuality) merge(e session.CallQuality) session.CallQuality {
	far, ok := f[e.CallID]
	if !ok || e.At.Sub(far.at) > farStale || far.at.Sub(e.At) > farStale {
		return e
	}
	q := &e.Quality
	q.LossPct = max(q.LossPct, far.q.LossPct)
	q.JitterMS = max(q.JitterMS, far.q.JitterMS)
	q.RTTMS += far.q.RTTMS
	if far.q.MOS > 0 && (q.MOS == 0 || far.q.MOS < q.MOS) {
		q.MOS = far.q.MOS
	}
	return e
}
