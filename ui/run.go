package ui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// Run shows the console full-screen until the person quits, ctx ends or the
// event stream closes and the person quits. It writes to the terminal only
// through Bubble Tea.
func Run(ctx context.Context, opts Options) error {
	m := New(opts)
	m.ctx = ctx
	po := []tea.ProgramOption{tea.WithContext(ctx)}
	switch opts.Colors {
	case Color16:
		po = append(po, tea.WithColorProfile(colorprofile.ANSI))
	case ColorNone:
		po = append(po, tea.WithColorProfile(colorprofile.Ascii))
	}
	_, err := tea.NewProgram(m, po...).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}
