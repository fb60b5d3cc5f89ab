package erlang

import (
	"math"
	"math/big"
	"testing"
	"time"
)

// The worked example most call-centre planners learn Erlang C from: 100
// calls in 30 minutes, 180 s average handle time (10 erlangs), 20 s
// target. The probabilities of waiting are the standard Erlang C table
// values for A = 10 (e.g. the Erlang C tables in Cooper, "Introduction to
// Queueing Theory", 2nd ed., table for C(N, A)), and the service levels and
// ASA those of the widely copied Call Centre Helper worked example
// ("Erlang C formula: made simple"): 14 agents give 88.8 % in 20 s and an
// ASA of 7.8 s, 13 agents 79.6 %.
func TestErlangCPublished(t *testing.T) {
	l := Load{Rate: 100.0 / 1800, AHT: 180 * time.Second}
	for _, tc := range []struct {
		n          int
		pw, sl     float64
		asa        float64
		tolPW, tol float64
	}{
		{11, 0.6821, 0.390, 122.8, 1e-4, 1e-3},
		{12, 0.4494, 0.640, 40.4, 1e-4, 1e-3},
		{13, 0.2853, 0.796, 17.1, 1e-4, 1e-3},
		{14, 0.1741, 0.888, 7.8, 1e-4, 1e-3},
	} {
		f, err := C(tc.n, l, 20*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(f.ProbWait-tc.pw) > tc.tolPW {
			t.Errorf("N=%d: P(wait) = %.4f, want %.4f", tc.n, f.ProbWait, tc.pw)
		}
		if math.Abs(f.ServiceLevel-tc.sl) > tc.tol {
			t.Errorf("N=%d: SL = %.4f, want %.3f", tc.n, f.ServiceLevel, tc.sl)
		}
		if math.Abs(f.ASA-tc.asa) > 0.05 {
			t.Errorf("N=%d: ASA = %.2f s, want %.1f", tc.n, f.ASA, tc.asa)
		}
	}
	if n, _ := AgentsFor(l, 20*time.Second, 0.8); n != 14 {
		t.Errorf("agents for 80/20 at 10 erlangs: %d, want 14", n)
	}
	if _, err := C(10, l, 20*time.Second); err != ErrUnstable {
		t.Errorf("N = A: err %v, want ErrUnstable", err)
	}
}

// exactC is Erlang C from its textbook definition in exact rationals:
// (A^N/N! * N/(N-A)) / (sum_{k<N} A^k/k! + A^N/N! * N/(N-A)). It checks the
// recursive, floating-point form independently.
func exactC(n int, a *big.Rat) float64 {
	term := big.NewRat(1, 1)
	sum := new(big.Rat)
	for k := 0; k < n; k++ {
		sum.Add(sum, term)
		term.Mul(term, a)
		term.Quo(term, big.NewRat(int64(k+1), 1))
	}
	nr := big.NewRat(int64(n), 1)
	last := new(big.Rat).Mul(term, new(big.Rat).Quo(nr, new(big.Rat).Sub(nr, a)))
	c, _ := new(big.Rat).Quo(last, sum.Add(sum, last)).Float64()
	return c
}

func TestErlangCMatchesExact(t *testing.T) {
	for _, tc := range []struct {
		n    int
		a    int64 // erlangs, in tenths
		aht  time.Duration
		rate float64
	}{{2, 15, 0, 0}, {7, 53, 0, 0}, {40, 355, 0, 0}, {150, 1421, 0, 0}, {400, 3870, 0, 0}} {
		a := big.NewRat(tc.a, 10)
		af, _ := a.Float64()
		f, err := C(tc.n, Load{Rate: af / 100, AHT: 100 * time.Second}, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := exactC(tc.n, a)
		if math.Abs(f.ProbWait-want) > 1e-9*math.Max(1, want) {
			t.Errorf("N=%d A=%v: C = %.12f, exact %.12f", tc.n, af, f.ProbWait, want)
		}
	}
}

// At 1,000 agents nothing overflows, and Erlang A with a very patient
// caller tends to Erlang C.
func TestLargeCentres(t *testing.T) {
	l := Load{Rate: 950.0 / 180, AHT: 180 * time.Second}
	c, err := C(1000, l, 20*time.Second)
	if err != nil || math.IsNaN(c.ServiceLevel) || c.ServiceLevel <= 0.5 || c.ServiceLevel > 1 {
		t.Fatalf("Erlang C at 1,000 agents: %+v %v", c, err)
	}
	a, err := A(1000, l, 10000*time.Hour, 20*time.Second)
	if err != nil || math.Abs(a.ServiceLevel-c.ServiceLevel) > 1e-3 || math.Abs(a.ASA-c.ASA) > 0.05 {
		t.Fatalf("Erlang A with endless patience %+v, Erlang C %+v (%v)", a, c, err)
	}
	// Overloaded by 10 %: Erlang A stays finite and about a tenth give up.
	over, err := A(1000, Load{Rate: 1100.0 / 180, AHT: 180 * time.Second}, time.Minute, 20*time.Second)
	if err != nil || math.Abs(over.AbandonRate-1.0/11) > 0.01 || over.Occupancy > 1 {
		t.Fatalf("overloaded Erlang A: %+v %v", over, err)
	}
}

func TestErlangBRecursion(t *testing.T) {
	// B(1, A) = A/(1+A); B(2, 1) = 1/5.
	if got := B(1, 3); math.Abs(got-0.75) > 1e-15 {
		t.Errorf("B(1,3) = %v", got)
	}
	if got := B(2, 1); math.Abs(got-0.2) > 1e-15 {
		t.Errorf("B(2,1) = %v", got)
	}
}
