package ui

import (
	"context"
	"log/slog"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/app"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/callpanel"
	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/contacts"
	"github.com/agentty/agentty/ui/eventlog"
	"github.com/agentty/agentty/ui/keypad"
	"github.com/agentty/agentty/ui/kiosk"
	"github.com/agentty/agentty/ui/palette"
	"github.com/agentty/agentty/ui/picker"
	"github.com/agentty/agentty/ui/queue"
	"github.com/agentty/agentty/ui/roster"
	"github.com/agentty/agentty/ui/statusbar"
)

// overlay is what has the keyboard above the screen.
type overlay int

const (
	noOverlay overlay = iota
	helpOverlay
	paletteOverlay
	pickerOverlay
	keypadOverlay
)

// rect is where a panel was drawn, for mouse clicks.
type rect struct{ x, y, w, h int }

func (r rect) has(x, y int) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }

// Model is the console. It is a Bubble Tea model; New builds it.
type Model struct {
	saidNoSound bool // the person was told, once, that calls carry no audio
	opts        Options
	ctx         context.Context
	com         common.Common
	app         app.Session     // the State and the pipeline's steps (Check, Resolve)
	imports     *sync.WaitGroup // running imports (startImport); Run waits for them
	now         time.Time
	w, h        int

	message string
	isError bool
	saidAt  time.Time
	closed  bool
	// quitArmed: quit was pressed once during a call; a second press quits.
	quitArmed bool

	names    map[string]string // caller-ID matches by number
	asked    map[string]bool   // numbers already looked up
	mic, spk float64
	hasLevel bool
	queues   []queue.Stats
	hist     *queue.History

	bar      statusbar.Model
	calls    callpanel.Model
	board    queue.Model // the agent's groups
	sboard   queue.Model // every group, with trends
	roster   roster.Model
	contacts contacts.Model
	log      eventlog.Model
	kiosk    kiosk.Model
	picker   picker.Model
	keypad   keypad.Model
	palette  palette.Model
	overlay  overlay

	// frame is the last rendered screen; View returns it. Events mark the
	// model dirty and a frame tick redraws, so a burst of events costs one
	// render per frame.
	frame          string
	dirty          bool
	frameScheduled bool
	rosterDirty    bool
	syncFrames     bool        // tests: draw after every batch, schedule no frame timer
	logs           []logRecord // written by a Cmd after the Update that made them
	zones          []common.Zone
	footerY        int
	rects          map[string]rect
}

// FrameInterval caps redraws caused by events (30 frames a second).
const FrameInterval = time.Second / 30

// New builds the console. It renders its first frame at once, at 100x30
// until the terminal's size arrives.
func New(opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if len(opts.Reasons) == 0 {
		opts.Reasons = DefaultReasons
	}
	if opts.Lang == "" {
		opts.Lang = session.LangEnglish
	}
	c := common.New(opts.Styles, opts.KeyMap, opts.Logger)
	m := Model{
		opts: opts, ctx: context.Background(), com: c, now: opts.Now(),
		names: map[string]string{}, asked: map[string]bool{}, hist: queue.NewHistory(300),
		bar: statusbar.New(c), calls: callpanel.New(c), board: queue.New(c, false), sboard: queue.New(c, true),
		roster: roster.New(c), contacts: contacts.New(c, opts.Directory), log: eventlog.New(c),
		kiosk: kiosk.New(c), w: 100, h: 30, rects: map[string]rect{}, imports: &sync.WaitGroup{},
	}
	m.app.State.Role = opts.Role
	if dir := opts.Directory; dir != nil {
		m.app.Search = func(name string) ([]string, error) {
			r, err := dir.Search(name, 1)
			if err != nil || len(r) == 0 {
				return nil, err
			}
			return r[0].Phones, nil
		}
	}
	m.render()
	return m
}

// Role is the screen shown: the signed-in role, else Options.Role.
func (m Model) Role() session.Role {
	if m.app.State.Role != session.RoleUnknown {
		return m.app.State.Role
	}
	if m.opts.Role == session.RoleUnknown {
		return session.RoleAgent
	}
	return m.opts.Role
}

