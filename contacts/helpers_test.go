package contacts

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/agentty/agentty/contacts/contactstest"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(killChild())
	}
	// bleve starts a process-wide analysis worker pool on first use.
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/blevesearch/bleve_index_api.AnalysisWorker"))
}

// fakeClock advances by step on every Now, so step budgets end after a
// fixed number of cards and tests never depend on the machine's speed.
type fakeClock struct {
	t    atomic.Int64
	step time.Duration
}

func (c *fakeClock) Now() time.Time {
	return time.Unix(0, c.t.Add(int64(c.step)))
}

func newFakeClock() *fakeClock { return &fakeClock{step: time.Millisecond} }

func openBook(t testing.TB, dir string, opts Options) *Book {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = newFakeClock()
	}
	b, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// writeCards is contactstest.WriteCards.
func writeCards(t testing.TB, dir string, n, brokenEvery int) (string, int) {
	t.Helper()
	return contactstest.WriteCards(t, dir, n, brokenEvery)
}

func mustImport(t testing.TB, b *Book, path string) Summary {
	t.Helper()
	sum, err := b.Import(context.Background(), path, nil)
	if err != nil {
		t.Fatalf("Import(%s): %v", path, err)
	}
	return sum
}

func names(cs []Contact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}
