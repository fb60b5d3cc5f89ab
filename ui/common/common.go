// Package common holds what every widget of the console shares: the window
// size a widget was given, the styles, the key map, the logger and the
// drawing helpers (boxes, bars, sparklines, durations). Widgets embed Common.
package common

import (
	"log/slog"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// Common is embedded by every component. It is a value; the root copies it
// into each child with the child's own size.
type Common struct {
	Width, Height int
	Styles        *Styles
	Keys          *KeyMap
	Logger        *slog.Logger
}

// New returns a Common with the given styles, keys and logger; nil ones get
// the defaults and a discarding logger.
func New(st *Styles, km *KeyMap, log *slog.Logger) Common {
	if st == nil {
		s := DefaultStyles()
		st = &s
	}
	if km == nil {
		k := DefaultKeyMap()
		km = &k
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return Common{Styles: st, Keys: km, Logger: log}
}

// SetSize records the size a component may draw in.
func (c *Common) SetSize(w, h int) { c.Width, c.Height = max(w, 0), max(h, 0) }

// Fit truncates or pads s (which may hold ANSI styles) to exactly w cells.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if n := ansi.StringWidth(s); n > w {
		return ansi.Truncate(s, w, "…")
	} else if n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// Lines splits s and returns exactly h lines, each fitted to w cells.
func Lines(s string, w, h int) []string {
	w, h = max(w, 0), max(h, 0)
	var in []string
	if s != "" {
		in = strings.Split(s, "\n")
	}
	out := make([]string, h)
	for i := range out {
		if i < len(in) {
			out[i] = Fit(in[i], w)
		} else {
			out[i] = strings.Repeat(" ", max(w, 0))
		}
	}
	return out
}

// Block fits s into a w x h rectangle.
func Block(s string, w, h int) string { return strings.Join(Lines(s, w, h), "\n") }

// Box draws content in a rounded frame of exactly w x h cells with the
// title in the top edge and one blank column each side: content gets
// (w-4) x (h-2) cells. A focused box uses the focused border style.
func Box(st *Styles, title, content string, w, h int, focused bool) string {
	if w < 4 || h < 2 {
		return Block("", w, h)
	}
	bs := st.Border
	if focused {
		bs = st.BorderFocused
	}
	t := ""
	if title != "" {
		t = " " + ansi.Truncate(title, w-6, "…") + " "
	}
	top := bs.Render("╭─") + st.Title.Render(t) + bs.Render(strings.Repeat("─", max(w-3-ansi.StringWidth(t), 0))+"╮")
	var b strings.Builder
	b.WriteString(top)
	side := bs.Render("│")
	for _, l := range Lines(content, w-4, h-2) {
		b.WriteString("\n" + side + " " + l + " " + side)
	}
	b.WriteString("\n" + bs.Render("╰"+strings.Repeat("─", w-2)+"╯"))
	return b.String()
}

// SideBySide joins equal-height blocks left to right.
func SideBySide(blocks ...string) string {
	var cols [][]string
	h := 0
	for _, b := range blocks {
		l := strings.Split(b, "\n")
		cols = append(cols, l)
		h = max(h, len(l))
	}
	var sb strings.Builder
	for i := range h {
		if i > 0 {
			sb.WriteByte('\n')
		}
		for _, c := range cols {
			if i < len(c) {
				sb.WriteString(c[i])
			}
		}
	}
	return sb.String()
}

// Clock formats d as m:ss, or h:mm:ss from an hour.
func Clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d / time.Second)
	if s >= 3600 {
		return itoa(s/3600) + ":" + pad2(s/60%60) + ":" + pad2(s%60)
	}
	return itoa(s/60) + ":" + pad2(s%60)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Bar draws a meter of w cells filled to frac (0..1).
func Bar(frac float64, w int) string {
	if w <= 0 {
		return ""
	}
	frac = min(max(frac, 0), 1)
	n := int(frac*float64(w) + 0.5)
	return strings.Repeat("█", n) + strings.Repeat("░", w-n)
}

var sparks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws vs in w cells scaled to their maximum, squeezing a longer
// series into buckets; a short history is right-aligned.
func Sparkline(vs []float64, w int) string {
	if w <= 0 {
		return ""
	}
	if len(vs) > w {
		// Squeeze the series into w buckets, keeping each bucket's peak.
		b := make([]float64, w)
		for i, v := range vs {
			j := i * w / len(vs)
			b[j] = max(b[j], v)
		}
		vs = b
	}
	hi := 0.0
	for _, v := range vs {
		hi = max(hi, v)
	}
	out := make([]rune, 0, w)
	for range w - len(vs) {
		out = append(out, ' ')
	}
	for _, v := range vs {
		i := 0
		if hi > 0 {
			i = int(v / hi * float64(len(sparks)-1))
		}
		out = append(out, sparks[min(max(i, 0), len(sparks)-1)])
	}
	return string(out)
}

// Level turns a VU level into 0..1: values at or below 0 are dBFS (-60..0),
// values in (0, 1] are taken as they are.
func Level(v float64) float64 {
	if v > 0 {
		return min(v, 1)
	}
	if v < -60 {
		return 0
	}
	if v == 0 {
		return 0
	}
	return (v + 60) / 60
}
