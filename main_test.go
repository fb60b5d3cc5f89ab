package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/agentty/agentty/session"
)

// isolate points the XDG directories at a temporary home.
func isolate(t *testing.T) string {
	dir := t.TempDir()
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"} {
		t.Setenv(v, filepath.Join(dir, strings.ToLower(v)))
	}
	t.Setenv("AGENTTY_SERVER", "")
	os.Unsetenv("AGENTTY_SERVER")
	return dir
}

// run executes the command line in-process with stdin in.
func run(t *testing.T, in string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	root := newRoot(&globals{})
	root.SetArgs(args)
	root.SetIn(strings.NewReader(in))
	root.SetOut(&out)
	root.SetErr(&out)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := root.ExecuteContext(ctx)
	return out.String(), err
}

func events(t *testing.T, out string) []session.Event {
	t.Helper()
	var es []session.Event
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		e, err := session.UnmarshalEvent([]byte(line))
		if err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		es = append(es, e)
	}
	return es
}

func TestHeadlessRefusesHoldWithNoCall(t *testing.T) {
	isolate(t)
	out, err := run(t, "checkin\nready\nhold\nquit\n", "--headless", "--vendor", "scripted")
	if err != nil {
		t.Fatalf("exit: %v\n%s", err, out)
	}
	es := events(t, out)
	var st session.State
	var failed []session.CommandFailed
	for _, e := range es {
		st = session.Apply(st, e)
		if f, ok := e.(session.CommandFailed); ok {
			failed = append(failed, f)
		}
	}
	if st.Agent.State != session.AgentReady {
		t.Errorf("agent ended %s, want ready (checkin then ready applied in order)", st.Agent.State)
	}
	if len(failed) != 1 || failed[0].Command != "hold" || !strings.Contains(failed[0].Reason, "no call") {
		t.Fatalf("command.failed = %+v, want one for hold", failed)
	}
	var raw map[string]any
	last := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range last {
		if strings.Contains(l, "command.failed") {
			json.Unmarshal([]byte(l), &raw)
		}
	}
	if raw["type"] != "command.failed" || raw["reason"] == "" || raw["at"] == nil {
		t.Errorf("wire form %v", raw)
	}
}

func TestHeadlessBadLineGoesOn(t *testing.T) {
	isolate(t)
	out, err := run(t, "checkin\nfly to the moon\ntransfer nowhere\n\n# comment\nready\n", "--headless", "--vendor", "scripted")
	if err != nil {
		t.Fatalf("exit: %v", err)
	}
	var reasons []string
	var st session.State
	for _, e := range events(t, out) {
		st = session.Apply(st, e)
		if f, ok := e.(session.CommandFailed); ok {
			reasons = append(reasons, f.Reason)
		}
	}
	if len(reasons) != 2 {
		t.Fatalf("failures %q, want 2 (unknown verb, bad target)", reasons)
	}
	if !strings.Contains(reasons[0], `unknown command "fly"`) || !strings.Contains(reasons[1], "nowhere") {
		t.Errorf("reasons %q", reasons)
	}
	if st.Agent.State != session.AgentReady {
		t.Errorf("session did not go on after bad lines: %s", st.Agent.State)
	}
}

func TestHeadlessBadTokenFails(t *testing.T) {
	isolate(t)
	out, err := run(t, "checkin\n", "--headless", "--vendor", "scripted", "--token", "wrong")
	if err == nil {
		t.Fatalf("bad token exited 0")
	}
	if exitCode(err) != 1 {
		t.Errorf("exit code %d, want 1", exitCode(err))
	}
	es := events(t, out)
	var auth *session.AuthResult
	for _, e := range es {
		if a, ok := e.(session.AuthResult); ok {
			auth = &a
		}
	}
	if auth == nil || auth.OK || auth.Code != session.AuthInvalidToken {
		t.Fatalf("auth.result = %+v", auth)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"--no-such-flag"},
		{"stray-argument"},
		{"demo", "--as", "pilot"},
		{"--vendor", "nobody", "--headless"},
	} {
		_, err := run(t, "", args...)
		if got := exitCode(err); got != 2 {
			t.Errorf("%v: exit %d (%v), want 2", args, got, err)
		}
	}
}

func TestSettingsLayering(t *testing.T) {
	dir := isolate(t)
	cfg := filepath.Join(dir, "xdg_config_home", "agentty")
	os.MkdirAll(cfg, 0o700)
	os.WriteFile(filepath.Join(cfg, "config.toml"), []byte("vendor = \"scripted\"\ntoken = \"from-file\"\nrole = \"kiosk\"\n"), 0o600)

	// The file says kiosk and a wrong token; the variable fixes the token.
	t.Setenv("AGENTTY_TOKEN", "scripted-token")
	out, err := run(t, "call\n", "--headless")
	if err != nil {
		t.Fatalf("exit: %v\n%s", err, out)
	}
	if !strings.Contains(out, `"role":"kiosk"`) || !strings.Contains(out, `"queue.joined"`) {
		t.Fatalf("config file not applied:\n%s", out)
	}
	// The flag beats the file.
	out, err = run(t, "checkin\n", "--headless", "--role", "agent")
	if err != nil || !strings.Contains(out, `"agent.checked_in"`) {
		t.Fatalf("flag did not win: %v\n%s", err, out)
	}
	// A bad file is a usage error naming the file.
	os.WriteFile(filepath.Join(cfg, "config.toml"), []byte("vendor = \n"), 0o600)
	_, err = run(t, "", "--headless")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "config.toml") {
		t.Errorf("bad config: %v", err)
	}
}

func TestLogGoesToStateDir(t *testing.T) {
	dir := isolate(t)
	if _, err := run(t, "quit\n", "--headless", "--vendor", "scripted"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "xdg_state_home", "agentty", "agentty.log"))
	if err != nil || !bytes.Contains(b, []byte("start")) {
		t.Fatalf("log: %v %q", err, b)
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	isolate(t)
	var walk func(c *cobra.Command)
	var paths [][]string
	walk = func(c *cobra.Command) {
		paths = append(paths, strings.Fields(c.CommandPath())[1:])
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot(&globals{}))
	if len(paths) < 10 {
		t.Fatalf("only %d commands", len(paths))
	}
	for _, p := range paths {
		out, err := run(t, "", append(p, "--help")...)
		if err != nil || !strings.Contains(out, "Usage:") {
			t.Errorf("%v --help: %v\n%s", p, err, out)
		}
	}
	dir := t.TempDir()
	if _, err := run(t, "", "man", dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "agentty-demo.1")); err != nil {
		t.Errorf("no man page for demo: %v", err)
	}
}
