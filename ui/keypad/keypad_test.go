package keypad

import (
	"testing"

	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/internal/golden"
)

func TestDigitsAndClicks(t *testing.T) {
	m := New(common.New(nil, nil, nil))
	var got string
	for _, k := range []string{"1", "x", "#", "d"} {
		var cmd = func() {}
		_ = cmd
		m2, c := m.Update(common.Press(k))
		m = m2
		if c != nil {
			got += c().(DigitMsg).Digit
		}
	}
	// Click the 0 key: fourth row, second column.
	m, c := m.Click(6, 6)
	if c == nil {
		t.Fatal("click on 0 sent nothing")
	}
	got += c().(DigitMsg).Digit
	if got != "1#D0" {
		t.Errorf("sent %q", got)
	}
	golden.Assert(t, "keypad", m.View())
}
