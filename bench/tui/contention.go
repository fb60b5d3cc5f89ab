package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuMeter reports how much CPU other processes took during a measurement:
// the machines here are shared, and a frame late because another program
// held both cores says nothing about this one. Linux only; elsewhere it
// reports nothing.
type cpuMeter struct {
	start   time.Time
	busy0   float64 // seconds of CPU time spent by the whole machine
	self0   float64 // seconds of CPU time spent by this process
	ok      bool
	clockHz float64
	ncpu    int
}

func newCPUMeter() *cpuMeter {
	m := &cpuMeter{start: time.Now(), clockHz: 100}
	busy, n, ok := machineBusy(m.clockHz)
	m.busy0, m.ncpu, m.ok = busy, n, ok
	m.self0 = selfCPU()
	return m
}

// others returns the share of the machine (0..1) other processes used
// since newCPUMeter.
func (m *cpuMeter) others() (float64, bool) {
	if !m.ok {
		return 0, false
	}
	busy, _, ok := machineBusy(m.clockHz)
	if !ok {
		return 0, false
	}
	wall := time.Since(m.start).Seconds() * float64(m.ncpu)
	other := (busy - m.busy0) - (selfCPU() - m.self0)
	return max(other, 0) / wall, true
}

func machineBusy(hz float64) (float64, int, bool) {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, false
	}
	var busy float64
	n := 0
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) < 8 || !strings.HasPrefix(f[0], "cpu") {
			continue
		}
		if f[0] != "cpu" {
			n++
			continue
		}
		// user nice system idle iowait irq softirq steal...
		for i, v := range f[1:] {
			if i == 3 || i == 4 { // idle, iowait
				continue
			}
			if i >= 8 { // guest time is already in user
				break
			}
			x, _ := strconv.ParseFloat(v, 64)
			busy += x / hz
		}
	}
	return busy, n, n > 0
}

func selfCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}
