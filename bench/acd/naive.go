package main

import (
	"math/rand/v2"
	"time"
)

// The naive anchor: the same workload, routed by scanning every queue and,
// for each queue with a waiting call, every agent, for each decision.

type nAgent struct {
	groups  []int
	ready   bool
	idle    int64
	talking bool
}

type nCall struct {
	queued int64
	agent  int
}

type naive struct {
	agents []nAgent
	queues [][]nCall
	clock  int64
}

// decide offers the oldest waiting call of any queue to the longest-idle
// ready agent who serves it: a scan over queues x agents.
func (n *naive) decide() (ringAgent int) {
	bestQ, bestA := -1, -1
	for q := range n.queues {
		if len(n.queues[q]) == 0 {
			continue
		}
		a := -1
		for i := range n.agents {
			ag := &n.agents[i]
			if !ag.ready {
				continue
			}
			for _, g := range ag.groups {
				if g == q && (a < 0 || ag.idle < n.agents[a].idle) {
					a = i
				}
			}
		}
		if a >= 0 && (bestQ < 0 || n.queues[q][0].queued < n.queues[bestQ][0].queued) {
			bestQ, bestA = q, a
		}
	}
	if bestQ < 0 {
		return -1
	}
	n.queues[bestQ] = n.queues[bestQ][1:]
	n.agents[bestA].ready = false
	return bestA
}

func runNaive(agents, queues, per, backlog, events int, seed uint64) result {
	rng := rand.New(rand.NewPCG(seed, 42))
	n := &naive{agents: make([]nAgent, agents), queues: make([][]nCall, queues)}
	for a := range n.agents {
		for range per {
			n.agents[a].groups = append(n.agents[a].groups, rng.IntN(queues))
		}
		n.agents[a].ready = true
		n.agents[a].idle = int64(a)
	}
	var ringing, talking, wrapping []int
	arrive := func() {
		n.clock++
		q := rng.IntN(queues)
		n.queues[q] = append(n.queues[q], nCall{queued: n.clock})
		if a := n.fastOffer(q); a >= 0 {
			ringing = append(ringing, a)
		}
	}
	for range agents + backlog { // warm-up, untimed, routed without the scan
		arrive()
	}
	talking, ringing = append(talking, ringing...), nil
	lat := make([]time.Duration, 0, events+4)
	step := func(f func()) {
		t := time.Now()
		f()
		lat = append(lat, time.Since(t))
	}
	start, cpu0 := time.Now(), cpuTime()
	for len(lat) < events {
		step(func() {
			n.clock++
			q := rng.IntN(queues)
			n.queues[q] = append(n.queues[q], nCall{queued: n.clock})
			if a := n.decide(); a >= 0 {
				ringing = append(ringing, a)
			}
		})
		if len(ringing) > 0 {
			a := ringing[0]
			ringing = ringing[1:]
			step(func() { n.agents[a].talking = true; talking = append(talking, a) })
		}
		if len(talking) > agents*9/10 {
			a := talking[0]
			talking = talking[1:]
			step(func() { n.agents[a].talking = false; wrapping = append(wrapping, a) })
		}
		if len(wrapping) > agents/20 {
			a := wrapping[0]
			wrapping = wrapping[1:]
			step(func() {
				n.agents[a].ready, n.agents[a].idle = true, n.clock
				if b := n.decide(); b >= 0 {
					ringing = append(ringing, b)
				}
			})
		}
	}
	return summarize(lat, time.Since(start), cpuTime()-cpu0)
}

// fastOffer gives a just-arrived call in q to any ready member (warm-up only).
func (n *naive) fastOffer(q int) int {
	for i := range n.agents {
		ag := &n.agents[i]
		if !ag.ready {
			continue
		}
		for _, g := range ag.groups {
			if g == q {
				ag.ready = false
				n.queues[q] = n.queues[q][:len(n.queues[q])-1]
				return i
			}
		}
	}
	return -1
}
