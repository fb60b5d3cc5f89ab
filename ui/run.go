package ui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// Run shows the console full-screen (alternate screen, mouse on) until the
// person quits or ctx ends; an interrupt or a cancelled ctx is a normal
// end. It writes to the terminal only through Bubble Tea. When the event
// stream closes, the console says so and waits for the person to quit.
func Run(ctx context.Context, opts Options) error { return run(ctx, opts) }

func run(ctx context.Context, opts Options, extra ...tea.ProgramOption) error {
	m := New(opts)
	ctx, cancel := context.WithCancel(ctx)
	m.ctx = ctx
	defer func() {
		cancel() // ends a running import
		m.imports.Wait()
	}()
	po := []tea.ProgramOption{tea.WithContext(ctx)}
	switch opts.Colors {
	case Color16:
		po = append(po, tea.WithColorProfile(colorprofile.ANSI))
	case ColorNone:
		po = append(po, tea.WithColorProfile(colorprofile.Ascii))
	}
	_, err := tea.NewProgram(m, append(po, extra...)...).Run()
	switch {
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil, errors.Is(err, tea.ErrInterrupted):
		return nil
	}
	return err
}
