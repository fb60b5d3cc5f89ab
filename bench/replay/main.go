// Command replay measures `agentty replay` at max speed on a centre's
// journal of 100,000 events, written through the real ACD engine
// (replay/replaytest: a supervisor, 50 agents, callers answered at once).
// Figures are printed, never gates; the median of the runs is the figure.
//
//	go build -tags nolibopusfile -o /tmp/agentty . && go run -tags nolibopusfile ./bench/replay -bin /tmp/agentty
//
// Two measures:
//   - in process: read the journal (journal.Read) and play it at max
//     through replay.Player into session.Apply, as the console's stream
//     does (no drawing);
//   - the command: `agentty replay FILE --headless --speed max`, stdout
//     to /dev/null (read, fold, one JSON summary per event), when -bin is
//     given.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"time"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/replay"
	"github.com/agentty/agentty/replay/replaytest"
	"github.com/agentty/agentty/session"
)

func main() {
	lines := flag.Int("events", 100_000, "journal lines")
	agents := flag.Int("agents", 50, "agents in the journal")
	runs := flag.Int("runs", 3, "timed runs")
	bin := flag.String("bin", "", "an agentty binary: also time 'agentty replay --headless --speed max'")
	flag.Parse()

	dir, err := os.MkdirTemp("", "bench-replay")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	b := replaytest.Day(*lines, *agents, 1)
	path := filepath.Join(dir, "centre.jsonl")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("journal: %d lines, %.1f MB, %d agents and a supervisor; GOMAXPROCS %d\n",
		bytes.Count(b, []byte("\n")), float64(len(b))/(1<<20), *agents, runtime.GOMAXPROCS(0))

	var inproc, inprocCPU []time.Duration
	for i := range *runs {
		runtime.GC()
		c0 := cpuTime()
		t0 := time.Now()
		f, err := os.Open(path)
		if err != nil {
			fail(err)
		}
		l, err := journal.Read(f)
		f.Close()
		if err != nil {
			fail(err)
		}
		read := time.Since(t0)
		p := replay.NewPlayer(l.Entries, replay.Max, nil)
		ctx, cancel := context.WithCancel(context.Background())
		go p.Run(ctx)
		var st session.State
		n := 0
		for ev := range p.Events() {
			st = session.Apply(st, ev)
			n++
			if n == len(l.Entries) {
				cancel() // Run waits at the end for a seek; stop it
			}
		}
		cancel()
		d := time.Since(t0)
		cpu := cpuTime() - c0
		inproc = append(inproc, d)
		inprocCPU = append(inprocCPU, cpu)
		fmt.Printf("  in process %d: wall %v, CPU %v (read %v, %d events played)\n", i+1, d.Round(time.Millisecond), cpu.Round(time.Millisecond), read.Round(time.Millisecond), n)
	}
	fmt.Printf("in process median wall %v, CPU %v (target <= 2 s)\n", median(inproc).Round(time.Millisecond), median(inprocCPU).Round(time.Millisecond))

	if *bin == "" {
		return
	}
	var cmdTimes, cmdCPU []time.Duration
	for i := range *runs {
		cmd := exec.Command(*bin, "replay", path, "--headless", "--speed", "max", "--no-journal")
		cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			fail(fmt.Errorf("%v: %s", err, errb.String()))
		}
		d := time.Since(t0)
		cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		cmdTimes = append(cmdTimes, d)
		cmdCPU = append(cmdCPU, cpu)
		fmt.Printf("  agentty replay --headless --speed max %d: wall %v, CPU %v\n", i+1, d.Round(time.Millisecond), cpu.Round(time.Millisecond))
	}
	fmt.Printf("command median wall %v, CPU %v (target <= 2 s)\n", median(cmdTimes).Round(time.Millisecond), median(cmdCPU).Round(time.Millisecond))
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench/replay:", err)
	os.Exit(1)
}
