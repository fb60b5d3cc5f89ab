package common

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func TestClock(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0:00", 83 * time.Second: "1:23", 3723 * time.Second: "1:02:03", -time.Second: "0:00"} {
		if got := Clock(d); got != want {
			t.Errorf("Clock(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestBoxIsExactSize(t *testing.T) {
	st := DefaultStyles()
	b := Box(&st, "Title that is far too long for the box", "a\nvery long line of content that overflows", 20, 5, false)
	lines := strings.Split(b, "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w != 20 {
			t.Errorf("line %q is %d wide", ansi.Strip(l), w)
		}
	}
}

func TestSparklineAndBar(t *testing.T) {
	if got := Sparkline([]float64{0, 1, 2, 4}, 6); got != "  ▁▂▄█" {
		t.Errorf("sparkline = %q", got)
	}
	if got := Sparkline([]float64{1, 9, 1, 1, 1, 1}, 3); got != "█▁▁" {
		t.Errorf("squeezed sparkline = %q", got)
	}
	if got := Bar(0.5, 4); got != "██░░" {
		t.Errorf("bar = %q", got)
	}
	if Level(-60) != 0 || Level(0.5) != 0.5 || Level(-30) != 0.5 {
		t.Errorf("levels %v %v %v", Level(-60), Level(0.5), Level(-30))
	}
}

func TestHintsKeepTail(t *testing.T) {
	st := DefaultStyles()
	km := DefaultKeyMap()
	s, z := Hints(&st, 30, 2, km.Answer, km.Reject, km.Transfer, km.Help, km.Quit)
	if got := ansi.Strip(s); got != "a answer  ? help  q quit" {
		t.Errorf("hints = %q", got)
	}
	if ZoneAt(z, 0) != "a" || ZoneAt(z, 11) != "?" || ZoneAt(z, 9) != "" {
		t.Errorf("zones %v", z)
	}
}

func TestPressAndInput(t *testing.T) {
	for _, k := range []string{"a", "O", "enter", "esc", "ctrl+c", "space", "?"} {
		if got := Press(k).String(); got != k && !(k == "space" && got == "space") {
			t.Errorf("Press(%q).String() = %q", k, got)
		}
	}
	in := Input{Prompt: "> ", Focused: true}
	for _, k := range []string{"a", "b", "backspace", "c"} {
		in.Update(Press(k))
	}
	if in.Value != "ac" {
		t.Errorf("value %q", in.Value)
	}
	st := DefaultStyles()
	if got := ansi.Strip(in.View(&st, 6)); got != "> ac█ " {
		t.Errorf("view %q", got)
	}
}
