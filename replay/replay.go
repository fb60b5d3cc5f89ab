// Package replay plays a journal (package journal) back: it folds the
// events into each user's session.State with session.Apply, as the
// console did when they happened, and can step, seek and stop anywhere.
// It is pure: no clock, no I/O; the caller paces the playing.
//
// A session's journal has one user (lines without "to"); a centre's has
// every user, each line naming whom it was for. Lines this version does
// not know (another version's events, the centre's routing decisions) are
// kept in order and listed, never applied.
package replay

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/session"
)

// checkEvery is how many entries apart the seek checkpoints are.
const checkEvery = 4096

// Player replays one journal. Its zero value is not usable; call New.
type Player struct {
	entries []journal.Entry
	pos     int // entries[:pos] are applied
	states  map[string]session.State
	checks  []map[string]session.State // checks[k]: states after k*checkEvery entries
	unknown map[string]int
}

// New returns a player at the start of l's entries from..to (inclusive;
// a zero time is open), with every entry before from applied already, so
// the first screen is the state as it was at from.
func New(l *journal.Log, from, to time.Time) *Player {
	var before, in []journal.Entry
	for _, e := range l.Entries {
		switch {
		case !to.IsZero() && e.At.After(to):
		case !from.IsZero() && e.At.Before(from):
			before = append(before, e)
		default:
			in = append(in, e)
		}
	}
	p := &Player{states: map[string]session.State{}, unknown: map[string]int{}}
	p.entries = before
	for range before {
		p.apply(p.entries[p.pos])
		p.pos++
	}
	base := copyStates(p.states)
	p.entries, p.pos = in, 0
	p.checks = []map[string]session.State{base}
	for _, e := range in {
		if !e.Known() {
			p.unknown[e.Type]++
		}
	}
	return p
}

func copyStates(m map[string]session.State) map[string]session.State {
	c := make(map[string]session.State, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func (p *Player) apply(e journal.Entry) {
	if e.Event == nil {
		return
	}
	p.states[e.To] = session.Apply(p.states[e.To], e.Event)
}

// Len is the number of entries in the replayed span; Pos how many of them
// are applied.
func (p *Player) Len() int { return len(p.entries) }

// Pos returns how many entries are applied.
func (p *Player) Pos() int { return p.pos }

// Entry returns entry i of the span.
func (p *Player) Entry(i int) journal.Entry { return p.entries[i] }

// State returns user's state now ("" for a session's own journal).
func (p *Player) State(user string) session.State { return p.states[user] }

// Step applies the next entry and returns it; false at the end.
func (p *Player) Step() (journal.Entry, bool) {
	if p.pos >= len(p.entries) {
		return journal.Entry{}, false
	}
	e := p.entries[p.pos]
	p.apply(e)
	p.pos++
	if p.pos%checkEvery == 0 && p.pos/checkEvery == len(p.checks) {
		p.checks = append(p.checks, copyStates(p.states))
	}
	return e, true
}

// Seek moves to just after i entries are applied (0..Len), forward by
// stepping, backward from the nearest checkpoint.
func (p *Player) Seek(i int) {
	i = max(0, min(i, len(p.entries)))
	if i < p.pos {
		k := min(i/checkEvery, len(p.checks)-1)
		p.states, p.pos = copyStates(p.checks[k]), k*checkEvery
	}
	for p.pos < i {
		p.Step()
	}
}

// SeekTime moves to the first entry after t: every entry at or before t
// is applied.
func (p *Player) SeekTime(t time.Time) { p.Seek(p.IndexAfter(t)) }

// IndexAfter returns how many entries are at or before t.
func (p *Player) IndexAfter(t time.Time) int {
	return sort.Search(len(p.entries), func(i int) bool { return p.entries[i].At.After(t) })
}

// Now is the time of the last applied entry, or of the first entry when
// none is.
func (p *Player) Now() time.Time {
	switch {
	case p.pos > 0:
		return p.entries[p.pos-1].At
	case len(p.entries) > 0:
		return p.entries[0].At
	}
	return time.Time{}
}

// Span returns the times of the first and last entries.
func (p *Player) Span() (first, last time.Time) {
	if len(p.entries) == 0 {
		return
	}
	return p.entries[0].At, p.entries[len(p.entries)-1].At
}

// Unknown lists the types this version does not know, with how many lines
// of each, sorted: "acd.offer ×12".
func (p *Player) Unknown() []string {
	var out []string
	for t, n := range p.unknown {
		out = append(out, fmt.Sprintf("%s ×%d", t, n))
	}
	sort.Strings(out)
	return out
}

// UnknownLines is how many entries of the span have a type this version
// does not know.
func (p *Player) UnknownLines() int {
	n := 0
	for _, c := range p.unknown {
		n += c
	}
	return n
}

// Speed is a replay pace: how many seconds of the journal pass in one
// second; Max plays as fast as it can.
type Speed float64

// Max plays without waiting.
const Max Speed = 0

// ParseSpeed reads "1x", "10x", "0.5x" or "max".
func ParseSpeed(s string) (Speed, error) {
	if strings.EqualFold(s, "max") {
		return Max, nil
	}
	var f float64
	if _, err := fmt.Sscanf(strings.TrimSuffix(strings.ToLower(s), "x"), "%g", &f); err != nil || f <= 0 || f > 1e6 {
		return 0, fmt.Errorf("replay: speed %q: want 1x, 10x, 0.5x or max", s)
	}
	return Speed(f), nil
}

func (s Speed) String() string {
	if s == Max {
		return "max"
	}
	return fmt.Sprintf("%gx", float64(s))
}

// Wait returns how long to wait, at speed s, between entries at a and b.
func (s Speed) Wait(a, b time.Time) time.Duration {
	if s == Max || !b.After(a) {
		return 0
	}
	return time.Duration(float64(b.Sub(a)) / float64(s))
}

// ErrBadTime is wrapped by ParseTime's errors.
var ErrBadTime = errors.New("replay: bad time")

// ParseTime reads --from / --to: RFC 3339, or a clock time HH:MM[:SS] on
// the day (in day's zone) of the journal's first entry; "" is the zero time.
func ParseTime(s string, day time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		if c, err := time.Parse(layout, s); err == nil {
			y, m, d := day.Date()
			return time.Date(y, m, d, c.Hour(), c.Minute(), c.Second(), 0, day.Location()), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w %q: want RFC 3339 (2026-12-03T09:30:00Z) or a clock time (09:30)", ErrBadTime, s)
}
