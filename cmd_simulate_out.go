package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/whatif"
)

// simRun is one simulated setting and the theory for the same load.
type simRun struct {
	Settings simSettingsJSON `json:"settings"`
	whatif.Result
	ErlangC *theory `json:"erlang_c,omitempty"`
	ErlangA *theory `json:"erlang_a,omitempty"`
}

type simSettingsJSON struct {
	Agents      map[string]int `json:"agents"`
	Strategy    string         `json:"strategy"`
	RingTimeout float64        `json:"ring_timeout_s"`
	WrapUp      float64        `json:"wrap_up_s"`
	Calls       int            `json:"calls"`
	Hours       int            `json:"hours"`
	AHT         float64        `json:"aht_s"`
	Patience    float64        `json:"mean_patience_s,omitempty"`
	Schedule    []whatif.Shift `json:"schedule,omitempty"`
}

// theory is a formula's figures over the whole run (groups weighted by
// their calls) and per group. Unstable names the groups whose load reaches
// their agents, where Erlang C has no steady state.
type theory struct {
	whatif.Figures
	ByGroup  map[string]whatif.Figures `json:"by_group"`
	Unstable []string                  `json:"unstable_groups,omitempty"`
}

func runSim(day whatif.Day, s simSettings, sl time.Duration) (simRun, error) {
	agents, err := parseAgents(s.agents, day.Groups)
	if err != nil {
		return simRun{}, usagef("%v", err)
	}
	st := acd.Strategy(s.strategy)
	if !st.Valid() {
		return simRun{}, usagef("--strategy %q: want longest-idle, ring-all, round-robin or fewest-calls", s.strategy)
	}
	for _, g := range day.Groups {
		if agents[g] == 0 {
			return simRun{}, usagef("--agents: group %q has calls but no agents (groups: %v)", g, day.Groups)
		}
	}
	res, err := whatif.Run(whatif.Config{Arrivals: day.Arrivals, Agents: agents, Schedule: s.schedule, Strategy: st,
		RingTimeout: s.ringTimeout, WrapUp: s.wrapUp, SL: sl, Hours: day.Hours})
	if err != nil {
		return simRun{}, err
	}
	run := simRun{Result: res, Settings: simSettingsJSON{Agents: agents, Strategy: string(st),
		RingTimeout: s.ringTimeout.Seconds(), WrapUp: s.wrapUp.Seconds(), Calls: len(day.Arrivals),
		Hours: day.Hours, AHT: day.AHT.Seconds(), Patience: day.Patience.Seconds(), Schedule: s.schedule}}
	if len(s.schedule) > 0 {
		return run, nil // the formulas are for a fixed staff; per-hour figures are not computed
	}
	run.ErlangC = theoryOf(day, agents, s.wrapUp, sl, 0)
	if day.Patience > 0 {
		run.ErlangA = theoryOf(day, agents, s.wrapUp, sl, day.Patience)
	}
	return run, nil
}

// theoryOf computes Erlang C (patience 0) or Erlang A per group from the
// day's own arrival rate and mean handle time (wrap-up added).
func theoryOf(day whatif.Day, agents map[string]int, wrap, sl, patience time.Duration) *theory {
	calls := map[string]int{}
	handle := map[string]time.Duration{}
	for _, a := range day.Arrivals {
		calls[a.Group]++
		handle[a.Group] += a.Handle
	}
	t := &theory{ByGroup: map[string]whatif.Figures{}}
	secs := arrivalSpan(day)
	var total int
	for _, g := range day.Groups {
		n := calls[g]
		l := whatif.Load{Rate: float64(n) / secs, AHT: handle[g]/time.Duration(n) + wrap}
		f, err := whatif.ErlangA(agents[g], l, patience, sl)
		if errors.Is(err, whatif.ErrUnstable) {
			t.Unstable = append(t.Unstable, g)
			continue
		}
		t.ByGroup[g] = f
		w := float64(n)
		t.ServiceLevel += w * f.ServiceLevel
		t.ASA += w * f.ASA
		t.MeanWait += w * f.MeanWait
		t.ProbWait += w * f.ProbWait
		t.AbandonRate += w * f.AbandonRate
		t.Occupancy += float64(agents[g]) * f.Occupancy
		t.OfferedErlang += f.OfferedErlang
		t.Agents += agents[g]
		total += n
	}
	if total > 0 {
		w := float64(total)
		t.ServiceLevel /= w
		t.ASA /= w
		t.MeanWait /= w
		t.ProbWait /= w
		t.AbandonRate /= w
	}
	if t.Agents > 0 {
		t.Occupancy /= float64(t.Agents)
	}
	return t
}

