package ui

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/app"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/picker"
)

// sentMsg is the answer of Options.Send.
type sentMsg struct {
	cmd session.Command
	err error
}

// issue checks c against the state and, when allowed, sends it in a Cmd. A
// refusal is one sentence in the status bar; the chain goes to the log.
func (m *Model) issue(c session.Command) tea.Cmd {
	if c.Verb == session.VerbQuit {
		return tea.Quit
	}
	if err := m.app.Check(c); err != nil {
		m.fail(c, err)
		return nil
	}
	m.say(doing(c), false)
	send, ctx := m.opts.Send, m.ctx
	if send == nil {
		return nil
	}
	return func() tea.Msg { return sentMsg{cmd: c, err: send(ctx, c)} }
}

func (m *Model) fail(c session.Command, err error) {
	m.logf(slog.LevelWarn, "ui: command refused", "command", c.String(), "err", err)
	m.say(Sentence(err), true)
}

func (m *Model) onSent(s sentMsg) {
	if s.err == nil {
		if m.message == doing(s.cmd) {
			m.say("", false)
		}
		return
	}
	if errors.Is(s.err, context.Canceled) {
		return
	}
	m.fail(s.cmd, s.err)
}

// runLine runs a palette line: the headless language, through the same
// pipeline (app.Session: parse, the number rule and dial-by-name, Check).
// A contact's name is looked up in a Cmd: the search may take a while.
func (m *Model) runLine(line string) tea.Cmd {
	if cmd, ok := m.runWord(line); ok {
		return cmd
	}
	c, err := m.app.Parse(line)
	if errors.Is(err, session.ErrEmpty) {
		return nil
	}
	if err != nil {
		m.fail(c, err)
		return nil
	}
	if m.app.Searches(c) {
		return resolveDial(m.app, c)
	}
	if c, err = m.app.Resolve(c); err != nil {
		m.fail(c, err)
		return nil
	}
	return m.issue(c)
}

// dialResolvedMsg answers the search for a contact named in "dial NAME".
type dialResolvedMsg struct {
	cmd session.Command
	err error
}

// resolveDial finds a contact's first number in a Cmd (app.Session.Resolve
// reads only the Session's Search).
func resolveDial(a app.Session, c session.Command) tea.Cmd {
	return func() tea.Msg {
		r, err := a.Resolve(c)
		return dialResolvedMsg{cmd: r, err: err}
	}
}

func (m *Model) onChosen(c picker.ChosenMsg) tea.Cmd {
	switch c.Purpose {
	case "transfer":
		t, err := session.ParseTarget(c.Value)
		if err != nil {
			m.fail(session.Command{Verb: session.VerbTransfer}, err)
			return nil
		}
		return m.issue(session.Command{Verb: session.VerbTransfer, Target: t})
	case "consult":
		return m.consultChosen(c.Value)
	case "notready":
		return m.issue(session.Command{Verb: session.VerbNotReady, Reason: c.Value})
	case "rest":
		return m.issue(session.Command{Verb: session.VerbRest, Reason: c.Value})
	case "disposition":
		return m.issue(session.Command{Verb: session.VerbDisposition, Code: c.Value})
	case "devices":
		return m.useDevice(c.Value)
	}
	return nil
}

// doing is the sentence shown while a command is on its way.
func doing(c session.Command) string {
	return capital(c.String()) + "…"
}

// Sentence turns an error into one short sentence for the person: a
// refusal says what could not be done and why.
func Sentence(err error) string {
	var ce *session.CheckError
	if errors.As(err, &ce) {
		why := ce.Detail
		if why == "" {
			why = ce.Err.Error()
		}
		return "Can't " + verbWords(ce.Command.Verb) + ": " + why + "."
	}
	s := firstLine(err.Error())
	if i := strings.Index(s, " (try: "); i > 0 {
		s = s[:i] + "; tab completes commands"
	}
	s = strings.TrimPrefix(s, "session: ")
	s = strings.TrimPrefix(s, session.ErrSyntax.Error()+": ")
	return capital(s)
}

func verbWords(v session.Verb) string {
	switch v {
	case session.VerbHangup:
		return "hang up"
	case session.VerbCheckIn:
		return "check in"
	case session.VerbCheckOut:
		return "check out"
	case session.VerbNotReady:
		return "go not ready"
	case session.VerbReady:
		return "go ready"
	case session.VerbDone:
		return "end wrap-up"
	case session.VerbDTMF:
		return "send tones"
	case session.VerbRetrieve:
		return "resume"
	case session.VerbLogout:
		return "log the agent out"
	case session.VerbUnknown:
		return "do that"
	}
	return string(v)
}

func capital(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}
