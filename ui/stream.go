package ui

import (
	"context"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/app"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/contacts"
	"github.com/agentty/agentty/ui/eventlog"
	"github.com/agentty/agentty/ui/queue"
)

// eventsMsg carries a batch of events drained from the stream at once.
type eventsMsg struct {
	events []session.Event
	closed bool
}

// MaxBatch bounds how many waiting events one message carries.
const MaxBatch = 4096

// waitEvents waits for one event, then takes whatever else is already
// waiting, without blocking; Update re-arms it after each batch.
func waitEvents(ch <-chan session.Event) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		e, ok := <-ch
		if !ok {
			return eventsMsg{closed: true}
		}
		evs := []session.Event{e}
		for len(evs) < MaxBatch {
			select {
			case e, ok := <-ch:
				if !ok {
					return eventsMsg{events: evs, closed: true}
				}
				evs = append(evs, e)
			default:
				return eventsMsg{events: evs}
			}
		}
		return eventsMsg{events: evs}
	}
}

// frameMsg asks for a redraw of what events changed.
type frameMsg struct{}

// tickMsg is the one-second clock: timers, queue figures.
type tickMsg struct {
	At     time.Time
	Queues []queue.Stats
	Polled bool
}

func tick(o Options) tea.Cmd {
	now, qs := o.Now, o.Queues
	return tea.Tick(time.Second, func(time.Time) tea.Msg {
		t := tickMsg{At: now()}
		if qs != nil {
			t.Queues, t.Polled = qs(), true
		}
		return t
	})
}

// levelsMsg carries the VU levels, 10 times a second.
type levelsMsg struct{ mic, spk float64 }

func levels(o Options) tea.Cmd {
	f := o.Levels
	if f == nil {
		return nil
	}
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg {
		mic, spk := f()
		return levelsMsg{mic, spk}
	})
}

func (m Model) onEvents(msg eventsMsg) (Model, tea.Cmd) {
	var cmds []tea.Cmd
	for _, e := range msg.events {
		if c := m.apply(e); c != nil {
			cmds = append(cmds, c)
		}
	}
	m.dirty = true
	if msg.closed {
		m.closed = true
		m.say("The backend closed the session. Press q to quit.", true)
	} else {
		cmds = append(cmds, waitEvents(m.opts.Events))
	}
	if m.syncFrames {
		m.render()
	} else if !m.frameScheduled {
		m.frameScheduled = true
		cmds = append(cmds, tea.Tick(FrameInterval, func(time.Time) tea.Msg { return frameMsg{} }))
	}
	return m, tea.Batch(cmds...)
}

// apply folds one event into the state and returns a Cmd it calls for
// (a caller-ID lookup).
func (m *Model) apply(e session.Event) tea.Cmd {
	if e.Type() == ResetType {
		m.app.State = session.State{Role: m.opts.Role}
		m.log = eventlog.New(m.com)
		m.queues, m.hist, m.rosterDirty = nil, queue.NewHistory(300), true
		return nil
	}
	e, err := m.app.Apply(e) // caller ID is looked up in a Cmd (lookup): Lookup is nil
	if err != nil {
		m.logf(slog.LevelDebug, "ui: event ignored", "type", e.Type(), "err", err)
	}
	m.log.Self = m.app.State.User
	switch e.(type) {
	case session.QueueStats, session.AgentRoster: // up to once a second: not news
	default:
		m.log.Add(e)
	}
	switch e := e.(type) {
	case session.AgentRoster, session.AgentStateChanged:
		m.rosterDirty = true
	case session.CommandFailed:
		m.say(e.Reason, true)
	case session.MediaMic:
		if !e.Granted && !m.saidNoSound {
			m.saidNoSound = true
			m.say("No sound device: calls carry no audio ('agentty devices' lists what there is).", false)
		}
	case session.CallRinging, session.CallDialing:
		return m.lookup(app.CallerNumber(e))
	case session.QueueStats:
		if m.opts.Queues == nil {
			m.queues = groupStats(e.Groups)
		}
	case session.AuthResult:
		if !e.OK {
			m.say("Sign-in failed ("+string(e.Code)+"); check the token.", true)
		}
	}
	return nil
}

// lookupMsg answers a caller-ID lookup.
type lookupMsg struct {
	number, label string
	ok            bool
}

