package acd

import (
	"slices"
	"strings"
	"time"

	"github.com/agentty/agentty/session"
)

// disposition records the wrap-up's disposition code (and note) for the
// call segment p wraps up: a CodeRecord for the store, agent.disposition
// for p. Only in wrap-up; when the group lists codes, code must be one.
// Choosing again replaces the code.
func (e *Engine) disposition(now time.Time, p *party, code, note string) error {
	if p.state != session.AgentWrapUp || p.wrap == nil {
		return refuse(CodeRefused, "disposition: not in wrap-up (you are %s)", p.state)
	}
	if code == "" {
		return refuse(CodeRefused, "disposition: which code?")
	}
	if gc := e.wrapFor(p); len(gc.Codes) > 0 && !slices.Contains(gc.Codes, code) {
		return refuse(CodeRefused, "disposition: %q is not a code of %s (codes: %s)", code, gc.ID, strings.Join(gc.Codes, ", "))
	}
	p.wrap.code = code
	seg := p.wrap.seg
	e.out = append(e.out, Output{Code: &CodeRecord{CallID: seg.callID, Segment: seg.segment, Agent: p.id, Code: code, Note: note, At: now}})
	e.emit(p, session.AgentDisposition{Base: base(now), CallID: seg.callID, Code: code, Note: note})
	return nil
}
