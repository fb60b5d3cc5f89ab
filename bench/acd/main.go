// Command acd benchmarks the embedded centre's routing engine
// (vendors/local/acd) with 10,000 agents and 1,000 queues, side by side in
// the same run with a naive router that scans queues x agents for every
// decision. It reports events per second and the p50/p99/p99.9/max time of one
// engine call ("decision").
//
//	go run ./bench/acd [-agents 10000] [-queues 1000] [-events 400000] [-runs 5]
//
// Workload: every agent is checked in to 3 random queues. Untimed warm-up:
// agents+backlog calls arrive, every agent answers one, so the centre is
// saturated with about backlog/queues callers waiting in every queue. Then,
// timed, per step: a call arrives in a random queue; the oldest ringing call
// is answered; the oldest talking call is hung up (keeping 90% of agents
// talking); the oldest agent in wrap-up is done (keeping 5% in wrap-up),
// becomes ready and is given the oldest call waiting in its queues. Each of
// these is one engine event; the routing decision it triggers, and the
// queue position and estimate updates sent to every waiting caller of the
// queue, are inside its time.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

func main() {
	agents := flag.Int("agents", 10000, "agents")
	queues := flag.Int("queues", 1000, "queues (groups)")
	events := flag.Int("events", 400000, "engine events per run")
	naiveEvents := flag.Int("naive-events", 300, "events for the naive anchor per run")
	backlog := flag.Int("backlog", 20000, "callers waiting when timing starts")
	per := flag.Int("groups-per-agent", 3, "queues each agent serves")
	runs := flag.Int("runs", 5, "runs; the median is reported")
	flag.Parse()

	var eng, nai []result
	for r := range *runs {
		eng = append(eng, runEngine(*agents, *queues, *per, *backlog, *events, uint64(r+1)))
		nai = append(nai, runNaive(*agents, *queues, *per, *backlog, *naiveEvents, uint64(r+1)))
		fmt.Fprintf(os.Stderr, "run %d: engine %s | naive %s\n", r+1, eng[r], nai[r])
	}
	e, n := median(eng), median(nai)
	fmt.Printf("ACD routing, %d agents, %d queues, %d queues per agent, %d callers waiting, median of %d runs\n", *agents, *queues, *per, *backlog, *runs)
	fmt.Printf("%-26s %12s %14s %12s %12s %12s %12s\n", "router", "events/s", "events/CPU-s", "p50", "p99", "p99.9", "max")
	fmt.Printf("%-26s %12.0f %14.0f %12v %12v %12v %12v\n", "acd engine", e.rate, e.cpuRate, e.p50, e.p99, e.p999, e.max)
	fmt.Printf("%-26s %12.0f %14.0f %12v %12v %12v %12v\n", "naive queues x agents scan", n.rate, n.cpuRate, n.p50, n.p99, n.p999, n.max)
	fmt.Printf("engine/naive throughput: %.0fx; target >= 50000 events/s and p99 <= 1ms: %v\n",
		e.rate/n.rate, e.rate >= 50000 && e.p99 <= time.Millisecond)
}

