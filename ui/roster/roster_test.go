package roster

import (
	"fmt"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/internal/golden"
)

var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func roster(n int) map[string]session.RosterEntry {
	r := map[string]session.RosterEntry{}
	for i := range n {
		st := session.AgentStates[i%len(session.AgentStates)]
		e := session.RosterEntry{ID: fmt.Sprintf("a%04d", i), Name: fmt.Sprintf("Agent %04d", i), State: st,
			Since: t0.Add(-time.Duration(i) * time.Second), Groups: []string{[]string{"sales", "support", "vip"}[i%3]}}
		if st == session.AgentBusy {
			e.Call = fmt.Sprintf("c%d", i)
		}
		if st == session.AgentNotReady {
			e.Reason = "lunch"
		}
		r[e.ID] = e
	}
	return r
}

func TestViewFilterSortSelect(t *testing.T) {
	m := New(common.New(nil, nil, nil))
	m.SetSize(90, 10)
	r := roster(2000)
	m.Refresh(r, t0)
	golden.Assert(t, "by_state", m.View())

	m, _ = m.Update(common.Press("s"))
	m.Refresh(r, t0)
	m, _ = m.Update(common.Press("down"))
	m, _ = m.Update(common.Press("pgdown"))
	golden.Assert(t, "by_name_paged", m.View())
	sel, _ := m.Selected()
	// The selection followed Agent 1997 (first by state) into the new
	// order, then moved down one and a page, to the end.
	if sel.ID != "a1999" {
		t.Errorf("selected %s after down + page down", sel.ID)
	}
	// The selection stays on the agent when the rows re-sort.
	r["a0000"] = session.RosterEntry{ID: "a0000", Name: "Zed", State: session.AgentReady}
	m.Refresh(r, t0)
	if s2, _ := m.Selected(); s2.ID != sel.ID {
		t.Errorf("selection moved to %s", s2.ID)
	}

	m, _ = m.Update(common.Press("/"))
	for _, k := range []string{"v", "i", "p"} {
		m, _ = m.Update(common.Press(k))
	}
	m.Refresh(r, t0)
	m, _ = m.Update(common.Press("enter"))
	golden.Assert(t, "filtered", m.View())
	if shown, total := m.Len(); total != 2000 || shown == 0 || shown > 2000/3 {
		t.Errorf("shown %d of %d", shown, total)
	}
	m.Click(3)
	if s, _ := m.Selected(); s.ID != m.row(m.offset+1).ID {
		t.Errorf("click selected %s", s.ID)
	}
}

// BenchmarkRefreshView is one frame of a 2,000-agent roster: rebuild the
// rows and draw the visible window.
func BenchmarkRefreshView(b *testing.B) {
	m := New(common.New(nil, nil, nil))
	m.SetSize(160, 50)
	r := roster(2000)
	b.ReportAllocs()
	for b.Loop() {
		m.Refresh(r, t0)
		_ = m.View()
	}
}
