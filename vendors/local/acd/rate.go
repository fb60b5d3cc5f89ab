package acd

import (
	"time"

	"github.com/agentty/agentty/whatif/erlang"
)

// rateWindow is how many recent arrivals the arrival rate looks at.
const rateWindow = 64

// arrivalLog keeps a group's recent arrival times, for the arrival rate
// the supervisor's what-if line reads.
type arrivalLog struct {
	at [rateWindow]time.Time
	n  int // arrivals ever noted
}

func (l *arrivalLog) add(t time.Time) {
	l.at[l.n%rateWindow] = t
	l.n++
}

// perHour returns the recent arrival rate at now: the arrivals kept over
// the time since the oldest of them, so a rate falls while nobody calls.
// Zero with fewer than 3 arrivals.
func (l *arrivalLog) perHour(now time.Time) float64 {
	k := min(l.n, rateWindow)
	if k < 3 {
		return 0
	}
	oldest := l.at[0]
	if l.n > rateWindow {
		oldest = l.at[l.n%rateWindow]
	}
	span := now.Sub(oldest)
	if span <= 0 {
		return 0
	}
	return float64(k) / span.Hours()
}

// meanHandle is the mean of the group's recent handle times, or 0.
func (g *group) meanHandle() time.Duration {
	if len(g.handle) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range g.handle {
		sum += d
	}
	return sum / time.Duration(len(g.handle))
}

// WhatIfLevel is the service level the what-if figure aims at: this share
// of calls answered within ServiceTarget (the usual 80 % in 20 s).
const WhatIfLevel = 0.8

// agentsNeeded is the what-if figure of queue.stats: the fewest agents
// Erlang C says reach WhatIfLevel within ServiceTarget at perHour arrivals
// of mean handle time aht; 0 when either is unknown.
func agentsNeeded(perHour float64, aht time.Duration) int {
	if perHour <= 0 || aht <= 0 {
		return 0
	}
	n, _ := erlang.AgentsFor(erlang.Load{Rate: perHour / 3600, AHT: aht}, ServiceTarget, WhatIfLevel)
	return n
}
