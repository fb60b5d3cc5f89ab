package main

import (
	"testing"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/fake"
)

// metered is a backend with an audio path, as vendors.Metered says.
type metered struct {
	*fake.Vendor
	ok bool
}

func (m metered) Levels() (float64, float64, bool) { return -30, 0, m.ok }

// The VU meters read any backend with levels (vendors.Metered), through
// the journal's wrapper; a backend without audio gets none.
func TestLevelsOfAnyMeteredBackend(t *testing.T) {
	if levelsOf(fake.New(nil, session.RoleAgent, "")) != nil {
		t.Errorf("the scripted backend has levels")
	}
	if levelsOf(metered{fake.New(nil, session.RoleAgent, ""), false}) != nil {
		t.Errorf("a backend with no audio path has levels")
	}
	var v vendors.Vendor = metered{fake.New(nil, session.RoleAgent, ""), true}
	j, err := journal.Open(journal.Options{Dir: t.TempDir(), Prefix: "session"})
	if err != nil {
		t.Fatal(err)
	}
	v = withJournal(v, j)
	defer v.Close()
	f := levelsOf(v)
	if f == nil {
		t.Fatal("no levels through the journal wrapper")
	}
	if mic, spk := f(); mic != 0.5 || spk != 1 {
		t.Errorf("levels %v %v, want 0.5 1", mic, spk)
	}
}
