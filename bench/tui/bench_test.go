package main

import (
	"context"
	"runtime"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui"
)

var (
	dirOnce sync.Once
	bigDir  *memDir
)

// BenchmarkFirstFrame: building the console draws its first frame.
func BenchmarkFirstFrame(b *testing.B) {
	for b.Loop() {
		m := ui.New(ui.Options{Role: session.RoleAgent, Send: func(context.Context, session.Command) error { return nil }})
		_ = m.View()
	}
}

// BenchmarkContactsKeystroke: one key typed in the contacts pane over
// 250,000 contacts, to the frame with its results.
func BenchmarkContactsKeystroke(b *testing.B) {
	dirOnce.Do(func() { bigDir = newMemDir(250000) })
	var m tea.Model = ui.New(ui.Options{Role: session.RoleAgent, Directory: bigDir,
		Send: func(context.Context, session.Command) error { return nil }})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 160, Height: 50})
	m, _ = m.Update(tea.KeyPressMsg{Code: '/', Text: "/"})
	runtime.GC()
	text := []rune("maria garcia")
	i := 0
	for b.Loop() {
		k := tea.KeyPressMsg{Code: text[i%len(text)], Text: string(text[i%len(text)])}
		if i%len(text) == 0 {
			m, _ = m.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
		}
		i++
		var cmd tea.Cmd
		m, cmd = m.Update(k)
		if cmd != nil {
			m, _ = m.Update(cmd())
		}
		_ = m.View()
	}
}
