package acd

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// LiveCalls returns a record of every call in progress as it stands at now
// (Ended is now, Talk the talk time so far, EndedBy and Disposition empty),
// ordered by call id: the centre stores them as calls start and change, so
// that a crash leaves a trace of them (see store.PutLiveCalls).
func (e *Engine) LiveCalls(now time.Time) []Record {
	out := make([]Record, 0, len(e.calls))
	for _, c := range e.calls {
		if c.a == nil {
			continue
		}
		out = append(out, *e.buildRecord(now, c, "", "", talkTime(c, now)))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CallID < out[j].CallID })
	return out
}

// CallSeq returns the number of the newest call id handed out ("c7" is 7).
func (e *Engine) CallSeq() uint64 { return e.nextID }

// ResumeCallSeq makes the next call id follow n, so that ids stay unique
// across restarts of the centre on one store. It never goes back.
func (e *Engine) ResumeCallSeq(n uint64) { e.nextID = max(e.nextID, n) }

// CallNumber returns n of a call id "cN" or "cN.L", or 0.
func CallNumber(id string) uint64 {
	if !strings.HasPrefix(id, "c") {
		return 0
	}
	id = id[1:]
	if i := strings.IndexByte(id, '.'); i >= 0 {
		id = id[:i]
	}
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// HasLeg reports whether callID ("cN" or the "cN.L" user knows it by) is a
// call in progress that user takes part in: as a side, a ringing agent or a
// supervisor monitoring it. The centre signals media only for such calls.
func (e *Engine) HasLeg(user, callID string) bool {
	base, _, _ := strings.Cut(callID, ".")
	c := e.calls[base]
	p := e.parties[user]
	if p != nil && joinedCall(p, callID) != nil {
		return true // a consultation joined into a call (consult.go)
	}
	if c == nil || p == nil || c.phase == phEnded {
		return false
	}
	if callID != base && c.idFor(p) != callID {
		return false
	}
	if _, ok := c.monitors[p]; ok || c.a == p || c.b == p || c.third == p {
		return true
	}
	for _, o := range c.offered {
		if o == p {
			return true
		}
	}
	return false
}
