package main

import (
	_ "embed"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/agentty/agentty/audio/g711"
)

//go:embed uac_rtp.xml
var uacRTP string

// sippFiles writes the caller scenario, its injection file (the numbers
// dialled in turn: one per agents' group) and the PCMU the callers send
// (a second of 600 Hz, raw mu-law, which rtp_stream loops).
func sippFiles(dir string, numbers []string) (scenario, inject string, err error) {
	pcm := make([]byte, 8000)
	for i := range pcm {
		pcm[i] = g711.EncodeUlaw(int16(6000 * math.Sin(2*math.Pi*600*float64(i)/8000)))
	}
	rtpFile := filepath.Join(dir, "tone.pcmu")
	if err := os.WriteFile(rtpFile, pcm, 0o644); err != nil {
		return "", "", err
	}
	scenario = filepath.Join(dir, "uac_rtp.xml")
	if err := os.WriteFile(scenario, []byte(strings.ReplaceAll(uacRTP, "RTPFILE", rtpFile)), 0o644); err != nil {
		return "", "", err
	}
	var sb strings.Builder
	sb.WriteString("SEQUENTIAL\n")
	for _, n := range numbers {
		sb.WriteString(n + ";\n")
	}
	inject = filepath.Join(dir, "numbers.csv")
	return scenario, inject, os.WriteFile(inject, []byte(sb.String()), 0o644)
}

// sippCmd places n calls at rate r (calls/s) into addr, each waiting up to
// wait seconds for the centre's BYE.
func sippCmd(dir, scenario, inject, addr string, r, n, waitSecs int) *exec.Cmd {
	cmd := exec.Command("sipp", "-sf", scenario, "-inf", inject, addr, "-i", "127.0.0.1", "-mi", "127.0.0.1",
		"-r", strconv.Itoa(r), "-m", strconv.Itoa(n), "-l", strconv.Itoa(n),
		"-recv_timeout", strconv.Itoa(waitSecs*1000), "-timeout", strconv.Itoa(n/max(1, r)+waitSecs+30)+"s",
		"-rtp_threadtasks", "64", "-nostdin")
	cmd.Dir = dir
	return cmd
}

var (
	okRE   = regexp.MustCompile(`Successful call\s+\|\s+\d+\s+\|\s+(\d+)`)
	failRE = regexp.MustCompile(`Failed call\s+\|\s+\d+\s+\|\s+(\d+)`)
)

// sippCounts reads sipp's final summary.
func sippCounts(out []byte) (ok, failed int, err error) {
	o, f := okRE.FindSubmatch(out), failRE.FindSubmatch(out)
	if o == nil || f == nil {
		return 0, 0, fmt.Errorf("no sipp summary:\n%s", tail(out))
	}
	ok, _ = strconv.Atoi(string(o[1]))
	failed, _ = strconv.Atoi(string(f[1]))
	return ok, failed, nil
}

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// udpDrops sums the kernel's receive drops (/proc/net/udp's last column:
// datagrams a full socket buffer turned away) over the UDP sockets of
// process pid.
func udpDrops(pid int) (uint64, error) {
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return 0, err
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		link, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if err == nil && strings.HasPrefix(link, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
		}
	}
	var total uint64
	for _, f := range []string{"/proc/net/udp", "/proc/net/udp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for i, line := range strings.Split(string(b), "\n") {
			fs := strings.Fields(line)
			if i == 0 || len(fs) < 13 || !inodes[fs[9]] {
				continue
			}
			d, _ := strconv.ParseUint(fs[len(fs)-1], 10, 64)
			total += d
		}
	}
	return total, nil
}

// lockedBuf collects a process's output while it runs.
type lockedBuf struct {
	mu sync.Mutex
	b  []byte
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b = append(l.b, p...)
	return len(p), nil
}

func (l *lockedBuf) bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]byte(nil), l.b...)
}

func numCPU() int { return runtime.NumCPU() }

// backlogDrops sums /proc/net/softnet_stat's second column over the CPUs:
// packets the kernel dropped because a CPU's input backlog was full (on
// loopback, the one place between a send and a socket).
func backlogDrops() uint64 {
	b, err := os.ReadFile("/proc/net/softnet_stat")
	if err != nil {
		return 0
	}
	var total uint64
	for _, line := range strings.Split(string(b), "\n") {
		if fs := strings.Fields(line); len(fs) >= 2 {
			v, _ := strconv.ParseUint(fs[1], 16, 64)
			total += v
		}
	}
	return total
}
