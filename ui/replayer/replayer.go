// Package replayer is the console opened read-only on a journal (agentty
// replay): the screens as they were, built by the console itself (ui.Model)
// from the journal's events, under a timeline (ui/timeline) with play,
// pause, step and seek keys. Commands typed at it are refused: nothing
// reaches a centre.
package replayer

import (
	"context"
	"errors"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/replay"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui"
	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/timeline"
)

// ErrReadOnly is what a command typed during a replay gets.
var ErrReadOnly = errors.New("this is a replay: commands do nothing")

// MaxBatch is how many entries one frame applies at max speed.
const MaxBatch = 2000

// frame is the pace of max speed.
const frame = time.Second / 30

// context is how many entries before a seek's target are fed, so the
// event pane shows what led there.
const contextLines = 200

// Model is the replaying console.
type Model struct {
	inner   ui.Model
	p       *replay.Player
	user    string
	tl      timeline.Model
	speed   replay.Speed
	playing bool
	gen     int
	w, h    int
}

// playMsg is the play clock: apply what is due. gen tells a stale timer.
type playMsg struct{ gen int }

// New returns the console on p, showing user's screens ("" for a
// session's own journal). opts are the console's options; Events, Send
// and Now are the replay's own.
func New(opts ui.Options, p *replay.Player, user string, speed replay.Speed, play bool) Model {
	opts.Events = nil
	opts.Send = func(context.Context, session.Command) error { return ErrReadOnly }
	opts.Now = func() time.Time { return time.Time{} } // the console's clock follows the events
	opts.Queues, opts.Levels, opts.Import = nil, nil, nil
	m := Model{inner: ui.New(opts), p: p, user: user, speed: speed, playing: play, w: 100, h: 30}
	m.tl = timeline.New(common.New(opts.Styles, opts.KeyMap, opts.Logger))
	m.inner = m.inner.Restore(p.State(user))
	m.resize(m.w, m.h)
	m.sync()
	return m
}

// Inner returns the console under the timeline (for tests).
func (m Model) Inner() ui.Model { return m.inner }

// Player returns the player.
func (m Model) Player() *replay.Player { return m.p }

// Init starts playing when asked to.
func (m Model) Init() tea.Cmd {
	if m.playing {
		return m.next()
	}
	return nil
}

func (m *Model) resize(w, h int) {
	m.w, m.h = w, h
	m.inner = m.inner.Resize(w, max(h-timeline.Height, 8))
	m.tl.SetSize(w)
}

// Update handles keys, the play clock and the terminal's size; anything
// else goes to the console.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case playMsg:
		if msg.gen != m.gen || !m.playing {
			return m, nil
		}
		return m, m.advance()
	case tea.KeyPressMsg:
		if cmd, ok := m.onKey(msg); ok {
			m.sync()
			return m, cmd
		}
	}
	in, cmd := m.inner.Update(msg)
	m.inner = in.(ui.Model)
	return m, cmd
}

// onKey handles the timeline's keys; false passes the key to the console.
func (m *Model) onKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.tl.Keys
	const minute = time.Minute
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit, true
	case key.Matches(msg, k.Play):
		m.playing = !m.playing
		m.gen++
		if m.playing {
			return m.next(), true
		}
	case key.Matches(msg, k.StepOn):
		m.pause()
		m.step(1)
	case key.Matches(msg, k.StepBack):
		m.pause()
		m.seek(m.p.Pos() - 1)
	case key.Matches(msg, k.SeekOn):
		m.seek(m.p.IndexAfter(m.p.Now().Add(minute)))
	case key.Matches(msg, k.SeekBack):
		m.seek(m.p.IndexAfter(m.p.Now().Add(-minute)))
	case key.Matches(msg, k.LongOn):
		m.seek(m.p.IndexAfter(m.p.Now().Add(10 * minute)))
	case key.Matches(msg, k.LongBack):
		m.seek(m.p.IndexAfter(m.p.Now().Add(-10 * minute)))
	case key.Matches(msg, k.Start):
		m.seek(0)
	case key.Matches(msg, k.End):
		m.seek(m.p.Len())
	case key.Matches(msg, k.Faster):
		m.speed = faster(m.speed)
	case key.Matches(msg, k.Slower):
		m.speed = slower(m.speed)
	default:
		return nil, false
	}
	if m.playing {
		m.gen++
		return m.next(), true
	}
	return nil, true
}

func (m *Model) pause() { m.playing = false; m.gen++ }

// step applies n entries, feeding the console the user's events.
func (m *Model) step(n int) {
	var evs []session.Event
	for range n {
		e, ok := m.p.Step()
		if !ok {
			break
		}
		if e.Known() && (e.To == m.user || e.To == "") {
			evs = append(evs, e.Event)
		}
	}
	if len(evs) > 0 {
		m.inner = m.inner.Feed(evs...)
	}
}

// seek rebuilds the console at entry i: the state from the player a few
// entries before, then those entries fed so the event pane shows them.
func (m *Model) seek(i int) {
	i = max(0, min(i, m.p.Len()))
	from := max(0, i-contextLines)
	m.p.Seek(from)
	m.inner = m.inner.Restore(m.p.State(m.user))
	m.step(i - from)
}

// advance applies what is due and schedules the next step.
func (m *Model) advance() tea.Cmd {
	if m.speed == replay.Max {
		m.step(MaxBatch)
	} else {
		// Everything at the same instant goes together.
		at := m.p.Entry(min(m.p.Pos(), m.p.Len()-1)).At
		n := 0
		for i := m.p.Pos(); i < m.p.Len() && !m.p.Entry(i).At.After(at); i++ {
			n++
		}
		m.step(max(n, 1))
	}
	m.sync()
	return m.next()
}

// next schedules the play clock for the next entry, or stops at the end.
func (m *Model) next() tea.Cmd {
	if m.p.Pos() >= m.p.Len() {
		m.playing = false
		m.sync()
		return nil
	}
	d := frame
	if m.speed != replay.Max {
		d = m.speed.Wait(m.p.Now(), m.p.Entry(m.p.Pos()).At)
	}
	gen := m.gen
	return tea.Tick(d, func(time.Time) tea.Msg { return playMsg{gen: gen} })
}

// sync copies the replay's place to the timeline.
func (m *Model) sync() {
	m.tl.First, m.tl.Last = m.p.Span()
	m.tl.Now, m.tl.Pos, m.tl.Len = m.p.Now(), m.p.Pos(), m.p.Len()
	m.tl.Playing, m.tl.Speed = m.playing, m.speed.String()
	m.tl.Unknown = m.p.UnknownLines()
}

// View draws the console above the timeline.
func (m Model) View() tea.View {
	v := tea.NewView(m.inner.Frame() + "\n" + m.tl.View())
	v.AltScreen = true
	v.WindowTitle = "agentty replay"
	return v
}

var speeds = []replay.Speed{0.5, 1, 2, 5, 10, 30, 60, 300, replay.Max}

func faster(s replay.Speed) replay.Speed {
	for _, x := range speeds {
		if s != replay.Max && (x == replay.Max || x > s) {
			return x
		}
	}
	return replay.Max
}

func slower(s replay.Speed) replay.Speed {
	if s == replay.Max {
		return speeds[len(speeds)-2]
	}
	out := speeds[0]
	for _, x := range speeds[:len(speeds)-1] {
		if x < s {
			out = x
		}
	}
	return out
}
