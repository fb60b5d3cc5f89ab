package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// headless runs the JSON-lines mode: command words on in, one normalized
// event per line on out. It owns the session State; lines are handled one at
// a time, each after the previous command's answer has been applied, so a
// script like "checkin\nready" sees the effect of checkin before ready.
type headless struct {
	v       vendors.Vendor
	out     *bufio.Writer
	log     *slog.Logger
	now     func() session.Base
	enrich  func(session.Event) session.Event              // caller-ID and the like; may be nil
	resolve func(session.Command) (session.Command, error) // dial NAME -> number; may be nil
	state   session.State
}

type sendResult struct {
	cmd session.Command
	err error
}

// run drives the session until EOF, quit, or ctx ends. It returns an error
// when the backend could not be reached or refused the sign-in.
func (h *headless) run(ctx context.Context, in io.Reader) error {
	lines := make(chan string)
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		defer close(lines)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		if err := sc.Err(); err != nil {
			h.log.Error("headless: read stdin", "err", err)
		}
	}()

	connected := make(chan error, 1)
	go func() { connected <- h.v.Connect(ctx) }()

	var (
		connErr   error
		ready     bool     // Connect returned
		inFlight  bool     // a Send is running
		eof       bool     // stdin ended
		queue     []string // lines waiting for the connection or the previous answer
		results   = make(chan sendResult, 1)
		events    = h.v.Events()
		lineInput = lines
	)
	defer func() {
		h.v.Close()
		for e := range h.v.Events() { // deliver what Close produced
			h.emit(e)
		}
		h.out.Flush()
	}()

	for {
		// Dispatch queued lines while nothing is in flight.
		for ready && !inFlight && len(queue) > 0 {
			line := queue[0]
			queue = queue[1:]
			c, quit := h.dispatch(ctx, line, results)
			if quit {
				return connErr
			}
			inFlight = c
		}
		if eof && ready && !inFlight && len(queue) == 0 {
			return connErr
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-connected:
			ready, connErr = true, err
			if err != nil {
				h.log.Error("headless: connect", "err", err)
			}
			h.drain(events)
		case line, ok := <-lineInput:
			if !ok {
				eof, lineInput = true, nil
				continue
			}
			queue = append(queue, line)
		case r := <-results:
			inFlight = false
			h.drain(events)
			if r.err != nil {
				h.log.Warn("headless: command refused by backend", "command", r.cmd.String(), "err", r.err)
			}
		case e, ok := <-events:
			if !ok {
				events = nil
				if !ready {
					continue
				}
				return connErr
			}
			h.emit(e)
		}
	}
}

// dispatch parses and checks one line and starts its Send. It reports whether
// a Send is now in flight, and whether the line was quit.
func (h *headless) dispatch(ctx context.Context, line string, results chan<- sendResult) (inFlight, quit bool) {
	c, err := session.ParseCommand(line)
	if errors.Is(err, session.ErrEmpty) {
		return false, false
	}
	if err != nil {
		h.refuse(strings.TrimSpace(line), err.Error())
		return false, false
	}
	if c.Verb == session.VerbQuit {
		return false, true
	}
	if h.resolve != nil {
		if c, err = h.resolve(c); err != nil {
			h.refuse(c.String(), err.Error())
			return false, false
		}
	}
	if err := session.Check(h.state, c); err != nil {
		reason := err.Error()
		var ce *session.CheckError
		if errors.As(err, &ce) {
			reason = ce.Reason()
		}
		h.log.Info("headless: command refused", "command", c.String(), "err", err)
		h.refuse(c.String(), reason)
		return false, false
	}
	go func() {
		results <- sendResult{cmd: c, err: h.v.Send(ctx, c)}
	}()
	return true, false
}

func (h *headless) refuse(cmd, reason string) {
	h.emit(session.CommandFailed{Base: h.now(), Command: cmd, Reason: reason})
}

// drain emits every event already delivered, without waiting.
func (h *headless) drain(events <-chan session.Event) {
	for {
		select {
		case e, ok := <-events:
			if !ok {
				return
			}
			h.emit(e)
		default:
			return
		}
	}
}

func (h *headless) emit(e session.Event) {
	if h.enrich != nil {
		e = h.enrich(e)
	}
	next, err := session.Transition(h.state, e)
	if err != nil {
		h.log.Warn("headless: event does not fit the state", "err", err)
	} else {
		h.state = next
	}
	b, err := session.MarshalEvent(e)
	if err != nil {
		h.log.Error("headless: encode", "err", err)
		return
	}
	h.out.Write(b)
	h.out.WriteByte('\n')
	if err := h.out.Flush(); err != nil {
		h.log.Error("headless: write stdout", "err", err)
	}
}
