package store

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/agentty/agentty/session"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv("STORE_CRASH_CHILD"); dir != "" {
		crashChild(dir)
		return
	}
	goleak.VerifyTestMain(m)
}

var now = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func TestTokens(t *testing.T) {
	ctx := context.Background()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tok, err := s.CreateToken(ctx, User{ID: "ana", Role: session.RoleAgent, Groups: []string{"sales", "support"}}, 0, now)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.Authenticate(ctx, tok, now)
	if err != nil || u.ID != "ana" || u.Role != session.RoleAgent || strings.Join(u.Groups, ",") != "sales,support" {
		t.Fatalf("authenticate = %+v, %v", u, err)
	}
	short, _ := s.CreateToken(ctx, User{ID: "kiosk1", Role: session.RoleKiosk}, time.Hour, now)
	if _, err := s.Authenticate(ctx, short, now.Add(2*time.Hour)); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("expired token: %v", err)
	}
	for _, bad := range []string{"", "nope", TokenPrefix + "unknown"} {
		if _, err := s.Authenticate(ctx, bad, now); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("token %q: %v, want invalid", bad, err)
		}
	}
	if err := s.DisableUser(ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, tok, now); !errors.Is(err, ErrUnknownUser) {
		t.Errorf("disabled user: %v", err)
	}
	if _, err := s.CreateToken(ctx, User{ID: "x", Role: "boss"}, 0, now); err == nil {
		t.Errorf("bad role accepted")
	}
	if _, err := s.CreateToken(ctx, User{ID: "a b", Role: session.RoleAgent}, 0, now); err == nil {
		t.Errorf("bad name accepted")
	}
	var hash string
	if err := s.db.QueryRow(`SELECT hash FROM tokens LIMIT 1`).Scan(&hash); err != nil || strings.Contains(hash, TokenPrefix) {
		t.Errorf("stored token %q, %v: want only a hash", hash, err)
	}
}

func TestCallsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := CallRecord{CallID: "c1", Segment: 1, From: "kiosk", To: "ana", Group: "sales", Agent: "ana",
		Queued: now, Answered: now.Add(5 * time.Second), Ended: now.Add(time.Minute),
		Wait: 5 * time.Second, Talk: 55 * time.Second, EndedBy: "agent", Disposition: "answered"}
	if err := s.AddCall(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.AddStates(ctx, []AgentState{{User: "ana", State: session.AgentReady, At: now}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Calls(ctx)
	if err != nil || len(got) != 1 || got[0] != r {
		t.Fatalf("calls = %+v, %v; want %+v", got, err, r)
	}
	st, err := s.States(ctx, "ana")
	if err != nil || len(st) != 1 || st[0].State != session.AgentReady {
		t.Fatalf("states = %+v, %v", st, err)
	}
}

// crashChild commits a record, says so, and waits to be killed.
func crashChild(dir string) {
	s, err := Open(dir)
	if err != nil {
		os.Exit(3)
	}
	if err := s.AddCall(context.Background(), CallRecord{CallID: "crash", Segment: 1, Ended: now, Disposition: "answered"}); err != nil {
		os.Exit(4)
	}
	os.Stdout.WriteString("committed\n")
	select {}
}

func TestKill9LosesNoEndedCall(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STORE_CRASH_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _ := out.Read(buf)
	if !strings.Contains(string(buf[:n]), "committed") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q", buf[:n])
	}
	cmd.Process.Kill() // SIGKILL
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(dir, FileName+"-wal")); err != nil {
		t.Logf("no WAL file left behind: %v", err)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Calls(context.Background())
	if err != nil || len(got) != 1 || got[0].CallID != "crash" {
		t.Fatalf("after kill -9: %+v, %v", got, err)
	}
}
