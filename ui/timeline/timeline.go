// Package timeline is the replay's bar: where the replay stands between
// the journal's first and last events, whether it plays and how fast, and
// the keys that pause, step and seek. It draws one line and holds no
// clock: the replay sets its fields.
package timeline

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/agentty/agentty/ui/common"
)

// KeyMap are the replay's keys.
type KeyMap struct {
	Play, StepOn, StepBack, SeekOn, SeekBack, LongOn, LongBack, Start, End, Faster, Slower, Quit key.Binding
}

// DefaultKeyMap returns the replay's default keys. They avoid the
// console's own letters (g ready, h hold, l listen...), which a replay
// passes on to the console, where they are refused.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Play:     key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "play/pause")),
		StepOn:   key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "step")),
		StepBack: key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "back")),
		SeekOn:   key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "+1 min")),
		SeekBack: key.NewBinding(key.WithKeys("["), key.WithHelp("[", "-1 min")),
		LongOn:   key.NewBinding(key.WithKeys("}"), key.WithHelp("}", "+10 min")),
		LongBack: key.NewBinding(key.WithKeys("{"), key.WithHelp("{", "-10 min")),
		Start:    key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "start")),
		End:      key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "end")),
		Faster:   key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+", "faster")),
		Slower:   key.NewBinding(key.WithKeys("-"), key.WithHelp("-", "slower")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// Model is the bar.
type Model struct {
	common.Common
	Keys        KeyMap
	First, Last time.Time // the journal's span
	Now         time.Time // the replay's time
	Pos, Len    int       // entries applied, entries in all
	Playing     bool
	Speed       string // "1x", "10x", "max"
	Unknown     int    // lines of types this version does not know
	width       int
}

// New returns a bar with the default keys.
func New(c common.Common) Model {
	return Model{Common: c, Keys: DefaultKeyMap(), Speed: "1x", width: 80}
}

// SetSize sets the width the bar fills.
func (m *Model) SetSize(w int) { m.width = max(w, 20) }

// Help returns the bindings the bar's footer shows.
func (m Model) Help() []key.Binding {
	k := m.Keys
	return []key.Binding{k.Play, k.StepOn, k.StepBack, k.SeekBack, k.SeekOn, k.Faster, k.Slower, k.Quit}
}

// View draws the bar: state, time, a track with the replay's place, and
// the count of entries; a second line lists the keys.
func (m Model) View() string {
	st := m.Styles
	mark := "❚❚"
	if m.Playing {
		mark = "▶ "
	}
	left := fmt.Sprintf("REPLAY %s %-4s %s ", mark, m.Speed, clock(m.Now))
	right := fmt.Sprintf(" %s  %d/%d", clock(m.Last), m.Pos, m.Len)
	if m.Unknown > 0 {
		right += fmt.Sprintf("  %d unknown", m.Unknown)
	}
	track := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	bar := ""
	if track >= 5 {
		at := 0
		if span := m.Last.Sub(m.First); span > 0 {
			at = int(float64(track-1) * float64(m.Now.Sub(m.First)) / float64(span))
		} else if m.Len > 0 {
			at = (track - 1) * m.Pos / m.Len
		}
		at = max(0, min(at, track-1))
		bar = strings.Repeat("━", at) + "●" + strings.Repeat("─", track-1-at)
	}
	var help []string
	for _, b := range m.Help() {
		help = append(help, st.Key.Render(b.Help().Key)+" "+st.Desc.Render(b.Help().Desc))
	}
	line2 := strings.Join(help, "  ")
	if lipgloss.Width(line2) > m.width {
		line2 = lipgloss.NewStyle().MaxWidth(m.width).Render(line2)
	}
	return st.Title.Render(left) + st.Muted.Render(bar) + st.Title.Render(right) + "\n" + line2
}

// Height is how many lines View draws.
const Height = 2

func clock(t time.Time) string {
	if t.IsZero() {
		return "--:--:--"
	}
	return t.Format("15:04:05")
}
