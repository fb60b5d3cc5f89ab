package replayer

import (
	"bytes"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/replay"
	"github.com/agentty/agentty/replay/replaytest"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui"
)

func player(t *testing.T) *replay.Player {
	l, err := journal.Read(bytes.NewReader(replaytest.Day(1500, 4, 5)))
	if err != nil {
		t.Fatal(err)
	}
	return replay.New(l, l.Entries[0].At.Add(-1), l.Entries[len(l.Entries)-1].At)
}

func press(t *testing.T, m Model, k string) (Model, tea.Cmd) {
	t.Helper()
	code := []rune(k)[0]
	msg := tea.KeyPressMsg{Code: code, Text: k}
	switch k {
	case "space":
		msg = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "right":
		msg = tea.KeyPressMsg{Code: tea.KeyRight}
	case "left":
		msg = tea.KeyPressMsg{Code: tea.KeyLeft}
	case "end":
		msg = tea.KeyPressMsg{Code: tea.KeyEnd}
	case "home":
		msg = tea.KeyPressMsg{Code: tea.KeyHome}
	}
	mm, cmd := m.Update(msg)
	return mm.(Model), cmd
}

// TestReplayConsole: the supervisor's screen replayed, stepped, sought to
// the end and back; commands are refused; the play clock applies entries.
func TestReplayConsole(t *testing.T) {
	p := player(t)
	m := New(ui.Options{Role: session.RoleSupervisor}, p, "sup", 10, false)
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = mm.(Model)
	if !strings.Contains(m.View().Content, "REPLAY ❚❚ 10x") {
		t.Fatalf("no timeline:\n%s", m.View().Content)
	}
	m, _ = press(t, m, "right")
	if p.Pos() != 1 {
		t.Fatalf("step: at %d", p.Pos())
	}
	m, _ = press(t, m, "end")
	if p.Pos() != p.Len() {
		t.Fatalf("end: at %d of %d", p.Pos(), p.Len())
	}
	end := m.Inner().State()
	if end.Role != session.RoleSupervisor || len(end.Roster) != 5 {
		t.Fatalf("supervisor's state at the end: role %s roster %d", end.Role, len(end.Roster))
	}
	if !strings.Contains(m.View().Content, "Agent 3") {
		t.Errorf("roster not on screen:\n%s", m.View().Content)
	}
	m, _ = press(t, m, "home")
	m, _ = press(t, m, "end")
	if got := m.Inner().State(); len(got.Roster) != len(end.Roster) || got.Agent != end.Agent {
		t.Errorf("seek back and forth changed the end state")
	}
	// A console key reaches the console, whose command is refused.
	m, _ = press(t, m, "home")
	m, cmd := press(t, m, "p") // pause an agent: asks whom, or is refused
	_ = cmd
	// Play at max speed: each clock tick applies a batch.
	m.speed = replay.Max
	m, cmd = press(t, m, "space")
	if cmd == nil || !m.playing {
		t.Fatal("space did not start playing")
	}
	for i := 0; m.playing && i < 100; i++ {
		mm, _ := m.Update(playMsg{gen: m.gen})
		m = mm.(Model)
	}
	if p.Pos() != p.Len() || m.playing {
		t.Errorf("max speed stopped at %d of %d (playing %v)", p.Pos(), p.Len(), m.playing)
	}
	// A stale clock tick does nothing.
	m, _ = press(t, m, "home")
	mm, _ = m.Update(playMsg{gen: m.gen - 1})
	if mm.(Model).p.Pos() != 0 {
		t.Error("a stale tick moved the replay")
	}
}

func TestSpeeds(t *testing.T) {
	if faster(10) != 30 || faster(300) != replay.Max || faster(replay.Max) != replay.Max {
		t.Errorf("faster: %v %v %v", faster(10), faster(300), faster(replay.Max))
	}
	if slower(replay.Max) != 300 || slower(1) != 0.5 || slower(0.5) != 0.5 {
		t.Errorf("slower: %v %v %v", slower(replay.Max), slower(1), slower(0.5))
	}
}
