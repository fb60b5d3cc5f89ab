package whatif

import (
	"math"
	"testing"
	"time"
)

// batchCI returns the mean of xs and the half-width of its ~99.7 %
// confidence interval (3 standard errors), treating each hour as a batch
// (batch means: the hours of a long run are close to independent).
func batchCI(xs []float64) (mean, half float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	sd := math.Sqrt(ss / float64(len(xs)-1))
	return mean, 3 * sd / math.Sqrt(float64(len(xs)))
}

func hourly(r Result, f func(Stats) float64) []float64 {
	out := make([]float64, len(r.Hours))
	for i, h := range r.Hours {
		out[i] = f(h)
	}
	return out
}

// Poisson arrivals, exponential handle times, no abandonment: the real ACD
// in virtual time agrees with Erlang C within the run's confidence interval.
func TestSimulationAgreesWithErlangC(t *testing.T) {
	const hours = 120
	l := Load{Rate: 200.0 / 3600, AHT: 180 * time.Second}
	arr := Poisson(PoissonDay{PerHour: 200, Hours: hours, Groups: []string{"sales"}, AHT: l.AHT, Seed: 7})
	r, err := Run(Config{Arrivals: arr, Agents: map[string]int{"sales": 14}, Hours: hours})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ErlangC(14, l, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.Answered != len(arr) || r.Total.Abandoned != 0 {
		t.Fatalf("answered %d abandoned %d of %d", r.Total.Answered, r.Total.Abandoned, len(arr))
	}
	sl, slHalf := batchCI(hourly(r, func(s Stats) float64 { return s.ServiceLevel }))
	asa, asaHalf := batchCI(hourly(r, func(s Stats) float64 { return s.ASA }))
	t.Logf("SL sim %.4f ± %.4f, Erlang C %.4f; ASA sim %.2f ± %.2f s, Erlang C %.2f s", sl, slHalf, c.ServiceLevel, asa, asaHalf, c.ASA)
	if math.Abs(sl-c.ServiceLevel) > slHalf {
		t.Errorf("service level %.4f ± %.4f, Erlang C %.4f", sl, slHalf, c.ServiceLevel)
	}
	if math.Abs(asa-c.ASA) > asaHalf {
		t.Errorf("ASA %.2f ± %.2f, Erlang C %.2f", asa, asaHalf, c.ASA)
	}
	if occ := r.Total.Occupancy; math.Abs(occ-c.Occupancy) > 0.03 {
		t.Errorf("occupancy %.3f, Erlang C %.3f", occ, c.Occupancy)
	}
}

// With exponential patience the same holds for Erlang A, abandonment included.
func TestSimulationAgreesWithErlangA(t *testing.T) {
	const hours = 120
	l := Load{Rate: 240.0 / 3600, AHT: 180 * time.Second}
	arr := Poisson(PoissonDay{PerHour: 240, Hours: hours, Groups: []string{"support"}, AHT: l.AHT,
		Patience: time.Minute, Seed: 11})
	r, err := Run(Config{Arrivals: arr, Agents: map[string]int{"support": 11}, Hours: hours})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ErlangA(11, l, time.Minute, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		name string
		f    func(Stats) float64
		want float64
	}{
		{"service level", func(s Stats) float64 { return s.ServiceLevel }, a.ServiceLevel},
		{"abandon rate", func(s Stats) float64 { return s.AbandonRate }, a.AbandonRate},
		{"ASA", func(s Stats) float64 { return s.ASA }, a.ASA},
	} {
		mean, half := batchCI(hourly(r, m.f))
		t.Logf("%s: sim %.4f ± %.4f, Erlang A %.4f", m.name, mean, half, m.want)
		if math.Abs(mean-m.want) > half {
			t.Errorf("%s: sim %.4f ± %.4f, Erlang A %.4f", m.name, mean, half, m.want)
		}
	}
}

func TestSimulationRefusesBadInput(t *testing.T) {
	if _, err := Run(Config{}); err == nil {
		t.Error("no agents: no error")
	}
	_, err := Run(Config{Agents: map[string]int{"a": 1}, Arrivals: []Arrival{{Group: "b", Handle: time.Second}}})
	if err == nil {
		t.Error("a call for a group without agents: no error")
	}
}

// Several groups, fixed handle times, a ring-all strategy: every call is
// accounted for once, and the same seed gives the same figures.
func TestSimulationDeterministic(t *testing.T) {
	arr := Poisson(PoissonDay{PerHour: 300, Hours: 3, Groups: []string{"a", "b", "c"}, AHT: 2 * time.Minute,
		AHTDist: Fixed, Patience: 90 * time.Second, Seed: 3})
	cfg := Config{Arrivals: arr, Agents: map[string]int{"a": 3, "b": 3, "c": 2}, Strategy: "ring-all"}
	r1, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := Run(cfg)
	if r1.Total != r2.Total {
		t.Errorf("two runs differ: %+v / %+v", r1.Total, r2.Total)
	}
	if got := r1.Total.Answered + r1.Total.Abandoned; got != len(arr) {
		t.Errorf("accounted %d of %d calls", got, len(arr))
	}
}

// A schedule staffs each hour as written: a short-handed first hour, then
// enough agents; those who leave finish their calls first.
func TestSimulationSchedule(t *testing.T) {
	arr := Poisson(PoissonDay{PerHour: 200, Hours: 3, Groups: []string{"sales"}, AHT: 3 * time.Minute, Seed: 9})
	r, err := Run(Config{Arrivals: arr, Agents: map[string]int{"sales": 14}, Hours: 3,
		Schedule: []Shift{{Hour: 0, Group: "sales", Agents: 9}, {Hour: 1, Group: "sales", Agents: 16}, {Hour: 2, Group: "sales", Agents: 11}}})
	if err != nil {
		t.Fatal(err)
	}
	h := r.Hours
	t.Logf("SL by hour %.2f %.2f %.2f; occupancy %.2f %.2f %.2f", h[0].ServiceLevel, h[1].ServiceLevel, h[2].ServiceLevel,
		h[0].Occupancy, h[1].Occupancy, h[2].Occupancy)
	for _, x := range h {
		if x.Occupancy > 1 {
			t.Errorf("hour %d: occupancy %.2f over 1", x.Hour, x.Occupancy)
		}
	}
	if h[0].ServiceLevel > 0.3 || h[2].ServiceLevel < h[0].ServiceLevel || h[2].Occupancy < h[1].Occupancy {
		t.Errorf("9 agents for 10 erlangs should queue badly, 16 then 11 recover: %+v", h)
	}
	if got := r.Total.Answered + r.Total.Abandoned; got != len(arr) {
		t.Errorf("accounted %d of %d", got, len(arr))
	}
	if _, err := Run(Config{Arrivals: arr, Agents: map[string]int{"sales": 1}, Schedule: []Shift{{Hour: 1, Group: "sales", Agents: -2}}}); err == nil {
		t.Error("a negative shift: no error")
	}
}
