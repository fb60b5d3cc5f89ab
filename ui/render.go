package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/callpanel"
	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/keypad"
	"github.com/agentty/agentty/ui/kiosk"
	"github.com/agentty/agentty/ui/statusbar"
)

// render draws the whole screen into m.frame and records where things are
// for the mouse. It is the only place the screen is drawn.
func (m *Model) render() {
	m.dirty = false
	w, h := max(m.w, 20), max(m.h, 8)
	m.rects = map[string]rect{}
	var body string
	top := 0
	if m.Role() == session.RoleKiosk {
		body = m.kioskBody(w, h-1)
	} else {
		m.bar.SetSize(w, statusbar.Height)
		m.bar.SetProps(m.barProps())
		top = statusbar.Height
		mid := h - top - 1
		if m.overlay == paletteOverlay {
			mid -= 2
		}
		var main string
		switch {
		case m.overlay == helpOverlay:
			main = common.Box(m.com.Styles, "Help: every key (esc closes)", m.helpText(w-2), w, mid, true)
		case m.Role() == session.RoleSupervisor:
			main = m.supervisorBody(w, mid, top)
		default:
			main = m.agentBody(w, mid, top)
		}
		body = m.bar.View() + "\n" + main
		if m.overlay == paletteOverlay {
			m.palette.SetSize(w, 2)
			body += "\n" + m.palette.View()
		}
	}
	foot, zones := common.Hints(m.com.Styles, w-1, 3, m.footer()...)
	if m.opts.Replay != nil {
		foot, zones = m.opts.Replay.Status(), nil
	}
	m.zones, m.footerY = shift(zones, 1), h-1
	m.frame = common.Block(body, w, h-1) + "\n" + common.Fit(" "+foot, w)
}

func shift(z []common.Zone, dx int) []common.Zone {
	for i := range z {
		z[i].X0 += dx
		z[i].X1 += dx
	}
	return z
}

func (m *Model) barProps() statusbar.Props {
	s := m.app.State
	name := s.DisplayName
	if name == "" {
		name = s.User
	}
	return statusbar.Props{
		Name: name, Role: m.Role(), Agent: s.Agent, Conn: s.Conn, Reason: s.ConnReason,
		Degraded: s.Degraded, Authed: s.Authed, Groups: s.Groups, Backend: m.opts.Backend,
		Now: m.now, Message: m.message, IsError: m.isError,
	}
}

func (m *Model) callProps() callpanel.Props {
	p := callpanel.Props{Calls: m.app.State.Calls, Names: m.names, Now: m.now, Hint: m.nextStep(),
		Mic: common.Level(m.mic), Spk: common.Level(m.spk), HasLevel: m.hasLevel}
	if n := len(m.app.State.Recent); n > 0 {
		last := m.app.State.Recent[n-1]
		p.Last = &last
	}
	return p
}

// agentBody: calls and contacts on the left, queues and the log on the
// right; a picker or the keypad takes the right column while open.
func (m *Model) agentBody(w, h, y0 int) string {
	st := m.com.Styles
	lw := w * 3 / 5
	rw := w - lw
	callH := max(min(4+4*max(len(m.app.State.Calls), 1), h/2+2), 6)
	conH := h - callH
	m.calls.SetSize(lw-4, callH-2)
	m.calls.SetProps(m.callProps())
	callTitle := "Calls"
	if _, ringing := m.app.State.Ringing(); ringing {
		callTitle = "Calls · RINGING: press " + m.com.Keys.Answer.Help().Key + " to answer"
	}
	calls := common.Box(st, callTitle, m.calls.View(), lw, callH, false)
	m.contacts.SetSize(lw-4, conH-2)
	cons := common.Box(st, "Contacts", m.contacts.View(), lw, conH, m.contacts.Focused())
	m.rects["contacts"] = rect{0, y0 + callH, lw, conH}
	left := calls + "\n" + cons

	var right string
	switch m.overlay {
	case pickerOverlay:
		m.picker.SetSize(rw, h)
		right = m.picker.View()
		m.rects["picker"] = rect{lw, y0, rw, h}
	case keypadOverlay:
		m.keypad.SetSize(keypad.Width, keypad.Height)
		right = common.Block(m.keypad.View(), rw, h)
		m.rects["keypad"] = rect{lw, y0, keypad.Width, keypad.Height}
	case noOverlay, helpOverlay, paletteOverlay:
		if !m.acd() { // a phone has no queues
			m.log.SetSize(rw-4, h-2)
			right = common.Box(st, "Recent events", m.log.View(), rw, h, false)
			break
		}
		qs := m.myQueues()
		qh := min(max(len(qs)+4, 5), h/2)
		m.board.SetSize(rw-4, qh-2)
		m.board.SetStats(qs, m.hist)
		m.log.SetSize(rw-4, h-qh-2)
		right = common.Box(st, "Queues", m.board.View(), rw, qh, false) + "\n" +
			common.Box(st, "Recent events", m.log.View(), rw, h-qh, false)
	}
	return common.SideBySide(left, right)
}

// myQueues are the figures of the groups the agent is checked in to (all of
// them before check-in).
func (m *Model) myQueues() []GroupStats {
	if len(m.app.State.Groups) == 0 {
		return m.queues
	}
	var out []GroupStats
	for _, q := range m.queues {
		if slices.Contains(m.app.State.Groups, q.Group) {
			out = append(out, q)
		}
	}
	return out
}

