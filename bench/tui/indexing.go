package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/bench/gen-vcf/vcfgen"
	"github.com/agentty/agentty/contacts"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui"
)

// indexing measures the console's frames while a real contact book imports
// n generated cards in the background, as when a person drops a .vcf on the
// terminal: every Update of a running agent console is timed, and a 16 ms
// frame clock in the same process reports how late each frame came.
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
	book, err := contacts.Open(filepath.Join(dir, "book"), contacts.Options{})
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

	imported := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := book.Import(context.Background(), vcf, nil)
		imported <- err
	}()
	const frame = 16 * time.Millisecond
	clock := time.NewTicker(frame)
	var late []time.Duration
	last := time.Now()
	for running := true; running; {
		select {
		case err := <-imported:
			if err != nil {
				fmt.Println("indexing: import:", err)
			}
			running = false
		case now := <-clock.C:
			late = append(late, max(now.Sub(last)-frame, 0))
			last = now
			p.Send(tickProbe{})
		}
	}
	clock.Stop()
	took := time.Since(start)
	p.Quit()
	<-done
	fmt.Printf("indexing: %d cards imported in %v while the console ran (%d contacts searchable)\n",
		n, took.Round(time.Millisecond), book.Count())
	stats("indexing: frame clock lateness", late, frame)
	stats("indexing: console Update while importing", rec.updates, frame)
}

// tickProbe is a message the console ignores: it makes Update run once a
// frame, as keys and events would.
type tickProbe struct{}
