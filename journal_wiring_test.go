package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/fake"
	"github.com/agentty/agentty/vendors/vendortest"
)

// journaledFake is a fake backend behind the journal tee, as a console
// runs it; the journal goes to dir.
func journaledFake(t *testing.T, dir string, role session.Role, token string) vendors.Vendor {
	j, err := journal.Open(journal.Options{Dir: dir, Prefix: "session"})
	if err != nil {
		t.Fatal(err)
	}
	v := withJournal(fake.New(nil, role, token), j)
	t.Cleanup(func() { v.Close() })
	return v
}

// The journal tee keeps the Vendor contract: the backends' contract suite
// passes through it.
func TestJournalTeeKeepsTheVendorContract(t *testing.T) {
	vendortest.Run(t, vendortest.Harness{
		New: func(t *testing.T, role session.Role) vendors.Vendor {
			return journaledFake(t, t.TempDir(), role, fake.ValidToken)
		},
		NewBadToken: func(t *testing.T) vendors.Vendor {
			return journaledFake(t, t.TempDir(), session.RoleAgent, "wrong")
		},
		Ring: func(t *testing.T, v vendors.Vendor) {
			if _, err := unwrap(v).(*fake.Vendor).Ring("+34917370192"); err != nil {
				t.Fatal(err)
			}
		},
	})
}

// The journal holds what the console saw, in the order it saw it.
func TestJournalHoldsWhatTheConsoleSaw(t *testing.T) {
	dir := t.TempDir()
	v := journaledFake(t, dir, session.RoleAgent, fake.ValidToken)
	s := vendortest.Follow(t, v, 10*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := v.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	s.MustDo("checkin")
	s.MustDo("ready")
	if _, err := unwrap(v).(*fake.Vendor).Ring("+34917370192"); err != nil {
		t.Fatal(err)
	}
	s.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	s.MustDo("answer")
	s.MustDo("hangup")
	v.Close()
	for e := range v.Events() { // what Close produced
		s.Seen = append(s.Seen, e)
	}
	select { // the tee closes the journal (flushing it) after the channel
	case <-v.(*journaled).ended:
	case <-ctx.Done():
		t.Fatal("the journal tee did not end")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil || len(files) != 1 {
		t.Fatalf("journal files %v, %v", files, err)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := journal.Read(f)
	if err != nil || len(l.Bad) > 0 || len(l.Unknown) > 0 {
		t.Fatalf("read: %v bad %v unknown %v", err, l.Bad, l.Unknown)
	}
	var got, want []session.EventType
	for _, e := range l.Entries {
		got = append(got, e.Event.Type())
	}
	for _, e := range s.Seen {
		want = append(want, e.Type())
	}
	if !slices.Equal(got, want) {
		t.Errorf("journal %v\nconsole %v", got, want)
	}
	if len(got) < 8 {
		t.Errorf("only %d events journaled", len(got))
	}
}
