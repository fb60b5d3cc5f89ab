package main

import (
	"fmt"
	"slices"
	"sync"
)

// progress records, for each client, the intervals between restarts in
// which it got something done (an agent answered a call, a kiosk placed
// one). A client that does nothing in an interval after a restart is
// wedged, whatever its own checks say.
type progress struct {
	mu     sync.Mutex
	epoch  int
	active map[string]map[int]bool
}

func newProgress() *progress { return &progress{active: map[string]map[int]bool{}} }

// restarted starts the next interval.
func (p *progress) restarted() {
	p.mu.Lock()
	p.epoch++
	p.mu.Unlock()
}

// did records that who got something done in the current interval.
func (p *progress) did(who string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.active[who] == nil {
		p.active[who] = map[int]bool{}
	}
	p.active[who][p.epoch] = true
}

// report prints the clients idle in some interval; it returns how many.
func (p *progress) report(clients []string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var idle []string
	for _, c := range clients {
		for e := 0; e <= p.epoch; e++ {
			if !p.active[c][e] {
				idle = append(idle, fmt.Sprintf("%s (interval %d)", c, e))
			}
		}
	}
	slices.Sort(idle)
	fmt.Printf("clients that got nothing done in an interval between restarts: %d of %d clients x %d intervals %v\n", len(idle), len(clients), p.epoch+1, idle)
	return len(idle)
}
