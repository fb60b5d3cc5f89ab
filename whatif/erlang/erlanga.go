package erlang

import (
	"math"
	"time"
)

// ErlangA returns the M/M/N+M figures (Palm's model, "Erlang A"): n agents
// under load l, callers who give up after an exponential patience of mean
// patience, service level counted within sl. A zero patience means callers
// never give up, which is Erlang C (and needs the load below n).
//
// The state probabilities are built in log space from n agents up and down
// and cut where they fall below 1e-22 of the largest, so no factorial is
// formed. A caller who finds j callers waiting ahead is answered with
// probability Nμ/(Nμ+(j+1)θ); the time it would wait is a sum of
// exponential stages, whose distribution is taken by uniformization (no
// alternating sums), as in Mandelbaum and Zeltyn, "The M/M/n+G queue"
// (2004), section 3.
func A(n int, l Load, patience time.Duration, sl time.Duration) (Figures, error) {
	if patience <= 0 {
		return C(n, l, sl)
	}
	a := l.Erlangs()
	f := Figures{Agents: n, OfferedErlang: a}
	if n <= 0 {
		return f, ErrUnstable
	}
	if a == 0 {
		f.ServiceLevel = 1
		return f, nil
	}
	lambda := l.Rate
	mu := 1 / l.AHT.Seconds()
	theta := 1 / patience.Seconds()
	nmu := float64(n) * mu

	// Log probabilities relative to state n, down to 0 and up while they
	// matter.
	down := make([]float64, n+1) // down[k] = log π_k - log π_n
	for k := n; k > 0; k-- {
		down[k-1] = down[k] + math.Log(float64(k)*mu/lambda)
	}
	up := []float64{0} // up[j] = log π_{n+j} - log π_n
	peak := 0.0
	for _, v := range down {
		peak = math.Max(peak, v)
	}
	for j := 1; ; j++ {
		v := up[j-1] + math.Log(lambda/(nmu+float64(j)*theta))
		up = append(up, v)
		peak = math.Max(peak, v)
		if v < peak-50 && lambda < nmu+float64(j)*theta {
			break
		}
	}
	var total, busy float64
	for k, v := range down[:n] {
		p := math.Exp(v - peak)
		total += p
		busy += float64(k) * p
	}
	queue := make([]float64, len(up)) // π_{n+j}, unnormalised
	var waitQ float64                 // Σ j π_{n+j}
	for j, v := range up {
		queue[j] = math.Exp(v - peak)
		total += queue[j]
		busy += float64(n) * queue[j]
		waitQ += float64(j) * queue[j]
	}
	var pWait, pServedWaiting, servedWait, servedWithin float64
	within := stagesWithin(nmu, theta, len(up), sl.Seconds())
	for j, p := range queue {
		p /= total
		pWait += p
		served := nmu / (nmu + float64(j+1)*theta)
		pServedWaiting += p * served
		var mean float64
		for i := 1; i <= j+1; i++ {
			mean += 1 / (nmu + float64(i)*theta)
		}
		servedWait += p * served * mean
		servedWithin += p * served * within[j+1]
	}
	pServed := (1 - pWait) + pServedWaiting
	f.ProbWait = pWait
	f.AbandonRate = 1 - pServed
	f.ServiceLevel = (1 - pWait) + servedWithin
	if pServed > 0 {
		f.ASA = servedWait / pServed
	}
	f.MeanWait = waitQ / total / lambda
	f.Occupancy = busy / total / float64(n)
	return f, nil
}

// stagesWithin returns, for m = 0..M, the probability that m exponential
// stages of rates nmu+θ, nmu+2θ, ... nmu+mθ (in any order) all end within t
// seconds, by uniformization at the largest rate.
func stagesWithin(nmu, theta float64, M int, t float64) []float64 {
	out := make([]float64, M+1)
	out[0] = 1
	if t <= 0 || M == 0 {
		return out
	}
	rate := nmu + float64(M)*theta
	lt := rate * t
	kmax := int(lt + 12*math.Sqrt(lt) + 30)
	g := make([]float64, M+1) // g[m]: m stages done within k steps
	g[0] = 1
	next := make([]float64, M+1)
	acc := make([]float64, M+1)
	for k := 0; k <= kmax; k++ {
		lg, _ := math.Lgamma(float64(k) + 1)
		w := math.Exp(-lt + float64(k)*math.Log(lt) - lg)
		for m := 1; m <= M; m++ {
			acc[m] += w * g[m]
		}
		next[0] = 1
		for m := 1; m <= M; m++ {
			q := (nmu + float64(m)*theta) / rate
			next[m] = q*g[m-1] + (1-q)*g[m]
		}
		g, next = next, g
	}
	for m := 1; m <= M; m++ {
		out[m] = math.Min(1, acc[m])
	}
	return out
}
