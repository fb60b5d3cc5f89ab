package siplab

import (
	"embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

//go:embed testdata/sipp/*.xml
var sippScenarios embed.FS

// Sipp is a running sipp scenario (sip-tester).
type Sipp struct {
	Dir  string
	Port int
	cmd  *exec.Cmd
	done chan error
}

// Scenarios of testdata/sipp: uas_fail (answers every INVITE with the
// status [$code], to be replaced before it runs), uas_answer (answers at once, waits for BYE),
// uac_cancel (rings the service, then CANCELs), uac_replaces (a call
// taken over by an INVITE with Replaces), uas_reinvite (answers, then
// re-INVITEs: hold, retrieve, a refresh with no SDP, checking each answer's
// direction, and hangs up).
const (
	SippUASFail     = "uas_fail.xml"
	SippUASAnswer   = "uas_answer.xml"
	SippUACCancel   = "uac_cancel.xml"
	SippUACReplaces = "uac_replaces.xml"
	SippUASReInvite = "uas_reinvite.xml"
)

// StartSipp runs scenario on 127.0.0.1 (a free port) towards remote
// (host:port, empty for a server) with extra sipp arguments ("-s", "201",
// "-m", "1" ...). It is killed at cleanup.
func StartSipp(t testing.TB, scenario, remote string, extra ...string) *Sipp {
	t.Helper()
	return StartSippXML(t, SippScenario(t, scenario), remote, extra...)
}

// SippScenario is the text of one of the scenarios above.
func SippScenario(t testing.TB, name string) string {
	t.Helper()
	xml, err := sippScenarios.ReadFile("testdata/sipp/" + name)
	if err != nil {
		t.Fatalf("siplab: scenario %s: %v", name, err)
	}
	return string(xml)
}

// StartSippXML is StartSipp with the scenario's text (to change a
// scenario before running it: sipp reads status codes when it loads).
func StartSippXML(t testing.TB, xml, remote string, extra ...string) *Sipp {
	t.Helper()
	if _, err := exec.LookPath("sipp"); err != nil {
		unavailable(t, "sipp not installed: %v", err)
	}
	s, err := LaunchSipp(t.TempDir(), xml, remote, extra...)
	if err != nil {
		unavailable(t, "%v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// LaunchSipp is StartSippXML for programs (bench/): sipp runs in dir
// until it ends or Stop.
func LaunchSipp(dir, xml, remote string, extra ...string) (*Sipp, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	media, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Sipp{Dir: dir, Port: port, done: make(chan error, 1)}
	sf := filepath.Join(s.Dir, "scenario.xml")
	if err := os.WriteFile(sf, []byte(xml), 0o600); err != nil {
		return nil, err
	}
	args := []string{"-sf", sf, "-i", "127.0.0.1", "-p", strconv.Itoa(s.Port), "-t", "u1", "-nostdin",
		"-trace_err", "-error_file", filepath.Join(s.Dir, "errors.log"), "-mp", strconv.Itoa(media)}
	args = append(args, extra...)
	if remote != "" {
		args = append(args, remote)
	}
	log, err := os.Create(filepath.Join(s.Dir, "sipp.log"))
	if err != nil {
		return nil, err
	}
	s.cmd = exec.Command("sipp", args...)
	s.cmd.Dir = s.Dir
	s.cmd.Stdout, s.cmd.Stderr = log, log
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("sipp: %w", err)
	}
	log.Close()
	go func() { s.done <- s.cmd.Wait() }()
	return s, nil
}

// ScenarioText is the text of a scenario of testdata/sipp, for programs.
func ScenarioText(name string) (string, error) {
	b, err := sippScenarios.ReadFile("testdata/sipp/" + name)
	return string(b), err
}

// Addr is sipp's host:port.
func (s *Sipp) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.Port) }

// Stop kills sipp.
func (s *Sipp) Stop() {
	if s.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
	}
}

// Wait waits for sipp to end its calls and fails t unless it exited 0
// (every call succeeded).
func (s *Sipp) Wait(t testing.TB, within time.Duration) {
	t.Helper()
	select {
	case err := <-s.done:
		s.done <- err // for stop
		if err != nil {
			t.Fatalf("sipp failed: %v\n%s", err, s.Log())
		}
	case <-time.After(within):
		t.Fatalf("sipp still running after %v\n%s", within, s.Log())
	}
}

// Log is sipp's output and its unexpected-message log.
func (s *Sipp) Log() string {
	out, _ := os.ReadFile(filepath.Join(s.Dir, "sipp.log"))
	errs, _ := os.ReadFile(filepath.Join(s.Dir, "errors.log"))
	m, _ := filepath.Glob(filepath.Join(s.Dir, "*_errors.log"))
	for _, f := range m {
		b, _ := os.ReadFile(f)
		errs = append(errs, b...)
	}
	return fmt.Sprintf("%s\n--- errors\n%s", tail(out), tail(errs))
}
