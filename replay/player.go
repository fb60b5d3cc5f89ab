package replay

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/session"
)

// Reset is the event a Player sends before it replays from the start
// again (a seek backwards): the console drops its state on it.
type Reset struct{ At time.Time }

// Type implements session.Event.
func (Reset) Type() session.EventType { return "replay.reset" }

// Time implements session.Event.
func (r Reset) Time() time.Time { return r.At }

// Unknown stands for a line of a type this version does not know (a newer
// version's event, a routing decision): the console lists it in its event
// log; the reducer ignores it.
type Unknown struct {
	At   time.Time
	Name string
}

// Type implements session.Event: the line's own type.
func (u Unknown) Type() session.EventType { return session.EventType(u.Name) }

// Time implements session.Event.
func (u Unknown) Time() time.Time { return u.At }

// Clock is the Player's time source; tests inject one.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type wallClock struct{}

func (wallClock) Now() time.Time                         { return time.Now() }
func (wallClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Player plays entries onto a channel of session events, paced by their
// own times at a speed. Its control methods are safe to call from any
// goroutine and never block.
type Player struct {
	es    []journal.Entry
	out   chan session.Event
	clock Clock
	wake  chan struct{}

	mu     sync.Mutex
	pos    int // entries sent so far
	paused bool
	speed  Speed
	target int // after a seek: send up to here at once
	reset  bool
}

// NewPlayer plays es at speed; clock nil is the wall clock.
func NewPlayer(es []journal.Entry, speed Speed, clock Clock) *Player {
	if clock == nil {
		clock = wallClock{}
	}
	return &Player{es: es, out: make(chan session.Event, 256), clock: clock, speed: speed,
		wake: make(chan struct{}, 1), target: -1}
}

// Events is the replayed stream (an entry of an unknown type comes as
// Unknown). It closes when Run returns.
func (p *Player) Events() <-chan session.Event { return p.out }

// Run plays until the end of the log or ctx ends. At the end it waits,
// paused, for a seek or ctx: a console stays on the last screen.
func (p *Player) Run(ctx context.Context) {
	defer close(p.out)
	for {
		p.mu.Lock()
		if p.reset {
			p.reset = false
			p.mu.Unlock()
			if !p.send(ctx, Reset{At: p.es[0].At}) {
				return
			}
			continue
		}
		pos, paused, speed, target := p.pos, p.paused, p.speed, p.target
		p.mu.Unlock()
		if pos >= len(p.es) || (paused && target < 0) {
			select {
			case <-ctx.Done():
				return
			case <-p.wake:
			}
			continue
		}
		e := p.es[pos]
		if target < 0 && speed != Max && pos > 0 {
			gap := time.Duration(float64(e.At.Sub(p.es[pos-1].At)) / float64(speed))
			if gap > 0 {
				select {
				case <-ctx.Done():
					return
				case <-p.wake:
					continue // a control changed: look again
				case <-p.clock.After(gap):
				}
			}
		}
		p.mu.Lock()
		if p.pos != pos || p.reset { // a seek happened while waiting
			p.mu.Unlock()
			continue
		}
		p.pos++
		if p.target >= 0 && p.pos >= p.target {
			p.target = -1
		}
		p.mu.Unlock()
		ev := e.Event
		if ev == nil {
			ev = Unknown{At: e.At, Name: e.Type}
		}
		if !p.send(ctx, ev) {
			return
		}
	}
}

func (p *Player) send(ctx context.Context, ev session.Event) bool {
	select {
	case p.out <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}

func (p *Player) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Toggle pauses or resumes.
func (p *Player) Toggle() {
	p.mu.Lock()
	p.paused = !p.paused
	p.mu.Unlock()
	p.poke()
}

// Step pauses and plays one more entry.
func (p *Player) Step() {
	p.mu.Lock()
	p.paused = true
	if p.pos < len(p.es) {
		p.target = p.pos + 1
	}
	p.mu.Unlock()
	p.poke()
}

// Seek moves the position by d of log time: forwards, the entries in
// between are sent at once; backwards, a Reset is sent and the log is
// played from its start to the new place at once.
func (p *Player) Seek(d time.Duration) {
	p.mu.Lock()
	defer p.poke()
	defer p.mu.Unlock()
	if len(p.es) == 0 {
		return
	}
	now := p.es[max(p.pos-1, 0)].At
	to := now.Add(d)
	n := 0
	for n < len(p.es) && !p.es[n].At.After(to) {
		n++
	}
	if n >= p.pos {
		p.target = n
		return
	}
	p.pos, p.target, p.reset = 0, n, true
}

// Faster and Slower double or halve the speed (max stays max).
func (p *Player) Faster() { p.scale(2) }

// Slower halves the speed.
func (p *Player) Slower() { p.scale(0.5) }

func (p *Player) scale(f float64) {
	p.mu.Lock()
	if p.speed != Max {
		p.speed = Speed(min(max(float64(p.speed)*f, 0.125), 1024))
	}
	p.mu.Unlock()
	p.poke()
}

// Key carries out a timeline key: space pauses, "." or right steps,
// "]" / "[" seek a minute, "}" / "{" ten minutes, "+" / "-" the speed.
// It reports whether the key was one of them.
func (p *Player) Key(k string) bool {
	switch k {
	case "space", " ":
		p.Toggle()
	case ".", "right":
		p.Step()
	case "]":
		p.Seek(time.Minute)
	case "[":
		p.Seek(-time.Minute)
	case "}":
		p.Seek(10 * time.Minute)
	case "{":
		p.Seek(-10 * time.Minute)
	case "+", "=":
		p.Faster()
	case "-":
		p.Slower()
	default:
		return false
	}
	return true
}

// Status is the timeline line: place, log time, speed, paused.
func (p *Player) Status() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.es) == 0 {
		return "REPLAY  empty log"
	}
	at := p.es[max(p.pos-1, 0)].At
	state := "▶"
	switch {
	case p.pos >= len(p.es):
		state = "■ end"
	case p.paused:
		state = "⏸"
	}
	return fmt.Sprintf("REPLAY %s %s  %d/%d  %s  (space pause  . step  [ ] ±1 min  { } ±10 min  + - speed)",
		state, at.Local().Format("2006-01-02 15:04:05"), p.pos, len(p.es), p.speed)
}

// Now is the log time at the current position, for the console's clock.
func (p *Player) Now() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.es) == 0 {
		return time.Time{}
	}
	return p.es[max(p.pos-1, 0)].At
}