func (m *Model) lookup(number string) tea.Cmd {
	dir := m.opts.Directory
	if dir == nil || number == "" || m.asked[number] {
		return nil
	}
	m.asked[number] = true
	return func() tea.Msg {
		c, ok := dir.Lookup(number)
		return lookupMsg{number: number, label: c.Label(), ok: ok}
	}
}

func (m *Model) onTick(t tickMsg) tea.Cmd {
	if t.At.After(m.now) {
		m.now = t.At
	}
	if !m.isError && m.message != "" && m.now.Sub(m.saidAt) >= InfoFor {
		m.message = ""
	}
	if t.Polled {
		m.queues = t.Queues
	}
	m.hist.Add(m.queues) // one sample a second for the trend

	return tick(m.opts)
}

func (m Model) onLevels(l levelsMsg) (Model, tea.Cmd) {
	m.mic, m.spk, m.hasLevel = l.mic, l.spk, true
	if _, talking := m.app.State.Talking(); talking {
		m.render()
	}
	return m, levels(m.opts)
}

// importMsg carries one message of a running import and the channel the
// next one comes on.
type importMsg struct {
	msg tea.Msg
	ch  <-chan tea.Msg
}

func waitImport(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return importMsg{msg: msg, ch: ch}
	}
}

// startImport returns the Cmd that runs Options.Import in a goroutine
// bound to ctx and counted in wg (Run waits for it after cancelling ctx),
// and then delivers the import's first message. Nothing starts until the
// Cmd runs. Progress that the screen has not caught up with is dropped;
// the end never is, unless ctx ended.
func startImport(ctx context.Context, wg *sync.WaitGroup, imp func(context.Context, string, func(int, int)) error, path string) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan tea.Msg, 8)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(ch)
			err := imp(ctx, path, func(done, total int) {
				select {
				case ch <- contacts.ImportProgressMsg{Done: done, Total: total}:
				default:
				}
			})
			select {
			case ch <- contacts.ImportDoneMsg{Path: path, Err: err}:
			case <-ctx.Done():
			}
		}()
		return waitImport(ch)()
	}
}

// onPaste starts an import when the paste is the path of a .vcf file, as
// terminals paste a dropped file.
func (m *Model) onPaste(s string) tea.Cmd {
	if m.Role() != session.RoleKiosk && m.overlay == noOverlay && !m.contacts.Focused() {
		if p, ok := DroppedPath(s); ok {
			if m.opts.Import == nil {
				m.say("Importing contacts is not available here.", true)
				return nil
			}
			m.say("Importing "+filepath.Base(p)+"…", false)
			return startImport(m.ctx, m.imports, m.opts.Import, p)
		}
	}
	// Otherwise a paste is typing, where something takes text.
	if m.contacts.Focused() || m.overlay == paletteOverlay || m.overlay == pickerOverlay || m.roster.Filtering() {
		return m.onKey(tea.KeyPressMsg{Code: tea.KeyExtended, Text: strings.TrimSpace(s)})
	}
	return nil
}

func (m *Model) onImportDone(d contacts.ImportDoneMsg) {
	if d.Err != nil {
		m.logf(slog.LevelError, "ui: contacts import", "path", d.Path, "err", d.Err)
		m.say("Could not import "+filepath.Base(d.Path)+": "+firstLine(d.Err.Error()), true)
		return
	}
	m.say("Imported contacts from "+filepath.Base(d.Path)+".", false)
}

// DroppedPath reads a pasted file path: quoted, file:// URL or with
// backslash-escaped spaces, as terminals paste a dropped file. It reports
// whether the path names a .vcf file.
func DroppedPath(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "\n\r") {
		return "", false
	}
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	if strings.HasPrefix(s, "file://") {
		if u, err := url.Parse(s); err == nil {
			s = u.Path
		}
	}
	s = strings.ReplaceAll(s, `\ `, " ")
	return s, strings.EqualFold(filepath.Ext(s), ".vcf")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// groupStats converts the session's queue figures for the boards.
func groupStats(gs []session.GroupStats) []queue.Stats {
	out := make([]queue.Stats, len(gs))
	for i, g := range gs {
		lw := g.LongestWait.D()
		if !g.LongestWait.Known() {
			lw = 0
		}
		out[i] = queue.Stats{Group: g.Group, Waiting: g.Waiting, Callbacks: g.Callbacks, LongestWait: lw,
			ServiceLevel: g.ServiceLevel, Agents: g.Agents, Needed: g.AgentsNeeded}
	}
	return out
}
