// Package siplab starts real SIP peers on loopback for tests: Kamailio as
// registrar and record-routing proxy with digest auth, and baresip user
// agents. Each peer runs in a temporary directory on free ports and is
// stopped by t.Cleanup. Under CI=true a peer that cannot start fails the
// test; otherwise the test is skipped.
package siplab

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/agentty/agentty/internal/testenv"
)

//go:embed testdata/kamailio.cfg.tmpl
var kamailioCfg string

// User is one account in the lab's user table.
type User struct{ Name, Password string }

// Kamailio is a running Kamailio.
type Kamailio struct {
	Dir  string
	Port int
	// TLSPort and CAFile are set by StartKamailioTLS: the TLS listener
	// and the PEM file of the certificate it presents (its own CA).
	TLSPort int
	CAFile  string
	Domain  string
	cfg     string
	cmd     *exec.Cmd
	pid     int
}

// Addr is the proxy's host:port.
func (k *Kamailio) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(k.Port)) }

// unavailable fails under CI=true and skips otherwise.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	testenv.Unavailable(t, "siplab: "+format, args...)
}

// FreePort returns a port free on 127.0.0.1 for both UDP and TCP.
func FreePort(t testing.TB) int {
	t.Helper()
	p, err := freePort()
	if err != nil {
		t.Fatalf("siplab: %v", err)
	}
	return p
}

func freePort() (int, error) {
	for range 50 {
		u, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("free port: %w", err)
		}
		p := u.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		u.Close()
		if err == nil {
			l.Close()
			return p, nil
		}
	}
	return 0, errors.New("no free port")
}

// StartKamailio renders the lab config for users with digest algorithm
// alg ("MD5" or "SHA-256") and starts Kamailio; it returns once Kamailio
// answers on its control socket.
func StartKamailio(t testing.TB, alg string, users ...User) *Kamailio {
	t.Helper()
	if _, err := exec.LookPath("kamailio"); err != nil {
		unavailable(t, "kamailio not installed: %v", err)
	}
	k, err := LaunchKamailio(t.TempDir(), alg, users...)
	if err != nil {
		unavailable(t, "%v", err)
	}
	t.Cleanup(k.Stop)
	return k
}

// LaunchKamailio is StartKamailio for programs (bench/): Kamailio runs in
// dir until Stop.
func LaunchKamailio(dir, alg string, users ...User) (*Kamailio, error) {
	return launchKamailio(dir, alg, "", users...)
}

// launchKamailio is LaunchKamailio; a trunk (host:port) also gets the
// INVITEs for 900-999 (trunk.go).
func launchKamailio(dir, alg, trunk string, users ...User) (*Kamailio, error) {
	return launchKamailioTLS(dir, alg, trunk, false, users...)
}

// launchKamailioTLS is launchKamailio; withTLS also listens for TLS
// (tls.go).
func launchKamailioTLS(dir, alg, trunk string, withTLS bool, users ...User) (*Kamailio, error) {
	if alg == "" {
		alg = "MD5"
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	k := &Kamailio{Dir: dir, Port: port, Domain: "lab.test"}
	if withTLS {
		if err := k.writeTLS(); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	tmpl := template.Must(template.New("cfg").Parse(kamailioCfg))
	if err := tmpl.Execute(&buf, map[string]any{"Port": k.Port, "Domain": k.Domain, "Dir": k.Dir,
		"ModPath": modPath(), "Users": users, "Algorithm": alg, "Trunk": trunk, "TLSPort": k.TLSPort}); err != nil {
		return nil, fmt.Errorf("siplab: render kamailio.cfg: %w", err)
	}
	if err := copyDBText(filepath.Join(k.Dir, "db")); err != nil {
		return nil, fmt.Errorf("siplab: kamailio db_text tables: %w", err)
	}
	k.cfg = filepath.Join(k.Dir, "kamailio.cfg")
	if err := os.WriteFile(k.cfg, buf.Bytes(), 0o600); err != nil {
		return nil, err
	}
	if err := k.Start(); err != nil {
		return nil, err
	}
	return k, nil
}

// dbTextTables are the db_text tables presence and pua open (kept empty:
// the lab keeps their state in memory); Debian ships their definitions.
var dbTextTables = []string{"version", "pua", "presentity", "active_watchers", "watchers", "xcap"}

func copyDBText(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, name := range dbTextTables {
		b, err := os.ReadFile(filepath.Join("/usr/share/kamailio/dbtext/kamailio", name))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func modPath() string {
	for _, p := range []string{"/usr/lib/x86_64-linux-gnu/kamailio/modules", "/usr/lib/aarch64-linux-gnu/kamailio/modules", "/usr/lib/kamailio/modules"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "/usr/lib/kamailio/modules"
}

// Start (re)starts the Kamailio process on the same port and config.
func (k *Kamailio) Start() error {
	pidFile := filepath.Join(k.Dir, "kamailio.pid")
	os.Remove(pidFile)
	log, err := os.OpenFile(filepath.Join(k.Dir, "kamailio.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := exec.Command("kamailio", "-f", k.cfg, "-P", pidFile, "-E", "-w", k.Dir, "-Y", k.Dir)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Run(); err != nil { // fork=yes: the launcher exits once the daemon is up
		out, _ := os.ReadFile(filepath.Join(k.Dir, "kamailio.log"))
		return fmt.Errorf("kamailio did not start: %v\n%s", err, tail(out))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if b, err := os.ReadFile(pidFile); err == nil {
			if pid, err := strconv.Atoi(string(bytes.TrimSpace(b))); err == nil && pid > 0 {
				if _, err := os.Stat(filepath.Join(k.Dir, "kamailio_ctl")); err == nil {
					k.pid = pid
					return nil
				}
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
	}
	out, _ := os.ReadFile(filepath.Join(k.Dir, "kamailio.log"))
	return fmt.Errorf("kamailio: no pid file or control socket after 10 s\n%s", tail(out))
}

// Stop kills Kamailio's process group and waits until it is gone.
func (k *Kamailio) Stop() {
	if k.pid == 0 {
		return
	}
	pgid, err := syscall.Getpgid(k.pid)
	if err == nil {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(k.pid, 0); errors.Is(err, syscall.ESRCH) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	k.pid = 0
	os.Remove(filepath.Join(k.Dir, "kamailio_ctl"))
}

// Log returns Kamailio's log so far.
func (k *Kamailio) Log() string {
	b, _ := os.ReadFile(filepath.Join(k.Dir, "kamailio.log"))
	return string(b)
}

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