type result struct {
	rate                float64 // events per wall-clock second
	cpuRate             float64 // events per second of process CPU time (all threads, GC included)
	p50, p99, p999, max time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("%.0f ev/s (%.0f per CPU-s) p50 %v p99 %v max %v", r.rate, r.cpuRate, r.p50, r.p99, r.max)
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(rs []result) result {
	pick := func(f func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return result{
		rate:    pick(func(r result) float64 { return r.rate }),
		cpuRate: pick(func(r result) float64 { return r.cpuRate }),
		p50:     time.Duration(pick(func(r result) float64 { return float64(r.p50) })),
		p99:     time.Duration(pick(func(r result) float64 { return float64(r.p99) })),
		p999:    time.Duration(pick(func(r result) float64 { return float64(r.p999) })),
		max:     time.Duration(pick(func(r result) float64 { return float64(r.max) })),
	}
}

func summarize(lat []time.Duration, total, cpu time.Duration) result {
	slices.Sort(lat)
	return result{rate: float64(len(lat)) / total.Seconds(), cpuRate: float64(len(lat)) / cpu.Seconds(),
		p50: lat[len(lat)/2], p99: lat[len(lat)*99/100], p999: lat[len(lat)*999/1000], max: lat[len(lat)-1]}
}

// fifo is a queue of ids.
type fifo struct {
	items []string
	head  int
}

func (f *fifo) push(s string) { f.items = append(f.items, s) }
func (f *fifo) pop() (string, bool) {
	if f.head == len(f.items) {
		return "", false
	}
	s := f.items[f.head]
	f.head++
	if f.head > 4096 && f.head*2 > len(f.items) {
		f.items = append(f.items[:0], f.items[f.head:]...)
		f.head = 0
	}
	return s, true
}

func runEngine(agents, queues, per, backlog, events int, seed uint64) result {
	rng := rand.New(rand.NewPCG(seed, 42))
	e := acd.New(acd.Config{Defaults: acd.GroupConfig{RingTimeout: time.Hour, WrapUp: time.Hour, RestLimit: time.Hour}})
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	for q := range queues {
		e.SetGroup(acd.GroupConfig{ID: "q" + strconv.Itoa(q)})
	}
	var ringing, talking, wrapping fifo
	track := func(out []acd.Output) {
		for _, o := range out {
			switch ev := o.Event.(type) {
			case session.CallRinging:
				ringing.push(o.To)
			case session.CallAnswered:
				if o.To[0] == 'a' { // the agent's side
					talking.push(o.To)
				}
			case session.AgentStateChanged:
				if ev.State == session.AgentWrapUp {
					wrapping.push(o.To)
				}
			}
		}
	}
	for a := range agents {
		id := "a" + strconv.Itoa(a)
		gs := make([]string, per)
		for i := range gs {
			gs[i] = "q" + strconv.Itoa(rng.IntN(queues))
		}
		e.AddUser(acd.User{ID: id, Role: session.RoleAgent, Groups: gs})
		out, _, _ := e.Connect(now, id)
		track(out)
		out, _ = e.Do(now, id, session.Command{Verb: session.VerbCheckIn})
		track(out)
		out, _ = e.Do(now, id, session.Command{Verb: session.VerbReady})
		track(out)
		now = now.Add(time.Millisecond)
	}
	arrive := func() []acd.Output {
		_, out, _ := e.SimCall(now, "+1555", "q"+strconv.Itoa(rng.IntN(queues)))
		return out
	}
	for range agents + backlog { // warm-up, untimed
		track(arrive())
	}
	for id, ok := ringing.pop(); ok; id, ok = ringing.pop() {
		out, _ := e.Do(now, id, session.Command{Verb: session.VerbAnswer})
		track(out)
	}
	lat := make([]time.Duration, 0, events+4)
	step := func(f func() []acd.Output) {
		t := time.Now()
		out := f()
		lat = append(lat, time.Since(t))
		track(out)
	}
	runtime.GC()
	start, cpu0 := time.Now(), cpuTime()
	for len(lat) < events {
		now = now.Add(time.Millisecond)
		step(arrive)
		if id, ok := ringing.pop(); ok {
			step(func() []acd.Output { out, _ := e.Do(now, id, session.Command{Verb: session.VerbAnswer}); return out })
		}
		if talking.head+agents*9/10 < len(talking.items) {
			id, _ := talking.pop()
			step(func() []acd.Output { out, _ := e.Do(now, id, session.Command{Verb: session.VerbHangup}); return out })
		}
		if wrapping.head+agents/20 < len(wrapping.items) {
			id, _ := wrapping.pop()
			step(func() []acd.Output { out, _ := e.Do(now, id, session.Command{Verb: session.VerbDone}); return out })
		}
	}
	return summarize(lat, time.Since(start), cpuTime()-cpu0)
}
