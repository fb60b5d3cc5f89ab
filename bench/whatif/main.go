// Command whatif measures `agentty simulate`'s engine (whatif.Run: the
// real ACD, vendors/local/acd, driven in virtual time) and prints the
// simulation beside Erlang C and Erlang A. Figures are printed, never
// gates.
//
//	go run -tags nolibopusfile ./bench/whatif [-calls 1000000] [-agents 2000] [-groups 100] [-runs 3] [-table]
//
// The day: Poisson arrivals over 24 h spread evenly over the groups, the
// agents spread evenly over the groups (one group each), exponential
// handle times chosen so agents are 85 % busy, nobody gives up. The time
// is the wall time of whatif.Run (the arrivals are drawn before, untimed,
// and reported apart); the median of the runs is the figure.
//
// -table runs the Erlang C / Erlang A comparison: long single-group runs
// (Poisson, exponential handle times; exponential patience for Erlang A)
// with the service level (20 s) and ASA beside the formulas, with a 95 %
// confidence half-width from 20 batch means.
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/agentty/agentty/whatif"
	"github.com/agentty/agentty/whatif/erlang"
)

func main() {
	calls := flag.Int("calls", 1_000_000, "calls in the simulated day (0: no day, e.g. with -table)")
	agents := flag.Int("agents", 2000, "agents")
	groups := flag.Int("groups", 100, "groups")
	runs := flag.Int("runs", 3, "timed runs")
	occ := flag.Float64("occupancy", 0.85, "offered load per agent")
	table := flag.Bool("table", false, "also print the Erlang C / A comparison")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the timed runs here")
	flag.Parse()
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			fmt.Fprintln(os.Stderr, "whatif:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}

	if *calls > 0 {
		day(*calls, *agents, *groups, *runs, *occ)
	}
	if *table {
		compare()
	}
}

func day(calls, agents, groups, runs int, occ float64) {
	var gs []string
	per := map[string]int{}
	for g := range groups {
		id := "g" + strconv.Itoa(g)
		gs = append(gs, id)
		per[id] = agents / groups
	}
	const hours = 24
	perHour := float64(calls) / hours
	// occupancy = rate per group * AHT / agents per group.
	aht := time.Duration(occ * float64(agents/groups) / (perHour / float64(groups)) * float64(time.Hour))
	t0 := time.Now()
	arr := whatif.Poisson(whatif.PoissonDay{PerHour: perHour, Hours: hours, Groups: gs, AHT: aht, Seed: 1})
	gen := time.Since(t0)
	fmt.Printf("day: %d calls (drawn in %v), %d agents, %d groups, AHT %v, 24 h, GOMAXPROCS %d\n",
		len(arr), gen.Round(time.Millisecond), agents, groups, aht.Round(time.Second), runtime.GOMAXPROCS(0))
	var times, cpus []time.Duration
	var last whatif.Result
	for i := range runs {
		runtime.GC()
		c0 := cpuTime()
		t0 := time.Now()
		r, err := whatif.Run(whatif.Config{Arrivals: arr, Agents: per, Hours: hours})
		if err != nil {
			fmt.Fprintln(os.Stderr, "whatif:", err)
			os.Exit(1)
		}
		d := time.Since(t0)
		cpu := cpuTime() - c0
		times = append(times, d)
		cpus = append(cpus, cpu)
		last = r
		fmt.Printf("  run %d: wall %v, CPU %v (%d engine outputs, %.0f calls/s of wall time)\n", i+1, d.Round(time.Millisecond),
			cpu.Round(time.Millisecond), r.Events, float64(len(arr))/d.Seconds())
	}
	slices.Sort(times)
	slices.Sort(cpus)
	med := times[len(times)/2]
	fmt.Printf("median CPU time %v (user+sys; the wall time below includes waiting for a core on a shared machine)\n", cpus[len(cpus)/2].Round(time.Millisecond))
	t := last.Total
	fmt.Printf("median wall time %v (target <= 10 s); peak RSS %d MB\n", med.Round(time.Millisecond), peakRSS()>>20)
	fmt.Printf("whole day: SL(20s) %.4f, ASA %.2f s, abandon %.4f, occupancy %.4f, longest wait %.0f s\n",
		t.ServiceLevel, t.ASA, t.AbandonRate, t.Occupancy, t.LongestWait)
	c, err := erlang.C(agents/groups, erlang.Load{Rate: perHour / float64(groups) / 3600, AHT: aht}, 20*time.Second)
	if err == nil {
		fmt.Printf("Erlang C per group:  SL(20s) %.4f, ASA %.2f s, occupancy %.4f\n", c.ServiceLevel, c.ASA, c.Occupancy)
	}
}

// compare prints simulation against Erlang C and Erlang A.
func compare() {
	type row struct {
		perHour  float64
		aht      time.Duration
		agents   int
		patience time.Duration
		hours    int
	}
	rows := []row{
		{200, 180 * time.Second, 11, 0, 2000},
		{200, 180 * time.Second, 12, 0, 2000},
		{200, 180 * time.Second, 13, 0, 2000},
		{200, 180 * time.Second, 14, 0, 2000},
		{200, 180 * time.Second, 15, 0, 2000},
		{19000, 180 * time.Second, 1000, 0, 40}, // 950 erlangs on 1,000 agents
		{240, 180 * time.Second, 11, time.Minute, 2000},
		{240, 180 * time.Second, 12, 2 * time.Minute, 2000},
		{21000, 180 * time.Second, 1000, time.Minute, 40}, // 1,050 erlangs on 1,000: only Erlang A exists
	}
	fmt.Println()
	fmt.Println("| calls/h | AHT | agents | patience | sim hours | SL(20s) sim ± 95% | formula | ASA sim ± 95% | formula | abandon sim | formula |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		arr := whatif.Poisson(whatif.PoissonDay{PerHour: r.perHour, Hours: float64(r.hours), Groups: []string{"q"}, AHT: r.aht, Patience: r.patience, Seed: 11})
		res, err := whatif.Run(whatif.Config{Arrivals: arr, Agents: map[string]int{"q": r.agents}, Hours: r.hours})
		if err != nil {
			fmt.Fprintln(os.Stderr, "whatif:", err)
			os.Exit(1)
		}
		l := erlang.Load{Rate: r.perHour / 3600, AHT: r.aht}
		var f erlang.Figures
		name := "C"
		if r.patience > 0 {
			f, err = erlang.A(r.agents, l, r.patience, 20*time.Second)
			name = "A"
		} else {
			f, err = erlang.C(r.agents, l, 20*time.Second)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "erlang:", err)
			continue
		}
		sl, slh := batch(res, func(s whatif.Stats) (float64, int) { return s.ServiceLevel, s.Offered })
		asa, asah := batch(res, func(s whatif.Stats) (float64, int) { return s.ASA, s.Answered })
		pat := "none"
		if r.patience > 0 {
			pat = r.patience.String()
		}
		fmt.Printf("| %.0f | %v | %d | %s | %d | %.4f ± %.4f | %.4f (%s) | %.2f ± %.2f | %.2f | %.4f | %.4f |\n",
			r.perHour, r.aht, r.agents, pat, r.hours, sl, slh, f.ServiceLevel, name, asa, asah, f.ASA, res.Total.AbandonRate, f.AbandonRate)
	}
}

// batch returns the mean of 20 batch means of the hourly figures, each
// hour weighted by the calls its figure is over (offered calls for the
// service level, answered ones for the ASA), and a 95 % half-width (t
// with 19 degrees of freedom, 2.093).
func batch(r whatif.Result, f func(whatif.Stats) (float64, int)) (mean, half float64) {
	const k = 20
	n := len(r.Hours) / k
	var ms []float64
	for b := range k {
		var s float64
		var w int
		for _, h := range r.Hours[b*n : (b+1)*n] {
			v, n := f(h)
			s += v * float64(n)
			w += n
		}
		if w > 0 {
			ms = append(ms, s/float64(w))
		}
	}
	for _, m := range ms {
		mean += m
	}
	mean /= float64(len(ms))
	var v float64
	for _, m := range ms {
		v += (m - mean) * (m - mean)
	}
	v /= float64(len(ms) - 1)
	return mean, 2.093 * math.Sqrt(v/float64(len(ms)))
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func peakRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss << 10
}
