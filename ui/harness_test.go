package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/internal/golden"
	"github.com/agentty/agentty/vendors/fake"
)

// clock is an injected clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness drives the root model's Update directly against the scripted
// backend: keys run their Cmds at once (they are sends, searches and
// choices, none of which block); events are drained from the backend and
// fed as one batch, followed by a frame tick.
type harness struct {
	t    *testing.T
	m    Model
	v    *fake.Vendor
	clk  *clock
	quit bool
}

func newHarness(t *testing.T, role session.Role, mod func(*Options)) *harness {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
	return newHarnessOn(t, fake.New(clk, role, fake.ValidToken), clk, role, mod)
}

// newHarnessOn is newHarness on a scripted backend of the caller's.
func newHarnessOn(t *testing.T, v *fake.Vendor, clk *clock, role session.Role, mod func(*Options)) *harness {
	t.Helper()
	t.Cleanup(func() { v.Close() })
	// The harness drains the backend's events itself, so the model gets no
	// channel and draws after every batch.
	o := Options{Role: role, Backend: "scripted (not the centre)", Send: v.Send, Now: clk.Now}
	if mod != nil {
		mod(&o)
	}
	h := &harness{t: t, v: v, clk: clk, m: New(o)}
	h.m.syncFrames = true
	h.feed(tea.WindowSizeMsg{Width: 100, Height: 30})
	if err := v.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.drain()
	return h
}

// feed runs one message through Update and runs the Cmds it returns, unless
// they are the event pump or a clock (those the harness plays itself).
func (h *harness) feed(msg tea.Msg) {
	h.t.Helper()
	m, cmd := h.m.Update(msg)
	h.m = m.(Model)
	if _, isTick := msg.(tickMsg); isTick {
		return
	}
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case tea.QuitMsg:
		h.quit = true
	default:
		h.feed(msg)
	}
	h.drain()
}

// drain feeds every event the backend has produced, then a frame tick.
func (h *harness) drain() {
	h.t.Helper()
	var evs []session.Event
	for {
		select {
		case e, ok := <-h.v.Events():
			if !ok {
				h.feedEvents(evs, true)
				return
			}
			evs = append(evs, e)
			continue
		default:
		}
		break
	}
	if len(evs) > 0 {
		h.feedEvents(evs, false)
	}
}

func (h *harness) feedEvents(evs []session.Event, closed bool) {
	h.feed(eventsMsg{events: evs, closed: closed})
}

func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.feed(common.Press(k))
	}
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.feed(common.Press(string(r)))
	}
}

func (h *harness) tick(d time.Duration) {
	h.clk.Advance(d)
	h.feed(tickMsg{At: h.clk.Now()})
}

func (h *harness) screen() string { return golden.Clean(h.m.View().Content) }

func (h *harness) golden(name string) { h.t.Helper(); golden.Assert(h.t, name, h.m.View().Content) }

func (h *harness) want(subs ...string) {
	h.t.Helper()
	s := h.screen()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			h.t.Fatalf("screen lacks %q:\n%s", sub, s)
		}
	}
}

func (h *harness) wantNot(subs ...string) {
	h.t.Helper()
	s := h.screen()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			h.t.Fatalf("screen shows %q:\n%s", sub, s)
		}
	}
}

func (h *harness) click(x, y int) {
	h.feed(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
}