// State returns the session state the console shows.
func (m Model) State() session.State { return m.app.State }

// Init starts the event pump and the clocks.
func (m Model) Init() tea.Cmd {
	return tea.Batch(waitEvents(m.opts.Events), tick(m.opts), levels(m.opts))
}

// View returns the last rendered frame.
func (m Model) View() tea.View {
	v := tea.NewView(m.frame)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "agentty"
	return v
}

// Update handles one message. Input redraws at once; events redraw on the
// next frame tick.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m2, cmd := m.update(msg)
	if len(m2.logs) > 0 {
		cmd = tea.Batch(cmd, flushLogs(m2.com.Logger, m2.logs))
		m2.logs = nil
	}
	return m2, cmd
}

// logRecord is a log line Update decided to write; a Cmd writes it, so
// Update does no I/O.
type logRecord struct {
	level slog.Level
	msg   string
	args  []any
}

func (m *Model) logf(level slog.Level, msg string, args ...any) {
	m.logs = append(m.logs, logRecord{level, msg, args})
}

func flushLogs(l *slog.Logger, recs []logRecord) tea.Cmd {
	return func() tea.Msg {
		for _, r := range recs {
			l.Log(context.Background(), r.level, r.msg, r.args...)
		}
		return nil
	}
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case eventsMsg:
		return m.onEvents(msg)
	case frameMsg:
		m.frameScheduled = false
		if m.dirty {
			m.render()
		}
		return m, nil
	case tickMsg:
		cmd = m.onTick(msg)
	case levelsMsg:
		return m.onLevels(msg)
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyPressMsg:
		cmd = m.onKey(msg)
	case tea.MouseClickMsg:
		cmd = m.onClick(msg.Mouse())
	case tea.MouseWheelMsg:
		if m.Role() == session.RoleSupervisor {
			m.roster, _ = m.roster.Update(msg)
		}
	case tea.PasteMsg:
		cmd = m.onPaste(msg.Content)
	case sentMsg:
		m.onSent(msg)
	case lookupMsg:
		if msg.ok {
			m.names[msg.number] = msg.label
		}
	default:
		cmd = m.onWidgetMsg(msg)
	}
	m.render()
	return m, cmd
}

// onWidgetMsg routes the messages the panels send to the root.
func (m *Model) onWidgetMsg(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case contacts.ResultsMsg:
		m.contacts, _ = m.contacts.Update(msg)
	case importMsg:
		m.contacts, _ = m.contacts.Update(msg.msg)
		if d, ok := msg.msg.(contacts.ImportDoneMsg); ok {
			m.onImportDone(d)
			return nil
		}
		return waitImport(msg.ch)
	case contacts.DialMsg:
		m.contacts.Focus(false)
		cmd := m.issue(session.Command{Verb: session.VerbDial, Number: msg.Number})
		if r, ok := m.opts.Directory.(contacts.Ranker); ok && cmd != nil && msg.ContactID != "" {
			id := msg.ContactID
			cmd = tea.Batch(cmd, func() tea.Msg { r.MarkCalled(id); return nil })
		}
		return cmd
	case picker.ChosenMsg:
		m.overlay = noOverlay
		return m.onChosen(msg)
	case keypad.DigitMsg:
		return m.issue(session.Command{Verb: session.VerbDTMF, Digits: msg.Digit})
	case dialResolvedMsg:
		if msg.err != nil {
			m.fail(msg.cmd, msg.err)
			return nil
		}
		return m.issue(msg.cmd)
	case palette.RunMsg:
		m.overlay = noOverlay
		return m.runLine(msg.Line)
	case devicesMsg:
		return m.onDevices(msg)
	case deviceUsedMsg:
		m.onDeviceUsed(msg)
	}
	return nil
}

// say puts a sentence in the status bar. An information sentence fades
// after InfoFor; a refusal stays until the next one or the next command.
func (m *Model) say(s string, isErr bool) { m.message, m.isError, m.saidAt = s, isErr, m.now }

// InfoFor is how long an information sentence stays in the status bar.
const InfoFor = 6 * time.Second
