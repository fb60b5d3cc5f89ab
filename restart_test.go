package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/vendortest"
)

// TestServeChildProcess is `agentty serve` in a child process of the test
// binary: the restart test starts it with AGENTTY_TEST_SERVE set to the
// serve arguments, kills it and starts it again. Run alone, it skips.
func TestServeChildProcess(t *testing.T) {
	args := os.Getenv("AGENTTY_TEST_SERVE")
	if args == "" {
		t.Skip("the restart test's child")
	}
	root := newRoot(&globals{})
	root.SetArgs(strings.Fields(args))
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// centreProcess is a real `agentty serve` on a fixed loopback port.
type centreProcess struct {
	t          *testing.T
	addr, data string
	home       string
	cmd        *exec.Cmd
	exited     chan error
}

func (p *centreProcess) start() {
	p.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChildProcess$")
	cmd.Env = append(os.Environ(), "AGENTTY_TEST_SERVE=serve --listen "+p.addr+" --data "+p.data,
		"XDG_STATE_HOME="+filepath.Join(p.home, "state"), "XDG_CONFIG_HOME="+filepath.Join(p.home, "config"),
		"XDG_DATA_HOME="+filepath.Join(p.home, "data"))
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	p.cmd = cmd
	exited := make(chan error, 1)
	p.exited = exited
	go func() { exited <- cmd.Wait() }()
	// Wait for the port: a dial every 20 ms until it answers.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(20 * time.Second)
	defer deadline.Stop()
	for {
		if c, err := net.Dial("tcp", p.addr); err == nil {
			c.Close()
			return
		}
		select {
		case err := <-exited:
			p.t.Fatalf("agentty serve exited: %v", err)
		case <-deadline.C:
			p.t.Fatal("agentty serve did not listen within 20 s")
		case <-tick.C:
		}
	}
}

// stop ends the centre with sig and waits for the process to exit.
func (p *centreProcess) stop(sig syscall.Signal) {
	p.t.Helper()
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Signal(sig)
	deadline := time.NewTimer(20 * time.Second)
	defer deadline.Stop()
	select {
	case <-p.exited:
	case <-deadline.C:
		_ = p.cmd.Process.Kill()
		p.t.Fatalf("agentty serve still running 20 s after %v", sig)
	}
	p.cmd = nil
}

func freeLoopbackAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func (p *centreProcess) follow(role, name string) *vendortest.Session {
	p.t.Helper()
	tok, err := centre.CreateToken(p.data, role, name, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	cl, err := local.NewClient(local.ClientConfig{Server: "ws://" + p.addr, Token: tok,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
	if err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { cl.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := cl.Connect(ctx); err != nil {
		p.t.Fatal(err)
	}
	s := vendortest.Follow(p.t, cl, 15*time.Second)
	s.WaitFor(name+" signed in", func(st session.State) bool { return st.Authed })
	return s
}

func ringingCall(st session.State) bool { _, ok := st.Ringing(); return ok }
func talking(st session.State) bool     { _, ok := st.Talking(); return ok }
func noCall(st session.State) bool      { return !st.OnCall() }

// afterRestart waits until s has signed in to the new centre and taken its
// snapshot.
func afterRestart(t *testing.T, s *vendortest.Session, who string) {
	t.Helper()
	n := len(s.Seen)
	s.WaitFor(who+" synced with the restarted centre", func(session.State) bool {
		for _, e := range s.Seen[n:] {
			if e, ok := e.(session.ConnectionSynced); ok && e.Restarted {
				return true
			}
		}
		return false
	})
}

// TestRestartUnwedgesConsoles kills a real `agentty serve` (kill -9, then
// SIGTERM) under connected agents (on a call, idle, ready) and kiosks
// (talking, queued) and starts it again on the same store: every console
// learns the centre restarted, its calls end by the system, and every
// command works afterwards.
func TestRestartUnwedgesConsoles(t *testing.T) {
	home := t.TempDir()
	p := &centreProcess{t: t, addr: freeLoopbackAddr(t), data: filepath.Join(home, "centre"), home: home}
	if _, err := centre.CreateToken(p.data, "agent", "setup", nil); err != nil {
		t.Fatal(err)
	}
	p.start()
	t.Cleanup(func() { p.stop(syscall.SIGKILL) })
	ana, bo := p.follow("agent", "ana"), p.follow("agent", "bo")
	k1, k2 := p.follow("kiosk", "lobby"), p.follow("kiosk", "door")

	// ana talks to the lobby kiosk; bo is checked in, not ready; the door
	// kiosk waits in the queue.
	ana.MustDo("checkin")
	ana.MustDo("ready")
	bo.MustDo("checkin")
	k1.MustDo("call")
	ana.WaitFor("ringing", ringingCall)
	ana.MustDo("answer")
	k1.WaitFor("talking", talking)
	k2.MustDo("call")
	k2.WaitFor("queued", func(st session.State) bool { return st.Queue.Waiting })

	p.stop(syscall.SIGKILL)
	p.start()
	for _, f := range []struct {
		s    *vendortest.Session
		name string
	}{{ana, "ana"}, {bo, "bo"}, {k1, "lobby"}, {k2, "door"}} {
		afterRestart(t, f.s, f.name)
	}
	for name, s := range map[string]*vendortest.Session{"ana": ana, "lobby": k1} {
		if s.State.OnCall() || len(s.State.Recent) == 0 {
			t.Fatalf("%s after the restart: calls %v", name, s.State.Calls)
		}
		if c := s.State.Recent[len(s.State.Recent)-1]; c.EndedBy != session.BySystem || c.Outcome != session.OutcomeCentreRestarted {
			t.Errorf("%s's call after the restart: ended by %s, %q", name, c.EndedBy, c.Outcome)
		}
	}
	if k2.State.Queue.Waiting || k2.State.OnCall() {
		t.Errorf("door kiosk still queued after the restart")
	}
	for name, s := range map[string]*vendortest.Session{"ana": ana, "bo": bo} {
		if s.State.CheckedIn || s.State.Agent.State != session.AgentOffline {
			t.Errorf("%s after the restart: checked in %v, %s", name, s.State.CheckedIn, s.State.Agent.State)
		}
	}

	// The calls live at the crash are on record, closed by the system.
	recs, err := centre.ListCalls(p.data)
	if err != nil {
		t.Fatal(err)
	}
	restarted := map[string]string{}
	for _, r := range recs {
		if r.EndedBy == "system" && r.Note == "centre restarted" {
			restarted[r.From] = r.Disposition
		}
	}
	if restarted["lobby"] != "answered" || restarted["door"] != "abandoned" {
		t.Errorf("records after the crash: %+v", recs)
	}

	// Every command works: check in, ready, take a call, hang up, check out.
	ana.MustDo("checkin")
	ana.MustDo("ready")
	bo.MustDo("checkin")
	bo.MustDo("ready")
	bo.MustDo("notready")
	bo.MustDo("checkout")
	k2.MustDo("call")
	ana.WaitFor("ringing after the restart", ringingCall)
	ana.MustDo("answer")
	k2.WaitFor("talking after the restart", talking)
	ana.MustDo("hangup")
	k2.WaitFor("call over", noCall)
	ana.MustDo("done")
	ana.MustDo("ready")
	k1.MustDo("call")
	ana.WaitFor("ringing again", ringingCall)
	k1.MustDo("leave")
	ana.WaitFor("caller gone", noCall)

	// SIGTERM under a ready agent and an idle kiosk.
	p.stop(syscall.SIGTERM)
	p.start()
	afterRestart(t, ana, "ana")
	afterRestart(t, k1, "lobby")
	if ana.State.CheckedIn {
		t.Errorf("ana still checked in after the second restart")
	}
	ana.MustDo("checkin")
	ana.MustDo("ready")
	k1.MustDo("call")
	ana.WaitFor("ringing after the second restart", ringingCall)
	ana.MustDo("answer")
	k1.MustDo("leave")
	ana.WaitFor("call over", noCall)
	ana.MustDo("checkout")

	// Call ids are unique for the life of the store.
	recs, err = centre.ListCalls(p.data)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range recs {
		key := r.CallID + "/" + strconv.Itoa(r.Segment)
		if seen[key] {
			t.Errorf("call %s recorded twice: %+v", key, recs)
		}
		seen[key] = true
	}
	if len(recs) < 5 {
		t.Errorf("%d records, want at least 5: %+v", len(recs), recs)
	}
}
