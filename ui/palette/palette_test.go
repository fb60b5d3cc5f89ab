package palette

import (
	"testing"

	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/internal/golden"
)

func TestCompleteAndRun(t *testing.T) {
	if Complete("tra") != "transfer " || Complete("re") != "" || Complete("dial x") != "" {
		t.Errorf("complete: %q %q", Complete("tra"), Complete("re"))
	}
	m := New(common.New(nil, nil, nil))
	m.SetSize(80, 2)
	for _, k := range []string{"t", "r", "tab", "g"} {
		m, _ = m.Update(common.Press(k))
	}
	golden.Assert(t, "transfer", m.View())
	_, cmd := m.Update(common.Press("enter"))
	if r := cmd().(RunMsg); r.Line != "transfer g" {
		t.Errorf("ran %q", r.Line)
	}
}
