package whatif

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Dist is a distribution of durations by its mean.
type Dist string

// Distributions of handle time and patience.
const (
	Exponential Dist = "exp"       // memoryless, as Erlang C and A assume
	Fixed       Dist = "fixed"     // every call the mean
	LogNormal   Dist = "lognormal" // right-skewed, coefficient of variation 1
)

// ParseDist reads a distribution name; the empty string is Exponential.
func ParseDist(s string) (Dist, error) {
	switch Dist(s) {
	case "", Exponential:
		return Exponential, nil
	case Fixed, LogNormal:
		return Dist(s), nil
	}
	return "", fmt.Errorf("whatif: unknown distribution %q (exp, fixed, lognormal)", s)
}

// Draw returns one duration of mean m.
func (d Dist) Draw(rng *rand.Rand, m time.Duration) time.Duration {
	switch d {
	case Fixed:
		return m
	case LogNormal:
		// cv 1: sigma^2 = ln 2, mu = ln m - sigma^2/2.
		s2 := math.Ln2
		return time.Duration(math.Exp(math.Log(float64(m)) - s2/2 + math.Sqrt(s2)*rng.NormFloat64()))
	}
	return time.Duration(rng.ExpFloat64() * float64(m))
}

// PoissonDay is the recipe for Poisson arrivals.
type PoissonDay struct {
	PerHour  float64 // calls per hour, over all groups
	Hours    float64
	Groups   []string // calls are spread evenly over them
	AHT      time.Duration
	AHTDist  Dist
	Patience time.Duration // mean; 0 never gives up
	Seed     uint64
}

// Poisson returns arrivals of d, in order.
func Poisson(d PoissonDay) []Arrival {
	rng := rand.New(rand.NewPCG(d.Seed, d.Seed^0x9e3779b97f4a7c15))
	end := time.Duration(d.Hours * float64(time.Hour))
	mean := float64(time.Hour) / d.PerHour
	out := make([]Arrival, 0, int(d.PerHour*d.Hours*1.05)+16)
	var t time.Duration
	for {
		t += time.Duration(rng.ExpFloat64() * mean)
		if t >= end {
			return out
		}
		a := Arrival{At: t, Group: d.Groups[rng.IntN(len(d.Groups))], Handle: d.AHTDist.Draw(rng, d.AHT)}
		if d.Patience > 0 {
			a.Patience = Exponential.Draw(rng, d.Patience)
		}
		out = append(out, a)
	}
}
