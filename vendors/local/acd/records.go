package acd

import (
	"strings"
	"time"

	"github.com/agentty/agentty/session"
)

func talkTime(c *call, now time.Time) time.Duration {
	if c.answered.IsZero() {
		return 0
	}
	d := now.Sub(c.answered) - c.heldTotal
	if c.phase == phHeld {
		d -= now.Sub(c.heldSince)
	}
	return max(d, 0)
}

func (e *Engine) record(now time.Time, c *call, by session.Party, disp string, talk time.Duration) {
	r := e.buildRecord(now, c, by, disp, talk)
	e.stats.Outcomes[disp]++
	e.out = append(e.out, Output{Record: r})
}

// buildRecord is the record of c's current segment as if it ended now.
func (e *Engine) buildRecord(now time.Time, c *call, by session.Party, disp string, talk time.Duration) *Record {
	if !e.endAt.IsZero() && e.endAt.Before(now) && !e.endAt.Before(c.segStart) {
		now, talk = e.endAt, min(talk, talkTime(c, e.endAt))
	}
	r := &Record{CallID: c.id, Segment: c.segment, Queued: c.segStart, Answered: c.answered,
		Ended: now, Talk: talk, EndedBy: by, Disposition: disp}
	if c.a != nil {
		r.From = c.a.display()
		r.Channel = c.a.channelName()
	}
	if r.Channel == "" && c.b != nil {
		r.Channel = c.b.channel // an agent's own call out through the trunk: sip
	}
	if c.cb != nil {
		r.From, r.Note = c.cb.number, "callback"
	}
	if c.group != nil {
		r.Group = c.group.cfg.ID
		r.To = c.group.cfg.ID
	}
	if c.b != nil {
		r.To = c.b.id
		if !c.b.ext {
			r.Agent = c.b.id
		}
	} else if len(c.offered) > 0 {
		r.Agent = c.offered[0].id
	}
	if c.a != nil && c.a.isAgent() && r.Agent == "" {
		r.Agent = c.a.id
	}
	if p := e.parties[r.Agent]; p != nil && r.Agent != "" {
		p.lastSeg = segRef{callID: c.id, segment: c.segment}
	}
	if !c.answered.IsZero() {
		r.Wait = c.wait
	} else {
		r.Wait = now.Sub(c.segStart)
	}
	return r
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// isNumber reports whether s looks like a phone number.
func isNumber(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')', r == '.':
		default:
			return false
		}
	}
	return digits > 0
}

// unavailable numbers fail when dialled: "0" and anything starting "000",
// so tests and demos can see a failure.
func unavailable(n string) bool { return n == "0" || strings.HasPrefix(n, "000") }
