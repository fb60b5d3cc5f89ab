package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests drive the real binary in tmux, as a person would: keys in,
// the screen read back with capture-pane. They run `agentty demo` on the
// embedded centre with a seeded simulation.

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// binary builds agentty once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "agentty-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "agentty")
		out, err := exec.Command("go", "build", "-tags", "nolibopusfile", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// screen is one tmux session running agentty.
type screen struct {
	t    *testing.T
	sock string
}

func startScreen(t *testing.T, args ...string) *screen {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (make deps installs it)")
	}
	bin := binary(t)
	home := t.TempDir()
	s := &screen{t: t, sock: filepath.Join(home, "tmux.sock")}
	env := []string{
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"NO_COLOR=1", "LANG=en_US.UTF-8",
	}
	cmd := "env " + strings.Join(env, " ") + " " + bin + " " + strings.Join(args, " ")
	s.tmux("new-session", "-d", "-x", "120", "-y", "36", cmd)
	t.Cleanup(func() { exec.Command("tmux", "-S", s.sock, "kill-server").Run() })
	return s
}

func (s *screen) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", s.sock}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (s *screen) keys(keys ...string) {
	s.t.Helper()
	s.tmux(append([]string{"send-keys", "-t", "0"}, keys...)...)
}

func (s *screen) text() string { return s.tmux("capture-pane", "-p", "-t", "0") }

// waitFor polls the screen until it shows want, failing at the deadline.
func (s *screen) waitFor(want string, within time.Duration) string {
	s.t.Helper()
	deadline := time.After(within)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		got := s.text()
		if strings.Contains(got, want) {
			return got
		}
		select {
		case <-deadline:
			s.t.Fatalf("screen never showed %q within %v; it shows:\n%s", want, within, got)
		case <-tick.C:
		}
	}
}

// retry does act every second until the screen shows want.
func (s *screen) retry(want string, within time.Duration, act func()) {
	s.t.Helper()
	deadline := time.After(within)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for act(); !strings.Contains(s.text(), want); act() {
		select {
		case <-deadline:
			s.t.Fatalf("screen never showed %q within %v; it shows:\n%s", want, within, s.text())
		case <-tick.C:
		}
	}
}

func TestTmuxAgentHandlesCalls(t *testing.T) {
	s := startScreen(t, "demo", "--agents", "0", "--per-hour", "3600", "--handle", "10m", "--patience", "10m", "--seed", "1")
	s.waitFor("i check in", 20*time.Second)
	s.keys("i")
	s.waitFor("NOT READY", 5*time.Second)
	s.keys("g")
	s.waitFor("RINGING", 30*time.Second)
	s.keys("a")
	s.waitFor("TALKING", 5*time.Second)
	s.keys("h")
	s.waitFor("ON HOLD", 5*time.Second)
	s.keys("h")
	s.waitFor("TALKING", 5*time.Second)
	s.keys("e")
	s.waitFor("WRAP-UP", 5*time.Second)
	// The demo's groups have disposition codes (the first requires one).
	s.keys("c")
	s.waitFor("Disposition: how did the call go?", 5*time.Second)
	s.keys("Enter")
	s.waitFor("Wrap-up: code resolved", 5*time.Second)
	s.keys("d")
	s.waitFor("RINGING", 30*time.Second) // ready again, and the next caller rings
	s.keys("a")
	s.waitFor("TALKING", 5*time.Second)
	s.keys("t")
	s.waitFor("Transfer to", 5*time.Second)
	s.keys("-l", "+34911085460")
	s.keys("Enter")
	s.waitFor("transferred to +34911085460", 5*time.Second)
	s.waitFor("WRAP-UP", 5*time.Second)
	s.waitFor("Queues", time.Second)
	s.waitFor("svc lvl", 5*time.Second) // the queue board has figures
	s.keys("n")                         // not ready, with a reason from the picker
	s.keys("Enter")
	s.waitFor("NOT READY", 5*time.Second)
	// A command the state forbids is one sentence in the status bar.
	s.keys(":")
	s.keys("-l", "hold")
	s.keys("Enter")
	s.waitFor("Can't hold", 5*time.Second)
}

func TestTmuxKioskQueuesAndLeaves(t *testing.T) {
	// One colleague, a crowd of impatient callers: the kiosk joins a queue
	// whose callers ahead are answered or give up.
	s := startScreen(t, "demo", "--as", "kiosk", "--agents", "1", "--per-hour", "3600",
		"--handle", "3s", "--patience", "4s", "--seed", "2", "--callback-share", "0")
	s.waitFor("Press ENTER to call", 20*time.Second)
	s.retry("in line", 60*time.Second, func() {
		if strings.Contains(s.text(), "You are") {
			s.keys("Escape") // at the front already: leave and join again behind others
		}
		s.keys("Enter")
	})
	s.waitFor("Estimated wait", time.Second)
	s.waitFor("You are next", 60*time.Second) // the position fell
	s.waitFor("talking to an agent", 60*time.Second)
	s.keys("Escape")
	s.waitFor("Thank you for calling", 5*time.Second)
}

func TestTmuxSupervisorBarges(t *testing.T) {
	s := startScreen(t, "demo", "--as", "supervisor", "--agents", "3", "--per-hour", "3000", "--handle", "10m", "--seed", "3")
	got := s.waitFor("Agents", 20*time.Second)
	for _, name := range []string{"ana", "bo", "chen"} {
		if !strings.Contains(got, name) {
			got = s.waitFor(name, 5*time.Second)
		}
	}
	s.waitFor("ON A CALL", 30*time.Second) // a colleague takes a simulated call
	s.keys("/")
	s.keys("-l", "busy")
	s.keys("Enter")
	// The colleague's call may still be ringing: the centre refuses a barge
	// until it is answered, so press b again until it takes.
	s.retry("barge by", 30*time.Second, func() { s.keys("b") })
	s.keys("e")
	s.waitFor("ended", 5*time.Second)
}
