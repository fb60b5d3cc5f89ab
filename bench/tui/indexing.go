package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/bench/gen-vcf/vcfgen"
	"github.com/agentty/agentty/contacts"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui"
)

// indexing measures the console's frames while a real contact book imports
// n generated cards in the background, as when a person drops a .vcf on the
// terminal: the book is opened as the console opens it (Options.Background;
// BENCH_FG=1 imports at command-line speed instead), every Update of a
// running agent console is timed, and a 16 ms frame clock in the same
// process reports how late each frame came, to the microsecond (frame k is
// due at start + k*16ms; a frame missed altogether counts as 16 ms late or
// more). The share of the machine other processes took meanwhile is
// printed: figures are only meaningful when it is near 0 %.
//
// BENCH_DEBUG=1 lists every frame more than 2 ms late on stderr;
// BENCH_TRACE=file writes a runtime trace of the import (with CPU samples
// and a "late" log event per such frame) for go tool trace.
func indexing(n int) {
	dir, err := os.MkdirTemp("", "agentty-bench-index")
	if err != nil {
		fmt.Println("indexing:", err)
		return
	}
	defer os.RemoveAll(dir)
	vcf := filepath.Join(dir, "cards.vcf")
	f, err := os.Create(vcf)
	if err != nil {
		fmt.Println("indexing:", err)
		return
	}
	if _, err := vcfgen.Write(f, n, vcfgen.Config{Seed: 1}); err != nil {
		fmt.Println("indexing:", err)
		return
	}
	f.Close()
	book, err := contacts.Open(filepath.Join(dir, "book"), contacts.Options{Background: os.Getenv("BENCH_FG") == ""})
	if err != nil {
		fmt.Println("indexing:", err)
		return
	}
	defer book.Close()

	ev := make(chan session.Event, 16)
	b := session.Base{At: time.Now()}
	ev <- session.ConnectionEstablished{Base: b, Vendor: "bench"}
	ev <- session.AuthResult{Base: b, OK: true, Role: session.RoleAgent, User: "me", DisplayName: "Bench"}
	rec := &recorder{}
	m := timed{ui.New(ui.Options{Role: session.RoleAgent, Backend: "bench", Events: ev,
		Send: func(context.Context, session.Command) error { return nil }}), rec}
	p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(&countWriter{}), tea.WithWindowSize(120, 40),
		tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithoutSignals())
	done := make(chan struct{})
	go func() { p.Run(); close(done) }()

	if path := os.Getenv("BENCH_TRACE"); path != "" {
		tf, err := os.Create(path)
		if err == nil {
			// CPU samples land in the trace too: they show what ran.
			pprof.StartCPUProfile(io.Discard)
			trace.Start(tf)
			defer func() { trace.Stop(); pprof.StopCPUProfile(); tf.Close() }()
		}
	}
	imported := make(chan error, 1)
	meter := newCPUMeter()
	start := time.Now()
	go func() {
		_, err := book.Import(context.Background(), vcf, nil)
		imported <- err
	}()
	// The frame clock: frame k is due at start + k*frame. Each wake-up
	// records how late the earliest frame not yet served is (a frame
	// missed altogether shows as 16 ms or more), so lateness is measured
	// to the microsecond, not in whole ticks.
	const frame = 16 * time.Millisecond
	debug := os.Getenv("BENCH_DEBUG") != ""
	var late []time.Duration
	due := start.Add(frame)
	timer := time.NewTimer(frame)
	for running := true; running; {
		select {
		case err := <-imported:
			if err != nil {
				fmt.Println("indexing: import:", err)
			}
			running = false
		case <-timer.C:
			now := time.Now()
			l := max(now.Sub(due), 0)
			late = append(late, l)
			if debug && l > 2*time.Millisecond {
				fmt.Fprintf(os.Stderr, "late frame due at +%v: %v\n", due.Sub(start).Round(time.Microsecond), l.Round(time.Microsecond))
				trace.Log(context.Background(), "late", strconv.FormatInt(int64(now.Sub(due)), 10))
			}
			for !due.After(now) {
				due = due.Add(frame)
			}
			timer.Reset(due.Sub(now))
			p.Send(tickProbe{})
		}
	}
	timer.Stop()
	took := time.Since(start)
	p.Quit()
	<-done
	fmt.Printf("indexing: %d cards imported in %v while the console ran (%d contacts searchable)\n",
		n, took.Round(time.Millisecond), book.Count())
	if share, ok := meter.others(); ok {
		fmt.Printf("indexing: other processes used %.0f%% of the machine meanwhile (figures are only meaningful near 0%%)\n", 100*share)
	}
	stats("indexing: frame clock lateness", late, frame)
	stats("indexing: console Update while importing", rec.updates, frame)
}

// tickProbe is a message the console ignores: it makes Update run once a
// frame, as keys and events would.
type tickProbe struct{}
