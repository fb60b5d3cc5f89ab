package rtc

import (
	"time"
)

// The call's received media as its owner's periodic report sees it: lost
// when no packet came for a while (counting from the call's start, or
// from its retrieve), restored when packets flow again, degraded when the
// quality crosses the thresholds; a held call is silent on purpose. The
// owner asks from one goroutine (its report loop); the methods are safe
// from any goroutine all the same.

// SetHeld tells the call it is held (its far end sends nothing on purpose:
// no verdict of lost media however long the hold) or retrieved at now (the
// silence counts afresh from then).
func (c *Call) SetHeld(held bool, now time.Time) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.held && !held {
		c.started = now
	}
	c.held = held
}

// Started is when the call's silence clock started: its start, or its
// last retrieve.
func (c *Call) Started() time.Time {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.started
}

// MediaChange reports whether the call's received media has just been
// lost (no packet for limit at now) or restored: changed is true once per
// change, never while held.
func (c *Call) MediaChange(now time.Time, limit time.Duration) (lost, changed bool) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.held {
		return false, false
	}
	return c.watch.Silent(c.q, c.started, now, limit)
}

// Report returns the call's quality and whether it has just become
// degraded or recovered (each once); ok is false while the media is lost
// (no packets: no quality to report).
func (c *Call) Report() (r QualityReport, became, recovered, ok bool) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.watch.Lost() {
		return QualityReport{}, false, false, false
	}
	r = c.Quality()
	became, recovered = c.watch.Degraded(r)
	return r, became, recovered, true
}
