package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"

	"github.com/agentty/agentty/app"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// headless runs the JSON-lines mode: command words on in, one normalized
// event per line on out. The pipeline (parse, dial-by-name, Check, one
// Send at a time with its events before the answer, caller ID) is
// app.Runner's; this is its wiring to stdin and stdout.
type headless struct {
	v   vendors.Vendor
	out *bufio.Writer
	log *slog.Logger
	now func() session.Base
	app app.Session // the contact book's Search and Lookup; may be zero
}

// run drives the session until EOF, quit, or ctx ends. It returns an error
// when the backend could not be reached or refused the sign-in. After quit
// the reader of in may stay blocked in Read until in ends (stdin: the
// process exits).
func (h *headless) run(ctx context.Context, in io.Reader) error {
	lines := make(chan string)
	go func() {
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
	r := &app.Runner{Session: &h.app, Vendor: h.v, Emit: h.emit, Now: h.now, Log: h.log}
	err := r.Run(ctx, lines)
	h.out.Flush()
	return err
}

func (h *headless) emit(e session.Event) {
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
