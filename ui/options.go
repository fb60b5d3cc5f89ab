// Package ui is agentty's console: the agent, supervisor and kiosk screens
// built with Bubble Tea v2. The root Model owns the layout and the session
// state; each panel is its own package under ui/ (callpanel, queue, roster,
// contacts, statusbar, eventlog, picker, keypad, palette, kiosk).
//
// Data flows one way: events arrive on Options.Events, are applied with
// session.Apply in Update and drawn at most once per frame; a key becomes a
// session.Command, is checked with session.Check (a refusal is one sentence
// in the status bar, the chain goes to the Logger) and is handed to
// Options.Send in a tea.Cmd. Update and View never do I/O.
package ui

import (
	"context"
	"log/slog"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/contacts"
	"github.com/agentty/agentty/ui/queue"
)

// Contact is one entry of the contact directory.
type Contact = contacts.Contact

// Directory is the read side of the contact store; see contacts.Directory
// for its concurrency contract (called from Cmd goroutines).
type Directory = contacts.Directory

// GroupStats is one group's queue figures for the queue boards.
type GroupStats = queue.Stats

// KeyMap is every key of the console; see DefaultKeyMap and KeyMap.Rebind.
type KeyMap = common.KeyMap

// Styles is every style of the console; see DefaultStyles and StylesFrom.
type Styles = common.Styles

// Palette names the colours a config file may override.
type Palette = common.Palette

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap { return common.DefaultKeyMap() }

// DefaultStyles returns the default styles (16 ANSI colours).
func DefaultStyles() Styles { return common.DefaultStyles() }

// StylesFrom builds styles from a palette (config [colors]); empty entries
// keep the defaults.
func StylesFrom(p Palette) Styles { return common.StylesFrom(p) }

// ColorMode forces a colour depth; the default follows the terminal and
// NO_COLOR.
type ColorMode int

// Colour modes.
const (
	ColorAuto ColorMode = iota
	Color16
	ColorNone
)

// String returns auto, 16 or none.
func (c ColorMode) String() string {
	switch c {
	case Color16:
		return "16"
	case ColorNone:
		return "none"
	}
	return "auto"
}

// Options is everything the console needs from main. Only Events and Send
// are required.
type Options struct {
	// Role is the initial guess; the screen follows auth.result's role.
	Role session.Role
	// Backend is shown in the status bar ("local", "scripted (not the centre)").
	Backend string
	// Events is the vendor's event stream; it is closed at the end.
	Events <-chan session.Event
	// Send carries out one command. It is called from a tea.Cmd goroutine,
	// possibly concurrently with itself.
	Send func(context.Context, session.Command) error
	// Directory searches contacts and matches caller ID; may be nil.
	Directory Directory
	// Levels returns the microphone and speaker levels, 0..1; may be nil. Called from a Cmd goroutine at 10 Hz; it must be
	// a cheap snapshot (an atomic load).
	Levels func() (mic, speaker float64)
	// Devices lists and switches the sound devices of a backend whose
	// calls open them (the palette's devices); may be nil.
	Devices Devices
	// Queues returns the queue figures of every group the user can see;
	// when nil, the figures come from queue.stats events.
	// may be nil. Called from a Cmd goroutine once a second.
	Queues func() []GroupStats
	// Import imports a vCard file, reporting progress; may be nil. Called
	// from a goroutine of its own when a .vcf path is dropped (pasted) on
	// the terminal; progress may be called from any goroutine.
	Import func(ctx context.Context, path string, progress func(done, total int)) error
	// Reasons are the not-ready and rest reasons offered by the picker; a
	// reason may also be typed.
	Reasons []string
	// Lang is the kiosk's language.
	Lang session.Lang
	// KeyMap and Styles default to DefaultKeyMap and DefaultStyles when nil.
	KeyMap *KeyMap
	Styles *Styles
	// Colors forces 16 colours or none; the default follows the terminal.
	Colors ColorMode
	// Logger gets the full error chains; default discards.
	Logger *slog.Logger
	// Now is the clock for timers; default time.Now. It is read in Cmd
	// goroutines only, and its reading arrives in Update as a tick.
	Now func() time.Time
	// Replay, when set, makes the console a read-only player of a journal:
	// the footer is its timeline and its keys come first. An event of type
	// ResetType on Events drops the state (a seek backwards).
	Replay Replay
}

// Replay is the timeline of `agentty replay`. Key and Status are called
// from Update: they must not block.
type Replay interface {
	// Key carries out a timeline key and reports whether it was one.
	Key(k string) bool
	// Status is the timeline line.
	Status() string
}

// ResetType is the event type that drops the console's state.
const ResetType session.EventType = "replay.reset"

// DefaultReasons are offered when Options.Reasons is empty.
var DefaultReasons = []string{"break", "lunch", "meeting", "training", "paperwork", "personal"}
