package stream

import (
	"time"

	"github.com/agentty/agentty/audio/quality"
)

// Watch follows one call's received media for its owner's periodic
// reports (call.media lost and restored, connection.degraded): whichever
// transport carries the call, the same rules. Use from one goroutine (the
// owner's report loop); the zero value is ready.
type Watch struct {
	lost, degraded bool
}

// Silent reports whether q's stream has been silent for at least limit
// at now (counting from started when no packet ever came), and whether
// that changed since the last call. A call whose far end holds without
// sending is silent on purpose: do not ask during a hold.
func (w *Watch) Silent(q *quality.Monitor, started, now time.Time, limit time.Duration) (lost, changed bool) {
	last := q.LastArrival()
	if last.Before(started) {
		last = started
	}
	lost = now.Sub(last) >= limit
	changed = lost != w.lost
	w.lost = lost
	return lost, changed
}

// Lost reports the last verdict of Silent.
func (w *Watch) Lost() bool { return w.lost }

// Degraded records r's verdict and reports whether the call has just
// become degraded or just recovered (each to be said once, not at every
// report).
func (w *Watch) Degraded(r QualityReport) (became, recovered bool) {
	became, recovered = r.Degraded && !w.degraded, !r.Degraded && w.degraded
	w.degraded = r.Degraded
	return became, recovered
}
