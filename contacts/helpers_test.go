package contacts

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
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

// writeCards writes n simple generated cards (every brokenEvery-th one
// without END:VCARD when brokenEvery > 0) and returns the path and the
// number of good cards.
func writeCards(t testing.TB, dir string, n, brokenEvery int) (string, int) {
	t.Helper()
	var sb strings.Builder
	good := 0
	given := []string{"Jennifer", "María", "José", "Wei", "John", "Lucía", "Jenny", "Álvaro"}
	family := []string{"Doe", "García", "Ibáñez", "Smith", "Jenkins", "Muñoz", "王", "Li"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "BEGIN:VCARD\r\nVERSION:3.0\r\n")
		if i%2 == 0 {
			fmt.Fprintf(&sb, "UID:card-%d\r\n", i)
		}
		fmt.Fprintf(&sb, "FN:%s %s %d\r\n", given[i%len(given)], family[(i/len(given))%len(family)], i)
		fmt.Fprintf(&sb, "ORG:Org%d\r\n", i%7)
		fmt.Fprintf(&sb, "TEL;TYPE=CELL:+34 6%08d\r\n", i)
		if i%3 == 0 {
			fmt.Fprintf(&sb, "TEL;TYPE=WORK:(415) 5%02d-%04d\r\n", i%100, i%10000)
		}
		fmt.Fprintf(&sb, "EMAIL:user%d.x@example.com\r\n", i)
		if brokenEvery > 0 && i%brokenEvery == brokenEvery-1 {
			continue // no END:VCARD
		}
		good++
		sb.WriteString("END:VCARD\r\n")
	}
	p := filepath.Join(dir, fmt.Sprintf("cards-%d.vcf", n))
	if err := os.WriteFile(p, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, good
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
