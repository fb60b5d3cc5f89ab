package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/local/store"
	"github.com/agentty/agentty/whatif"
)

func init() { extraCommands = append(extraCommands, newSimulateCmd) }

// simSettings are one side of a simulation: what --compare may change.
type simSettings struct {
	agents      string
	schedule    []whatif.Shift
	strategy    string
	ringTimeout time.Duration
	wrapUp      time.Duration
}

func newSimulateCmd(*globals) *cobra.Command {
	var (
		s        simSettings
		rate     float64
		arrivals string
		aht      time.Duration
		ahtDist  string
		hours    float64
		patience time.Duration
		sl       time.Duration
		seed     uint64
		asJSON   bool
		compare  string
		schedule string
	)
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Run the ACD offline in virtual time: service level, ASA, abandons, occupancy, beside Erlang C and A",
		Long: `Run the centre's own routing engine offline, in virtual time (no sockets, no
waiting), on Poisson arrivals (--rate) or on a recorded day (--arrivals: a
centre's data directory, or the JSON lines of 'agentty calls --json'), and
print the service level, average speed of answer, abandon rate, occupancy and
longest wait per hour and for the whole run, beside the Erlang C and Erlang A
figures for the same load. --compare runs a second setting on the same
arrivals, e.g. --compare agents=14 or --compare strategy=fewest-calls.`,
		Example: `  agentty simulate --rate 200 --aht 180s --agents 14 --hours 8
  agentty simulate --arrivals ~/.local/share/agentty/centre --agents sales=5,support=3 --compare agents=sales=6,support=3
  agentty simulate --rate 1200 --aht 170s --patience 60s --agents 60 --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dist, err := whatif.ParseDist(ahtDist)
			if err != nil {
				return usagef("--aht-dist: %v", err)
			}
			var day whatif.Day
			switch {
			case arrivals != "":
				// A caller who gave up talks, when answered in the run, the
				// day's own mean handle time, unless --aht says otherwise.
				fallback := time.Duration(0)
				if cmd.Flags().Changed("aht") {
					fallback = aht
				}
				day, err = loadDay(arrivals, fallback, seed)
				if err != nil {
					return err
				}
				for i := range day.Arrivals {
					if day.Arrivals[i].Handle == 0 { // nobody was answered that day
						day.Arrivals[i].Handle = aht
					}
				}
				if cmd.Flags().Changed("patience") {
					day.Patience = patience
				}
			case rate > 0:
				if aht <= 0 || hours <= 0 {
					return usagef("--aht and --hours must be positive")
				}
				groups := []string{acd.DefaultGroup}
				if spec, err := parseAgents(s.agents, groups); err == nil && len(spec) > 0 {
					groups = groups[:0]
					for g := range spec {
						groups = append(groups, g)
					}
					sort.Strings(groups)
				}
				day = whatif.Day{Arrivals: whatif.Poisson(whatif.PoissonDay{PerHour: rate, Hours: hours,
					Groups: groups, AHT: aht, AHTDist: dist, Patience: patience, Seed: seed}),
					Hours: int(hours + 0.999999), Groups: groups, AHT: aht, Patience: patience}
			default:
				return usagef("give --rate CALLS_PER_HOUR or --arrivals FILE")
			}
			if schedule != "" {
				if s.schedule, err = readSchedule(schedule); err != nil {
					return err
				}
			}
			base, err := runSim(day, s, sl)
			if err != nil {
				return err
			}
			runs := []simRun{base}
			if compare != "" {
				other, err := s.with(compare)
				if err != nil {
					return usagef("--compare: %v", err)
				}
				alt, err := runSim(day, other, sl)
				if err != nil {
					return err
				}
				runs = append(runs, alt)
			}
			if asJSON {
				return writeSimJSON(cmd.OutOrStdout(), runs)
			}
			return writeSimText(cmd.OutOrStdout(), runs, sl)
		},
	}
	f := cmd.Flags()
	f.Float64Var(&rate, "rate", 0, "Poisson arrivals, calls per hour (all groups)")
	f.StringVar(&arrivals, "arrivals", "", "a recorded day: a centre's data directory or 'agentty calls --json' lines")
	f.DurationVar(&aht, "aht", 3*time.Minute, "mean handle time (for --arrivals: of the calls never answered; default the day's own)")
	f.StringVar(&ahtDist, "aht-dist", "exp", "handle time distribution: exp, fixed, lognormal")
	f.StringVar(&s.agents, "agents", "10", "agents checked in: N (spread over the groups) or GROUP=N,GROUP=N")
	f.Float64Var(&hours, "hours", 8, "length of the simulated run, for --rate")
	f.DurationVar(&patience, "patience", 0, "mean patience of a waiting caller (exponential); 0: nobody gives up")
	f.StringVar(&schedule, "schedule", "", "agents per group by hour: lines 'HOUR GROUP AGENTS' (hour 1 is the first)")
	f.StringVar(&s.strategy, "strategy", string(acd.LongestIdle), "routing: longest-idle, ring-all, round-robin, fewest-calls")
	f.DurationVar(&s.ringTimeout, "ring-timeout", 20*time.Second, "ring an agent this long before the next")
	f.DurationVar(&s.wrapUp, "wrap-up", 0, "after-call work (0: included in the handle time)")
	f.DurationVar(&sl, "sl", acd.ServiceTarget, "service-level threshold")
	f.Uint64Var(&seed, "seed", 1, "random seed (same seed, same arrivals)")
	f.BoolVar(&asJSON, "json", false, "one JSON object")
	f.StringVar(&compare, "compare", "", "a second run with one setting changed: agents=..., strategy=..., ring-timeout=..., wrap-up=...")
	return cmd
}

// with returns s with one KEY=VALUE setting changed.
func (s simSettings) with(kv string) (simSettings, error) {
	k, v, ok := strings.Cut(kv, "=")
	if !ok {
		return s, fmt.Errorf("%q: want KEY=VALUE", kv)
	}
	var err error
	switch k {
	case "agents":
		s.agents = v
	case "strategy":
		s.strategy = v
	case "ring-timeout":
		s.ringTimeout, err = time.ParseDuration(v)
	case "wrap-up":
		s.wrapUp, err = time.ParseDuration(v)
	default:
		return s, fmt.Errorf("%q: can compare agents, strategy, ring-timeout or wrap-up", k)
	}
	return s, err
}

func (s simSettings) String() string {
	return fmt.Sprintf("agents %s, %s", s.agents, s.strategy)
}

// parseAgents reads "N" (spread over groups, the first ones getting the
// remainder) or "GROUP=N,GROUP=N".
func parseAgents(spec string, groups []string) (map[string]int, error) {
	out := map[string]int{}
	if n, err := strconv.Atoi(spec); err == nil {
		if n <= 0 {
			return nil, fmt.Errorf("--agents %d: want at least one", n)
		}
		for i, g := range groups {
			out[g] = n / len(groups)
			if i < n%len(groups) {
				out[g]++
			}
		}
		return out, nil
	}
	for _, part := range strings.Split(spec, ",") {
		g, v, ok := strings.Cut(part, "=")
		n, err := strconv.Atoi(v)
		if !ok || g == "" || err != nil || n < 0 {
			return nil, fmt.Errorf("--agents %q: want N or GROUP=N,GROUP=N", spec)
		}
		out[g] = n
	}
	return out, nil
}

// loadDay reads a recorded day: a centre's data directory (its store), a
// journal directory or file (a centre's events), or a file of
// `agentty calls --json` lines.
func loadDay(path string, fallback time.Duration, seed uint64) (whatif.Day, error) {
	recs, err := readDayRecords(path)
	if err != nil {
		return whatif.Day{}, err
	}
	day, err := whatif.FromRecords(recs, fallback, seed)
	if err != nil {
		return whatif.Day{}, fmt.Errorf("simulate: %s: %w", path, err)
	}
	return day, nil
}

func readDayRecords(path string) ([]whatif.Record, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	if st.IsDir() {
		if _, err := os.Stat(filepath.Join(path, store.FileName)); err != nil {
			log, err := readJournal(path) // a journal directory
			if err != nil {
				return nil, err
			}
			return whatif.RecordsFromJournal(log.Entries), nil
		}
		calls, err := centre.ListCalls(path)
		if err != nil {
			return nil, err
		}
		var recs []whatif.Record
		for _, c := range calls {
			recs = append(recs, whatif.Record{CallID: c.CallID, Segment: c.Segment, Group: c.Group,
				Queued: c.Queued, WaitS: c.Wait.Seconds(), TalkS: c.Talk.Seconds(), Disposition: c.Disposition})
		}
		return recs, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	if log, err := journal.Read(bytes.NewReader(b)); err == nil {
		for _, e := range log.Entries {
			if e.Type == string(session.TypeQueueJoined) {
				return whatif.RecordsFromJournal(log.Entries), nil
			}
		}
	}
	return whatif.ReadRecords(bytes.NewReader(b))
}

// readSchedule reads lines "HOUR GROUP AGENTS" (hour 1 is the run's first;
// '#' starts a comment): from that hour on, the group has that many agents.
func readSchedule(path string) ([]whatif.Shift, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("simulate: schedule: %w", err)
	}
	var out []whatif.Shift
	for n, line := range strings.Split(string(b), "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		var h, a int
		var err1, err2 error
		if len(f) == 3 {
			h, err1 = strconv.Atoi(f[0])
			a, err2 = strconv.Atoi(f[2])
		}
		if len(f) != 3 || err1 != nil || err2 != nil || h < 1 || a < 0 {
			return nil, usagef("--schedule %s line %d: %q: want HOUR GROUP AGENTS, hour from 1", path, n+1, strings.TrimSpace(line))
		}
		out = append(out, whatif.Shift{Hour: h - 1, Group: f[1], Agents: a})
	}
	return out, nil
}
