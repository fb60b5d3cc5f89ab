package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// msg is one line between this process and the agents' media process
// (bench/relay's -clients protocol; the fields this bench uses).
type msg struct {
	T      string `json:"t"`
	Party  string `json:"party,omitempty"`
	Call   string `json:"call,omitempty"`
	Kind   string `json:"kind,omitempty"`
	SDP    string `json:"sdp,omitempty"`
	Sent   uint64 `json:"sent,omitempty"`
	Recv   uint64 `json:"recv,omitempty"`
	Expect uint64 `json:"expect,omitempty"`
	Late   uint64 `json:"late,omitempty"`
	CPUNs  uint64 `json:"cpu,omitempty"`
	Window int64  `json:"window,omitempty"`
	Unsent uint64 `json:"unsent,omitempty"`
	Bad    uint64 `json:"bad,omitempty"`
}

// child is the agents' media process: bench/relay's callers answering the
// centre's offers to the agents with codec, sending 50 packets/s on each
// leg and counting what arrives (sequence numbers: received and expected).
type child struct {
	cmd   *exec.Cmd
	mu    sync.Mutex
	enc   *json.Encoder
	in    interface{ Close() error }
	ready chan struct{}
	res   chan msg
	done  chan struct{}
}

// startChild runs relayBin's callers with codec; ready fires when legs
// legs have flowed, result lines come on res. Answers go to as.
func startChild(ctx context.Context, relayBin, codec string, legs int, window time.Duration, as *agentSet) (*child, error) {
	cmd := exec.Command(relayBin, "-clients", "webrtc", "-n", "0", "-ready", strconv.Itoa(legs), "-codec", codec,
		"-window", window.String())
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, enc: json.NewEncoder(stdin), in: stdin, ready: make(chan struct{}), res: make(chan msg, 1), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		lines := bufio.NewScanner(stdout)
		lines.Buffer(make([]byte, 1<<20), 1<<20)
		readyOnce := sync.Once{}
		for lines.Scan() {
			var m msg
			if json.Unmarshal(lines.Bytes(), &m) != nil {
				continue
			}
			switch m.T {
			case "signal":
				go as.answer(ctx, m)
			case "ready":
				readyOnce.Do(func() { close(c.ready) })
			case "result":
				c.res <- m
			}
		}
	}()
	return c, nil
}

func (c *child) send(m msg) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.enc.Encode(m) //nolint:errcheck // a dead child shows as missing results
}

// window asks for one measuring window and waits for its result.
func (c *child) window(timeout time.Duration) (msg, error) {
	c.send(msg{T: "start"})
	select {
	case m := <-c.res:
		return m, nil
	case <-c.done:
		return msg{}, fmt.Errorf("agents' media process ended")
	case <-time.After(timeout):
		return msg{}, fmt.Errorf("no result from the agents' media process in %v", timeout)
	}
}

// close ends the process and waits for it.
func (c *child) close() {
	c.in.Close()
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
	}
	c.cmd.Wait()
}

// buildRelay builds bench/relay (the agents' media process and the
// WebRTC-only figure) into dir, from the module this bench is in.
func buildRelay(dir string) (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	bin := filepath.Join(dir, "relay")
	cmd := exec.Command("go", "build", "-tags", "nolibopusfile", "-o", bin, "./bench/relay")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build bench/relay: %v\n%s", err, b)
	}
	return bin, nil
}
