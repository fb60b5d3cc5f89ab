package picker

import (
	"testing"

	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/internal/golden"
)

func TestFilterChooseAndFreeText(t *testing.T) {
	items := []Item{{"group  Sales", "group:sales"}, {"group  Support", "group:support"}, {"agent  Ana", "agent:ana"}}
	m := New(common.New(nil, nil, nil), "transfer", "Transfer to…", items)
	m.FreeText = func(s string) bool { return s[0] == '+' }
	m.SetSize(40, 8)
	golden.Assert(t, "all", m.View())
	for _, k := range []string{"s", "u", "down"} {
		m, _ = m.Update(common.Press(k))
	}
	golden.Assert(t, "filtered", m.View())
	_, cmd := m.Update(common.Press("enter"))
	if c := cmd().(ChosenMsg); c.Value != "group:support" || c.Purpose != "transfer" {
		t.Errorf("chose %+v", c)
	}
	m = New(common.New(nil, nil, nil), "transfer", "Transfer to…", items)
	m.FreeText = func(s string) bool { return s[0] == '+' }
	m.SetSize(40, 8)
	for _, k := range []string{"+", "1", "5"} {
		m, _ = m.Update(common.Press(k))
	}
	golden.Assert(t, "free", m.View())
	_, cmd = m.Update(common.Press("enter"))
	if c := cmd().(ChosenMsg); c.Value != "+15" {
		t.Errorf("chose %+v", c)
	}
}
