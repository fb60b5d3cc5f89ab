package queue

import (
	"testing"
	"time"

	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/internal/golden"
)

func TestView(t *testing.T) {
	h := NewHistory(300)
	for i := range 120 {
		h.Add([]Stats{{Group: "sales", Waiting: i % 7}, {Group: "support", Waiting: i / 20}})
	}
	stats := []Stats{
		{Group: "sales", Waiting: 4, LongestWait: 95 * time.Second, ServiceLevel: 0.82, Agents: 12, Needed: 14},
		{Group: "calm", ServiceLevel: 1, Agents: 5, Needed: 3},
		{Group: "support", Waiting: 0, ServiceLevel: -1, Agents: 3},
		{Group: "a-very-long-group-name", Waiting: 1, LongestWait: time.Hour, ServiceLevel: 1, Agents: 1},
	}
	for name, trend := range map[string]bool{"board": false, "board_trend": true} {
		t.Run(name, func(t *testing.T) {
			m := New(common.New(nil, nil, nil), trend)
			m.SetSize(80, 5)
			m.SetStats(stats, h)
			m, _ = m.Update(nil)
			golden.Assert(t, name, m.View())
		})
	}
	m := New(common.New(nil, nil, nil), false)
	m.SetSize(40, 2)
	golden.Assert(t, "empty", m.View())
	// Waiting callbacks get a column of their own while any group has one.
	cb := New(common.New(nil, nil, nil), true)
	cb.SetSize(80, 3)
	cb.SetStats([]Stats{{Group: "sales", Waiting: 3, Callbacks: 2, LongestWait: 95 * time.Second, ServiceLevel: 0.5, Agents: 2, Needed: 3},
		{Group: "support", ServiceLevel: -1, Agents: 1}}, h)
	cb, _ = cb.Update(nil)
	golden.Assert(t, "board_callbacks", cb.View())
}

func TestHistoryBounded(t *testing.T) {
	h := NewHistory(3)
	for i := range 10 {
		h.Add([]Stats{{Group: "g", Waiting: i}})
	}
	if s := h.Series("g"); len(s) != 3 || s[0] != 7 {
		t.Errorf("series %v", s)
	}
}
