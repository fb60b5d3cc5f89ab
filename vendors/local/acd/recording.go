package acd

import (
	"fmt"
	"time"

	"github.com/agentty/agentty/session"
)

// RecordMode is a group's recording policy.
type RecordMode string

// Recording policies. The zero value is on-demand.
const (
	RecordOnDemand RecordMode = "on-demand" // record on|off by the agent or a supervisor (default)
	RecordAlways   RecordMode = "always"    // every call from its answer; record off is refused
	RecordNever    RecordMode = "never"     // record on is refused
)

// Valid reports whether m is a known mode ("" is on-demand).
func (m RecordMode) Valid() bool {
	return m == "" || m == RecordOnDemand || m == RecordAlways || m == RecordNever
}

// ParseRecordMode reads always, on-demand or never.
func ParseRecordMode(s string) (RecordMode, error) {
	m := RecordMode(s)
	if s == "" || !m.Valid() {
		return "", fmt.Errorf("acd: record %q: want always, on-demand or never", s)
	}
	return m, nil
}

// recState is what the engine knows of a call's recording. The media layer
// keeps one file per call id, so a recording spans transfers and anyone
// joining the call.
type recState struct {
	want  bool            // asked for (policy or record on), not yet off
	on    bool            // the media layer says it writes
	file  string          // the file, once known
	err   string          // why it stopped on its own
	told  map[string]bool // party/call id pairs shown the REC mark (a party meeting the call again has a fresh id)
	start bool            // the group's always policy was applied
}

// recordCmd is record on|off: on the party's answered call, or for a
// supervisor on agent's.
func (e *Engine) recordCmd(now time.Time, p *party, cmd session.Command) error {
	on := cmd.Record == "on"
	if !on && cmd.Record != "off" {
		return refuse(CodeRefused, "record: on or off")
	}
	var c *call
	if cmd.Agent != "" && cmd.Agent != p.id {
		if p.role != session.RoleSupervisor {
			return refuse(CodeForbidden, "record: only a supervisor records another agent's call")
		}
		a := e.parties[cmd.Agent]
		if a == nil || !a.isAgent() {
			return refuse(CodeNotFound, "record: no agent %q", cmd.Agent)
		}
		if c = agentCall(a); c == nil {
			return refuse(CodeRefused, "record: %s is not on a call", a.id)
		}
	} else if c = agentCall(p); c == nil {
		for _, x := range p.calls { // a supervisor listening, whispering or barging
			if _, ok := x.monitors[p]; ok && (x.phase == phTalking || x.phase == phHeld) {
				c = x
			}
		}
		if c == nil {
			return refuse(CodeRefused, "record: there is no answered call to record")
		}
	}
	mode := e.recordMode(c)
	switch {
	case on && mode == RecordNever:
		return refuse(CodeRefused, "record: group %s never records calls", c.group.cfg.ID)
	case !on && mode == RecordAlways:
		return refuse(CodeRefused, "record: group %s records every call", c.group.cfg.ID)
	}
	c.rec.want = on
	e.media(MediaOp{Kind: MediaRecord, CallID: c.id, Party: p.id, Record: on})
	return nil
}

// recordMode is the policy of c's group (on-demand without one).
func (e *Engine) recordMode(c *call) RecordMode {
	if c.group == nil || c.group.cfg.Record == "" {
		return RecordOnDemand
	}
	return c.group.cfg.Record
}

// connected runs whenever a call's legs connect (an answer, a transfer's
// new agent, an intercept, a consultation) or a supervisor starts
// monitoring: the group's always policy starts the recording at the
// first connect, and whoever joined a recording call gets the REC mark.
func (e *Engine) connected(op MediaOp) {
	c := e.calls[op.CallID]
	if c == nil {
		return
	}
	if op.Kind == MediaConnected && !c.rec.start && e.recordMode(c) == RecordAlways {
		c.rec.start, c.rec.want = true, true
		e.out = append(e.out, Output{Media: &MediaOp{Kind: MediaRecord, CallID: c.id, Record: true}})
	}
	if c.rec.on {
		e.recMark(e.lastAt(), c)
	}
}

// lastAt is the time of the newest event queued, the moment the engine is
// handling (the zero time when none).
func (e *Engine) lastAt() time.Time {
	for i := len(e.out) - 1; i >= 0; i-- {
		if e.out[i].Event != nil {
			return e.out[i].Event.Time()
		}
	}
	return time.Time{}
}

// recMark sends c's recording state to every party of c not told yet.
func (e *Engine) recMark(now time.Time, c *call) {
	if c.rec.told == nil {
		c.rec.told = map[string]bool{}
	}
	ev := session.CallRecording{CallBase: cbase(now, c), On: c.rec.on, File: c.rec.file, Error: c.rec.err}
	for _, p := range recParties(c) {
		if k := p.id + "/" + c.idFor(p); !c.rec.told[k] {
			c.rec.told[k] = true
			e.emit(p, ev)
		}
	}
}

func recParties(c *call) []*party {
	var ps []*party
	for _, p := range []*party{c.a, c.b} {
		if p != nil && !p.ext && (c.cb == nil || !c.cb.ringing || p != c.a) {
			ps = append(ps, p)
		}
	}
	for s := range c.monitors {
		ps = append(ps, s)
	}
	return ps
}

// RecordingChanged is the media layer's word on callID's recording: it
// writes to file (on), or stopped, on its own when errText says why (a
// full disk: the call goes on unrecorded). Every party of the call gets
// call.recording, the REC mark.
func (e *Engine) RecordingChanged(now time.Time, callID, file string, on bool, errText string) []Output {
	c := e.calls[callID]
	if c == nil {
		return nil
	}
	if c.rec.on == on && c.rec.err == errText && c.rec.file == file {
		return nil
	}
	c.rec.on, c.rec.err = on, errText
	if file != "" {
		c.rec.file = file
	}
	if errText != "" {
		c.rec.want = false
	}
	c.rec.told = nil
	e.recMark(now, c)
	return e.flush()
}
