package contacts

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/internal/golden"
)

type dir []Contact

func (d dir) Search(q string, limit int) ([]Contact, error) {
	if q == "boom" {
		return nil, errors.New("index closed")
	}
	var out []Contact
	for _, c := range d {
		if strings.Contains(strings.ToLower(c.Name), strings.ToLower(q)) && len(out) < limit {
			out = append(out, c)
		}
	}
	return out, nil
}

func (d dir) Lookup(string) (Contact, bool) { return Contact{}, false }

var book = dir{
	{Name: "Ana García", Org: "Acme", Phones: []string{"+34917370192"}},
	{Name: "Ana Lima", Phones: []string{"+5511999990000"}},
	{Name: "Bob Stone", Org: "Initech", Phones: []string{"+15550100"}},
}

// typ types s, running each search Cmd as Bubble Tea would.
func typ(m Model, s string) Model {
	for _, r := range s {
		var cmd tea.Cmd
		m, cmd = m.Update(common.Press(string(r)))
		if cmd != nil {
			m, _ = m.Update(cmd())
		}
	}
	return m
}

func TestSearchAndDial(t *testing.T) {
	m := New(common.New(nil, nil, nil), book)
	m.SetSize(50, 6)
	golden.Assert(t, "unfocused", m.View())
	m.Focus(true)
	m = typ(m, "ana")
	m, _ = m.Update(common.Press("down"))
	golden.Assert(t, "results", m.View())
	_, cmd := m.Update(common.Press("enter"))
	if d, ok := cmd().(DialMsg); !ok || d.Number != "+5511999990000" {
		t.Fatalf("enter gave %v", d)
	}

	// A stale answer is dropped.
	m, _ = m.Update(ResultsMsg{Seq: 0, Results: book})
	if len(m.results) != 2 {
		t.Errorf("stale results applied")
	}

	m = typ(New(common.New(nil, nil, nil), book), "+1 555")
	m.Focus(true)
	m.SetSize(50, 4)
	golden.Assert(t, "number", m.View())
	_, cmd = m.Update(common.Press("enter"))
	if d, _ := cmd().(DialMsg); d.Number != "+1555" {
		t.Errorf("typed number dials %q", d.Number)
	}

	// A SIP address typed dials as it is; agent: and group: do not.
	for typed, want := range map[string]string{"sip:2001@pbx.example": "sip:2001@pbx.example", "agent:bo": ""} {
		m = typ(New(common.New(nil, nil, nil), book), typed)
		m.Focus(true)
		_, cmd = m.Update(common.Press("enter"))
		var got string
		if cmd != nil {
			if d, ok := cmd().(DialMsg); ok {
				got = d.Number
			}
		}
		if got != want {
			t.Errorf("typed %q dials %q, want %q", typed, got, want)
		}
	}

	m = typ(New(common.New(nil, nil, nil), book), "boom")
	m.SetSize(50, 3)
	golden.Assert(t, "error", m.View())
}

func TestImportProgress(t *testing.T) {
	m := New(common.New(nil, nil, nil), nil)
	m.SetSize(50, 4)
	m, _ = m.Update(ImportProgressMsg{Done: 1200, Total: 2844})
	golden.Assert(t, "importing", m.View())
	m, _ = m.Update(ImportDoneMsg{Path: "x.vcf"})
	golden.Assert(t, "imported", m.View())
}
