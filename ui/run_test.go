package ui

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
)

// syncBuf collects output and closes seen once it holds want.
type syncBuf struct {
	mu   sync.Mutex
	b    bytes.Buffer
	want string
	seen chan struct{}
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Write(p)
	if s.seen != nil && strings.Contains(s.b.String(), s.want) {
		close(s.seen)
		s.seen = nil
	}
	return len(p), nil
}

func (s *syncBuf) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// Run draws through Bubble Tea and ends cleanly when ctx ends.
func TestRunEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ev := make(chan session.Event, 1)
	ev <- session.ConnectionEstablished{Base: session.Base{At: time.Now()}, Vendor: "test"}
	seen := make(chan struct{})
	out := syncBuf{want: "Contacts", seen: seen}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, Options{Role: session.RoleAgent, Events: ev, Colors: ColorNone},
			tea.WithInput(nil), tea.WithOutput(&out), tea.WithWindowSize(80, 24),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithoutSignals())
	}()
	// Wait (with a deadline) for the first frame, then cancel.
	select {
	case <-seen:
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatalf("no frame drawn; output %q", out.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not end after cancel")
	}
	close(ev)
}
