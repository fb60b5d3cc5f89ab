package ui

import (
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/eventlog"
)

// The console shown read-only on a journal (agentty replay, ui/replayer):
// the replay sets the state and feeds the events instead of a backend.

// Restore returns m showing st as if the events that built it had just
// arrived, its clock at st.Now; the event pane starts empty. A replay
// seeking backward restores an earlier state this way.
func (m Model) Restore(st session.State) Model {
	m.st = st
	m.log = eventlog.New(m.log.Common)
	m.log.Self = st.User
	if m.opts.Queues == nil {
		m.queues = groupStats(st.Queues)
	}
	m.now = st.Now
	m.rosterDirty = true
	m.render()
	return m
}

// Feed applies evs as if they had come from the backend, the console's
// clock following their times, and redraws. Caller-ID lookups they would
// start are not made.
func (m Model) Feed(evs ...session.Event) Model {
	for _, e := range evs {
		m.apply(e)
		if t := e.Time(); t.After(m.now) {
			m.now = t
		}
	}
	m.logs = nil // a replay writes no log lines for the events it shows
	m.render()
	return m
}

// Resize sets the console's size and redraws.
func (m Model) Resize(w, h int) Model {
	m.w, m.h = w, h
	m.render()
	return m
}

// Frame returns the screen last drawn.
func (m Model) Frame() string { return m.frame }

// Clock returns the console's time.
func (m Model) Clock() time.Time { return m.now }