// supervisorBody: own calls (when any), the roster, then the queue board
// and the log.
func (m *Model) supervisorBody(w, h, y0 int) string {
	st := m.com.Styles
	var parts []string
	if len(m.app.State.Calls) > 0 {
		ch := min(2+4*len(m.app.State.Calls), h/3)
		m.calls.SetSize(w-4, ch-2)
		m.calls.SetProps(m.callProps())
		parts = append(parts, common.Box(st, "Your calls", m.calls.View(), w, ch, false))
		h -= ch
		y0 += ch
	}
	bh := min(max(len(m.queues)+3, 5), h/3)
	rh := h - bh
	m.roster.SetSize(w-4, rh-2)
	if m.rosterDirty {
		m.roster.Refresh(m.app.State.Roster, m.now)
		m.rosterDirty = false
	}
	m.roster.SetNow(m.now)
	m.rects["roster"] = rect{2, y0 + 1, w - 4, rh - 2}
	var side string
	if m.overlay == pickerOverlay {
		m.picker.SetSize(w, rh)
		side = m.picker.View()
		m.rects["picker"] = rect{0, y0, w, rh}
	} else {
		side = common.Box(st, m.roster.Title(), m.roster.View(), w, rh, true)
	}
	parts = append(parts, side)
	lw := w * 3 / 5
	m.sboard.SetSize(lw-4, bh-2)
	m.sboard.SetStats(m.queues, m.hist)
	m.log.SetSize(w-lw-4, bh-2)
	parts = append(parts, common.SideBySide(
		common.Box(st, "Queues", m.sboard.View(), lw, bh, false),
		common.Box(st, "Recent events", m.log.View(), w-lw, bh, false)))
	return strings.Join(parts, "\n")
}

func (m *Model) kioskBody(w, h int) string {
	m.kiosk.SetSize(w, h)
	msg := ""
	if m.isError {
		msg = m.message
	}
	m.kiosk.SetProps(kiosk.Props{State: m.app.State, Lang: m.opts.Lang, Now: m.now, Message: msg})
	return m.kiosk.View()
}

// helpText lists every key of the seat, generated from the key map.
func (m *Model) helpText(w int) string {
	km := m.com.Keys
	type group struct {
		title string
		keys  []string
	}
	bind := func(bs ...keyHelp) []string {
		var out []string
		for _, b := range bs {
			if !b.has {
				continue
			}
			out = append(out, common.Fit(m.com.Styles.Key.Render(b.k), 8)+" "+b.d)
		}
		return out
	}
	kh := m.keyHelp
	calls := group{"Calls", bind(kh(km.Answer), kh(km.Reject), kh(km.Hangup), kh(km.Hold), kh(km.Transfer), kh(km.Keypad), kh(km.Mute), kh(km.Record),
		kh(km.Consult), kh(km.Complete), kh(km.Conference), kh(km.Cancel))}
	state := group{"Your state", bind(kh(km.CheckIn), kh(km.Ready), kh(km.NotReady), kh(km.Rest), kh(km.Done), kh(km.Disposition), kh(km.CheckOut))}
	tools := group{"Tools", bind(kh(km.Search), kh(km.Focus), kh(km.Palette), kh(km.Help), kh(km.Back), kh(km.Quit))}
	groups := []group{calls, state, tools}
	if m.Role() == session.RoleSupervisor {
		sup := group{"Selected agent", bind(kh(km.Up), kh(km.Down), kh(km.Search), kh(km.Sort), kh(km.Listen), kh(km.Whisper), kh(km.Barge), kh(km.Intercept), kh(km.Pause), kh(km.Restore), kh(km.Logout))}
		groups = []group{sup, calls, tools}
	}
	groups = slices.DeleteFunc(groups, func(g group) bool { return len(g.keys) == 0 })
	cw := max(w/len(groups), 20)
	var cols []string
	for _, g := range groups {
		cols = append(cols, common.Block(m.com.Styles.Title.Render(g.title)+"\n"+strings.Join(g.keys, "\n"), cw, 14))
	}
	usage := "\nThe command line (" + km.Palette.Help().Key + ") takes the words of headless mode, e.g. \"transfer group:sales\", \"dial +34 917 370 192\", \"notready lunch\", \"disposition sale good call\", \"record on\" (\"record off ana\" for a supervisor).\nClick a key in the bottom line to press it. Drop a .vcf file on the window to import contacts."
	return common.SideBySide(cols...) + "\n" + usage
}

// keyHelp is one line of the help screen; has is false for a key whose
// verbs the backend has none of.
type keyHelp struct {
	k, d string
	has  bool
}

func (m *Model) keyHelp(b key.Binding) keyHelp {
	vs := m.keyVerbs(b)
	has := vs == nil || slices.ContainsFunc(vs, m.app.State.Capabilities.Has)
	return keyHelp{b.Help().Key, b.Help().Desc, has}
}

// nextStep tells a first-time user what to do now, with the keys bound
// (common.AgentState's Next). A phone with no ACD needs no check-in.
func (m *Model) nextStep() string {
	km, s := m.com.Keys, m.app.State
	k := func(b key.Binding) string { return b.Help().Key }
	switch {
	case !s.Authed:
		return "Signing in…"
	case m.Role() == session.RoleSupervisor:
		return ""
	case !m.acd():
		return "Calls ring here; " + k(km.Answer) + " answers, " + k(km.Search) + " finds a contact to dial."
	case !s.CheckedIn:
		return "Not checked in: press " + k(km.CheckIn) + " to check in, " + k(km.Ready) + " to go ready."
	}
	return common.AgentState(s.Agent.State).Next(*km, s.Agent, k)
}
