package common

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
)

// KeyMap is every key of the console. Each binding's help text is what the
// footer and the help screen show, so rebinding a key changes them too.
type KeyMap struct {
	// Calls.
	Answer, Reject, Hangup, Hold, Transfer, Keypad, Mute, Record key.Binding
	// Consultation: consult, then complete, conference or cancel it.
	Consult, Complete, Conference, Cancel key.Binding
	// Agent state.
	Ready, NotReady, Rest, CheckIn, CheckOut, Done, Disposition key.Binding
	// Supervisor actions on the selected agent.
	Listen, Whisper, Barge, Intercept, Pause, Restore, Logout, Sort key.Binding
	// Kiosk.
	Call, Leave, Callback key.Binding
	// Navigation and tools.
	Up, Down, PageUp, PageDown, Enter, Back, Focus, Search, Palette, Help, Quit key.Binding
}

func b(keys []string, help, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// DefaultKeyMap returns the default keys: one letter per command, chosen to
// be guessable (a answer, r reject, e end, h hold, t transfer).
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Answer:      b([]string{"a"}, "a", "answer"),
		Reject:      b([]string{"r"}, "r", "reject"),
		Hangup:      b([]string{"e"}, "e", "end call"),
		Hold:        b([]string{"h"}, "h", "hold"),
		Transfer:    b([]string{"t"}, "t", "transfer"),
		Keypad:      b([]string{"k"}, "k", "keypad"),
		Consult:     b([]string{"T"}, "T", "consult"),
		Complete:    b([]string{"Y"}, "Y", "complete transfer"),
		Conference:  b([]string{"J"}, "J", "conference"),
		Cancel:      b([]string{"X"}, "X", "cancel consult"),
		Mute:        b([]string{"m"}, "m", "mute"),
		Record:      b([]string{"R"}, "R", "record"),
		Ready:       b([]string{"g"}, "g", "go ready"),
		NotReady:    b([]string{"n"}, "n", "not ready"),
		Rest:        b([]string{"z"}, "z", "rest"),
		CheckIn:     b([]string{"i"}, "i", "check in"),
		CheckOut:    b([]string{"o"}, "o", "check out"),
		Done:        b([]string{"d"}, "d", "done (end wrap-up)"),
		Disposition: b([]string{"c"}, "c", "disposition code"),
		Listen:      b([]string{"l"}, "l", "listen"),
		Whisper:     b([]string{"w"}, "w", "whisper"),
		Barge:       b([]string{"b"}, "b", "barge"),
		Intercept:   b([]string{"x"}, "x", "intercept"),
		Pause:       b([]string{"p"}, "p", "pause"),
		Restore:     b([]string{"u"}, "u", "restore"),
		Logout:      b([]string{"O"}, "O", "log out agent"),
		Sort:        b([]string{"s"}, "s", "sort"),
		Call:        b([]string{"enter", "space"}, "enter", "call"),
		Leave:       b([]string{"esc"}, "esc", "leave"),
		Callback:    b([]string{"c"}, "c", "call me back"),
		Up:          b([]string{"up", "ctrl+p"}, "↑", "up"),
		Down:        b([]string{"down", "ctrl+n"}, "↓", "down"),
		PageUp:      b([]string{"pgup"}, "pgup", "page up"),
		PageDown:    b([]string{"pgdown"}, "pgdn", "page down"),
		Enter:       b([]string{"enter"}, "enter", "choose"),
		Back:        b([]string{"esc"}, "esc", "back"),
		Focus:       b([]string{"tab"}, "tab", "next pane"),
		Search:      b([]string{"/"}, "/", "search"),
		Palette:     b([]string{":"}, ":", "command"),
		Help:        b([]string{"?"}, "?", "help"),
		Quit:        b([]string{"q", "ctrl+c"}, "q", "quit"),
	}
}

// Named returns every binding by its config name (answer, reject, ...).
func (k *KeyMap) Named() map[string]*key.Binding {
	return map[string]*key.Binding{
		"answer": &k.Answer, "reject": &k.Reject, "hangup": &k.Hangup, "hold": &k.Hold,
		"transfer": &k.Transfer, "keypad": &k.Keypad, "mute": &k.Mute,
		"consult": &k.Consult, "complete": &k.Complete, "conference": &k.Conference, "cancel": &k.Cancel,
		"ready": &k.Ready, "notready": &k.NotReady, "rest": &k.Rest, "checkin": &k.CheckIn,
		"checkout": &k.CheckOut, "done": &k.Done, "disposition": &k.Disposition,
		"listen": &k.Listen, "whisper": &k.Whisper, "barge": &k.Barge, "intercept": &k.Intercept,
		"pause": &k.Pause, "restore": &k.Restore, "logout": &k.Logout, "sort": &k.Sort,
		"call": &k.Call, "leave": &k.Leave, "callback": &k.Callback, "record": &k.Record,
		"up": &k.Up, "down": &k.Down, "pageup": &k.PageUp, "pagedown": &k.PageDown,
		"enter": &k.Enter, "back": &k.Back, "focus": &k.Focus, "search": &k.Search,
		"palette": &k.Palette, "help": &k.Help, "quit": &k.Quit,
	}
}

// Rebind sets the keys of named bindings, as a config file's [keys] table
// gives them (answer = ["a", "F5"]). The first key becomes the one shown.
// An unknown name is an error; the other names are still applied.
func (k *KeyMap) Rebind(keys map[string][]string) error {
	named := k.Named()
	var bad []string
	for name, ks := range keys {
		bd, ok := named[strings.ToLower(name)]
		if !ok || len(ks) == 0 {
			bad = append(bad, name)
			continue
		}
		bd.SetKeys(ks...)
		bd.SetHelp(ks[0], bd.Help().Desc)
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return fmt.Errorf("ui: keys: unknown or empty binding(s) %s", strings.Join(bad, ", "))
	}
	return nil
}
