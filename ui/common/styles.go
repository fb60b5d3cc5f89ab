package common

import (
	"fmt"
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles is every style the console draws with. Colours are the 16 ANSI
// colours by default, so a 16-colour terminal looks as intended; the
// renderer drops colour altogether under NO_COLOR, and selection uses
// reverse video, which survives that.
type Styles struct {
	Border, BorderFocused lipgloss.Style
	Title                 lipgloss.Style
	Muted                 lipgloss.Style // secondary text
	Key                   lipgloss.Style // a key in the footer and help
	Desc                  lipgloss.Style // its description
	Selected              lipgloss.Style // the selected row
	Error                 lipgloss.Style // the status sentence after a refusal
	Info                  lipgloss.Style // the status sentence otherwise
	Good, Warn, Bad       lipgloss.Style // ready / not ready, rest, wrap-up / offline, trouble
	Busy                  lipgloss.Style // on a call
	Ringing               lipgloss.Style
	Big                   lipgloss.Style // the kiosk's headline
	Bar                   lipgloss.Style // the top status bar
}

// Palette names the colours a config file may override.
type Palette struct {
	Accent, Muted, Good, Warn, Bad, Busy, Text string
}

// DefaultPalette uses ANSI colour numbers.
func DefaultPalette() Palette {
	return Palette{Accent: "6", Muted: "8", Good: "2", Warn: "3", Bad: "1", Busy: "5", Text: "7"}
}

// DefaultStyles returns the styles of DefaultPalette.
func DefaultStyles() Styles { return StylesFrom(DefaultPalette()) }

// StylesFrom builds the styles from a palette; an empty entry keeps the
// default.
func StylesFrom(p Palette) Styles {
	d := DefaultPalette()
	pick := func(s, def string) color.Color {
		if s == "" {
			s = def
		}
		return lipgloss.Color(s)
	}
	acc, mut := pick(p.Accent, d.Accent), pick(p.Muted, d.Muted)
	good, warn, bad := pick(p.Good, d.Good), pick(p.Warn, d.Warn), pick(p.Bad, d.Bad)
	busy := pick(p.Busy, d.Busy)
	n := lipgloss.NewStyle
	return Styles{
		Border:        n().Foreground(mut),
		BorderFocused: n().Foreground(acc),
		Title:         n().Bold(true),
		Muted:         n().Foreground(mut),
		Key:           n().Bold(true).Foreground(acc),
		Desc:          n(),
		Selected:      n().Reverse(true),
		Error:         n().Bold(true).Foreground(bad),
		Info:          n().Foreground(acc),
		Good:          n().Bold(true).Foreground(good),
		Warn:          n().Bold(true).Foreground(warn),
		Bad:           n().Bold(true).Foreground(bad),
		Busy:          n().Bold(true).Foreground(busy),
		Ringing:       n().Bold(true).Blink(true).Foreground(warn),
		Big:           n().Bold(true),
		Bar:           n().Bold(true),
	}
}

// SetColor overrides one palette entry by its config name (accent, muted,
// good, warn, bad, busy, text).
func (p *Palette) SetColor(name, value string) error {
	switch name {
	case "accent":
		p.Accent = value
	case "muted":
		p.Muted = value
	case "good":
		p.Good = value
	case "warn":
		p.Warn = value
	case "bad":
		p.Bad = value
	case "busy":
		p.Busy = value
	case "text":
		p.Text = value
	default:
		return fmt.Errorf("ui: unknown colour %q (want accent, muted, good, warn, bad, busy or text)", name)
	}
	return nil
}
