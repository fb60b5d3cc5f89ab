package timeline

import (
	"testing"
	"time"

	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/internal/golden"
)

func TestView(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	m := New(common.New(nil, nil, nil))
	m.SetSize(100)
	m.First, m.Last, m.Now = t0, t0.Add(8*time.Hour), t0.Add(2*time.Hour)
	m.Pos, m.Len, m.Speed = 2500, 10000, "10x"
	golden.Assert(t, "paused", m.View())
	m.Playing, m.Unknown, m.Now = true, 12, m.Last
	golden.Assert(t, "playing_end", m.View())
	m = New(common.New(nil, nil, nil))
	m.SetSize(30)
	golden.Assert(t, "narrow_empty", m.View())
}
