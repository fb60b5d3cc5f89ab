// Package erlang holds the Erlang B, C and A queueing formulas behind
// staffing. It is a leaf: the standard library only, so the console (the
// supervisor's what-if line), the centre and package whatif's simulation
// can all use it.
//
// The formulas are pure functions. Both are written for large centres: no
// factorials or powers are formed, so 1,000 agents and more stay finite.
package erlang

import (
	"errors"
	"math"
	"time"
)

// ErrUnstable is returned by ErlangC when the offered load reaches the
// agents (A >= N): the queue grows without bound.
var ErrUnstable = errors.New("erlang: offered load reaches the number of agents; the queue grows without bound")

// Load is a queue's offered traffic: Poisson arrivals at Rate calls per
// second, exponential handle times of mean AHT.
type Load struct {
	Rate float64       // arrivals per second
	AHT  time.Duration // mean handle time
}

// Erlangs returns the offered traffic A = Rate * AHT.
func (l Load) Erlangs() float64 { return l.Rate * l.AHT.Seconds() }

// Figures are a queue's steady-state figures.
type Figures struct {
	Agents        int     `json:"agents"`
	OfferedErlang float64 `json:"offered_erlangs"`
	// ProbWait is the probability that an arriving call waits at all.
	ProbWait float64 `json:"prob_wait"`
	// ServiceLevel is the share of arriving calls answered within the
	// threshold; an abandoned call counts as not answered in time, as on
	// the queue boards.
	ServiceLevel float64 `json:"service_level"`
	// ASA is the mean wait of answered calls, in seconds.
	ASA float64 `json:"average_speed_of_answer_s"`
	// MeanWait is the mean time in queue of all arrivals (answered or
	// not), in seconds.
	MeanWait float64 `json:"mean_wait_s"`
	// AbandonRate is the share of arrivals that give up (0 in Erlang C).
	AbandonRate float64 `json:"abandon_rate"`
	// Occupancy is the share of agent time spent handling calls.
	Occupancy float64 `json:"occupancy"`
}

// ErlangB returns the blocking probability of n servers offered a erlangs,
// by the recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), which is
// stable for any n.
func B(n int, a float64) float64 {
	b := 1.0
	for k := 1; k <= n; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// ErlangC returns the M/M/N figures of n agents under load l, with the
// service level counted within sl. It returns ErrUnstable when the load
// reaches n.
func C(n int, l Load, sl time.Duration) (Figures, error) {
	a := l.Erlangs()
	f := Figures{Agents: n, OfferedErlang: a}
	if n <= 0 || a >= float64(n) {
		return f, ErrUnstable
	}
	if a == 0 {
		f.ServiceLevel = 1
		return f, nil
	}
	b := B(n, a)
	nf := float64(n)
	c := nf * b / (nf - a*(1-b))
	aht := l.AHT.Seconds()
	f.ProbWait = c
	f.ServiceLevel = 1 - c*math.Exp(-(nf-a)*sl.Seconds()/aht)
	f.ASA = c * aht / (nf - a)
	f.MeanWait = f.ASA
	f.Occupancy = a / nf
	return f, nil
}

// AgentsFor returns the fewest agents whose Erlang C service level within
// sl reaches target (0..1), and their figures.
func AgentsFor(l Load, sl time.Duration, target float64) (int, Figures) {
	n := int(math.Floor(l.Erlangs())) + 1
	for ; ; n++ {
		f, err := C(n, l, sl)
		if err == nil && f.ServiceLevel >= target {
			return n, f
		}
	}
}
