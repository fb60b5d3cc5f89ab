package contacts

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const childEnv = "AGENTTY_CONTACTS_KILL_CHILD"

// killChild is the re-executed test binary: it imports $DIR/$FILE with
// small batches, prints "checkpoint LINE CARDS" each time a checkpoint is
// durable, and pauses its indexer after the third one so that it can never
// finish before the parent kills it.
func killChild() int {
	dir, file := os.Getenv(childEnv+"_DIR"), os.Getenv(childEnv+"_FILE")
	var n atomic.Int32
	var b *Book
	ready := make(chan struct{})
	opts := Options{DefaultCountry: "ES", BatchSize: 300, DiskOnly: os.Getenv(childEnv+"_DISK") == "1", OnCheckpoint: func(line, cards int) {
		fmt.Fprintf(os.Stdout, "checkpoint %d %d\n", line, cards)
		if n.Add(1) == 3 {
			<-ready
			b.Indexer().Pause()
		}
	}}
	var err error
	b, err = Open(dir, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	b.lagCheckpoints = os.Getenv(childEnv+"_LAG") == "1"
	close(ready)
	_, err = b.Import(context.Background(), file, nil)
	fmt.Fprintln(os.Stderr, "child import returned:", err)
	return 4
}

// TestImportResumesAfterKill kills a real importing process with SIGKILL
// after its first durable checkpoint, then resumes in-process: the import
// continues from the checkpoint, ends with exactly the good cards, and
// search and caller-ID answer. The killed process imports as the console
// does (in-memory index) and as the command line does (DiskOnly), and once
// with every checkpoint lagging behind its batch, so that batches past the
// checkpoint are on disk when it dies.
func TestImportResumesAfterKill(t *testing.T) {
	for _, tt := range []struct{ name, disk, lag string }{
		{"console", "0", "0"},
		{"command line", "1", "0"},
		{"command line, lagging checkpoints", "1", "1"},
	} {
		t.Run(tt.name, func(t *testing.T) { testImportResumesAfterKill(t, tt.disk, tt.lag) })
	}
}

func testImportResumesAfterKill(t *testing.T, disk, lag string) {
	dir := t.TempDir()
	path, good := writeCards(t, t.TempDir(), 6000, 1000)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", childEnv+"_DIR="+dir, childEnv+"_FILE="+path, childEnv+"_DISK="+disk, childEnv+"_LAG="+lag)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var first string
	select {
	case first = <-lines:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("child never reported a checkpoint")
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no chance to clean up
		t.Fatal(err)
	}
	cmd.Wait()
	for range lines { // drain until the pipe closes
	}
	var cpLine, cpCards int
	if _, err := fmt.Sscanf(first, "checkpoint %d %d", &cpLine, &cpCards); err != nil {
		t.Fatalf("child said %q: %v", first, err)
	}

	b := openBook(t, dir, Options{DefaultCountry: "ES", BatchSize: 300})
	if n := b.Count(); n < cpCards-1 { // at least the first checkpoint's contacts survived
		t.Fatalf("after kill: %d contacts in the index, checkpoint promised %d cards", n, cpCards)
	}
	sum := mustImport(t, b, path)
	if !sum.Resumed || sum.ResumedAt < cpLine {
		t.Errorf("summary %+v: want resumed at or after line %d", sum, cpLine)
	}
	if sum.Cards != 6000 || sum.Bad != 6000/1000 || len(sum.BadCards) != sum.Bad {
		t.Errorf("summary cards=%d bad=%d (%d listed), want 6000 and 6", sum.Cards, sum.Bad, len(sum.BadCards))
	}
	// The batches that reached the disk past the checkpoint count as the
	// killed run counted them: as added, never as unchanged.
	if sum.Added != good || sum.Updated != 0 || sum.Unchanged != 0 {
		t.Errorf("summary added=%d updated=%d unchanged=%d, want %d added", sum.Added, sum.Updated, sum.Unchanged, good)
	}
	if b.Count() != good {
		t.Errorf("Count = %d, want %d", b.Count(), good)
	}
	if n, err := b.DocCount(); err != nil || int(n) != good {
		t.Errorf("DocCount = %d, %v, want %d", n, err, good)
	}
	for _, q := range []string{"jennifer", "garc", "600000042", "+34 6000 0599", "user5998"} {
		got, err := b.Search(q, 5)
		if err != nil || len(got) == 0 {
			t.Errorf("Search(%q) = %v, %v", q, names(got), err)
		}
	}
	if c, ok := b.Lookup("600 000 042"); !ok || !strings.HasSuffix(c.Name, " 42") {
		t.Errorf("Lookup = %+v, %v", c, ok)
	}
	again := mustImport(t, b, path)
	if again.Resumed || again.Added != 0 || again.Updated != 0 || again.Unchanged != good {
		t.Errorf("re-import summary %+v, want every card unchanged", again)
	}
}