// arrivalSpan is the time the day's arrivals came over, in seconds: the
// first to the last, stretched by one mean gap (n arrivals span n-1 gaps),
// so a recorded burst of a few minutes is not spread over a whole hour;
// the whole hours of the run when there are fewer than two arrivals.
func arrivalSpan(day whatif.Day) float64 {
	n := len(day.Arrivals)
	if n < 2 {
		return float64(max(day.Hours, 1)) * 3600
	}
	first, last := day.Arrivals[0].At, day.Arrivals[n-1].At
	span := (last - first).Seconds() * float64(n) / float64(n-1)
	if span <= 0 {
		return float64(max(day.Hours, 1)) * 3600
	}
	return span
}

func writeSimJSON(w io.Writer, runs []simRun) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if len(runs) == 1 {
		return enc.Encode(runs[0])
	}
	return enc.Encode(struct {
		Runs []simRun `json:"runs"`
	}{runs})
}

func writeSimText(w io.Writer, runs []simRun, sl time.Duration) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for i, r := range runs {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		groups := make([]string, 0, len(r.Settings.Agents))
		if len(r.Settings.Schedule) > 0 {
			fmt.Fprintf(w, "staff by the schedule (%d changes); Erlang C and A are for a fixed staff and are not shown\n", len(r.Settings.Schedule))
		}
		for g, n := range r.Settings.Agents {
			groups = append(groups, fmt.Sprintf("%s=%d", g, n))
		}
		sort.Strings(groups)
		fmt.Fprintf(w, "%d calls over %d h, AHT %.0f s, agents %v, %s\n", r.Settings.Calls, r.Settings.Hours,
			r.Settings.AHT, groups, r.Settings.Strategy)
		fmt.Fprintf(tw, "hour\tcalls\tanswered\tabandoned\tSL %s\tASA\tabandon\toccupancy\tlongest wait\t\n", sl)
		for _, h := range r.Hours {
			simRow(tw, fmt.Sprint(h.Hour), h)
		}
		simRow(tw, "all", r.Total)
		var notes []string
		for _, th := range []struct {
			name string
			t    *theory
		}{{"Erlang C", r.ErlangC}, {"Erlang A", r.ErlangA}} {
			if th.t == nil {
				continue
			}
			if len(th.t.ByGroup) == 0 { // every group unstable: no figure at all
				fmt.Fprintf(tw, "%s\t\t\t\t-\t-\t-\t-\t\t\n", th.name)
			} else {
				fmt.Fprintf(tw, "%s\t\t\t\t%.1f %%\t%.1f s\t%.1f %%\t%.1f %%\t\t\n", th.name,
					100*th.t.ServiceLevel, th.t.ASA, 100*th.t.AbandonRate, 100*th.t.Occupancy)
			}
			if len(th.t.Unstable) > 0 {
				notes = append(notes, fmt.Sprintf("  %s: no steady state in %v (the load reaches the agents)", th.name, th.t.Unstable))
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, n := range notes {
			fmt.Fprintln(w, n)
		}
	}
	return nil
}

func simRow(w io.Writer, label string, s whatif.Stats) {
	fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%.1f %%\t%.1f s\t%.1f %%\t%.1f %%\t%.0f s\t\n", label, s.Offered, s.Answered,
		s.Abandoned, 100*s.ServiceLevel, s.ASA, 100*s.AbandonRate, 100*s.Occupancy, s.LongestWait)
}
