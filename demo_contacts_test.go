package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/agentty/agentty/contacts"
)

// TestDemoBookSeeded: the demo opens with a few thousand contacts, the
// simulated callers among them, so caller ID and search work at once;
// a second start does not import again.
func TestDemoBookSeeded(t *testing.T) {
	isolate(t)
	dir := demoBookDir()
	n, err := seedDemoBook(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if n < demoContacts {
		t.Errorf("seeded %d contacts, want at least %d", n, demoContacts)
	}
	if again, err := seedDemoBook(context.Background(), dir); err != nil || again != 0 {
		t.Errorf("second seed: %d, %v; want 0, nil", again, err)
	}
	b, err := contacts.Open(filepath.Join(dir, "index"), contacts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Count() < demoContacts+demoCallerCount {
		t.Errorf("book holds %d contacts, want %d", b.Count(), demoContacts+demoCallerCount)
	}
	for _, num := range []string{"+1 555 0100", "+1 555 0142", "+15550199"} {
		if c, ok := b.Lookup(num); !ok {
			t.Errorf("caller %s not in the demo book", num)
		} else {
			t.Logf("%s is %s", num, c.Name)
		}
	}
	if cs, err := b.Search("jen", 5); err != nil || len(cs) == 0 {
		t.Errorf("search jen: %d results, %v", len(cs), err)
	}
}
