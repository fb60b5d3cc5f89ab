package app

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/agentty/agentty/session"
)

// Backend is the part of a vendors.Vendor the Runner drives (declared
// here so that app, and the console that uses it, import only session).
type Backend interface {
	Connect(ctx context.Context) error
	Send(ctx context.Context, c session.Command) error
	Events() <-chan session.Event
	Close() error
}

// Runner is the command pipeline driving a vendor from lines of the
// command language: each line is parsed, resolved, checked against the
// State and sent, one at a time, each after the previous command's answer
// and the events the backend produced before it have been applied, so a
// script like "checkin\nready" sees the effect of checkin before ready.
// Headless mode is a Runner that prints Emit's events.
type Runner struct {
	Session *Session
	Vendor  Backend
	// Emit gets every event, the vendor's and the command.failed of a
	// refused line, after Session.Apply, in order. Required.
	Emit func(session.Event)
	// Now stamps command.failed events; default the zero time.
	Now func() session.Base
	// Log gets refusals and events that do not fit; default discards.
	Log *slog.Logger
}

type sendResult struct {
	cmd session.Command
	err error
}

// Run connects and drives the session until lines closes (after the last
// command's answer), quit, or ctx ends; it closes the vendor and emits
// what Close produced before returning. It returns the error of Connect
// when the backend could not be reached or refused the sign-in.
func (r *Runner) Run(ctx context.Context, lines <-chan string) error {
	if r.Log == nil {
		r.Log = slog.New(slog.DiscardHandler)
	}
	if r.Now == nil {
		r.Now = func() session.Base { return session.Base{} }
	}
	connected := make(chan error, 1)
	go func() { connected <- r.Vendor.Connect(ctx) }()

	var (
		connErr   error
		ready     bool     // Connect returned
		inFlight  bool     // a Send is running
		eof       bool     // lines ended
		queue     []string // lines waiting for the connection or the previous answer
		results   = make(chan sendResult, 1)
		events    = r.Vendor.Events()
		lineInput = lines
	)
	defer func() {
		r.Vendor.Close()
		for e := range r.Vendor.Events() { // deliver what Close produced
			r.emit(e)
		}
		if inFlight {
			<-results
		}
	}()

	for {
		// Dispatch queued lines while nothing is in flight.
		for ready && !inFlight && len(queue) > 0 {
			line := queue[0]
			queue = queue[1:]
			c, quit := r.dispatch(ctx, line, results)
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
				r.Log.Error("app: connect", "err", err)
			}
			r.drain(events)
		case line, ok := <-lineInput:
			if !ok {
				eof, lineInput = true, nil
				continue
			}
			queue = append(queue, line)
		case res := <-results:
			inFlight = false
			r.drain(events)
			if res.err != nil {
				r.Log.Warn("app: command refused by backend", "command", res.cmd.String(), "err", res.err)
			}
		case e, ok := <-events:
			if !ok {
				events = nil
				if !ready {
					continue
				}
				return connErr
			}
			r.emit(e)
		}
	}
}

// dispatch runs the pipeline on one line and starts its Send. It reports
// whether a Send is now in flight, and whether the line was quit.
func (r *Runner) dispatch(ctx context.Context, line string, results chan<- sendResult) (inFlight, quit bool) {
	c, err := r.Session.Prepare(line)
	switch {
	case errors.Is(err, session.ErrEmpty):
		return false, false
	case err != nil:
		what := c.String()
		if c.Verb == session.VerbUnknown {
			what = strings.TrimSpace(line)
		}
		r.Log.Info("app: command refused", "command", what, "err", err)
		r.emit(session.CommandFailed{Base: r.Now(), Command: what, Reason: Reason(err)})
		return false, false
	case c.Verb == session.VerbQuit:
		return false, true
	}
	go func() {
		results <- sendResult{cmd: c, err: r.Vendor.Send(ctx, c)}
	}()
	return true, false
}

// drain emits every event already delivered, without waiting.
func (r *Runner) drain(events <-chan session.Event) {
	for {
		select {
		case e, ok := <-events:
			if !ok {
				return
			}
			r.emit(e)
		default:
			return
		}
	}
}

func (r *Runner) emit(e session.Event) {
	e, err := r.Session.Apply(e)
	if err != nil {
		r.Log.Warn("app: event does not fit the state", "err", err)
	}
	r.Emit(e)
}
