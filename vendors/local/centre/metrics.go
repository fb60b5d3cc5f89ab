package centre

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

// serveMetrics writes Prometheus text exposition (version 0.0.4) by hand:
// calls by outcome, queue lengths and oldest waits, mean answered wait,
// agents by state, live calls and connections.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	var st acd.Stats
	var g acd.Gauges
	var conns int
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	err := s.do(ctx, func() {
		st, g = s.eng.Stats(), s.eng.Gauges(s.clock.Now())
		for _, us := range s.users {
			if us.conn != nil {
				conns++
			}
		}
	})
	if err != nil {
		http.Error(w, "local: metrics: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	writeMetrics(w, st, g, conns)
}

func writeMetrics(w io.Writer, st acd.Stats, g acd.Gauges, conns int) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	p("# HELP agentty_calls_total Finished call segments by outcome.")
	p("# TYPE agentty_calls_total counter")
	for _, k := range sortedKeys(st.Outcomes) {
		p("agentty_calls_total{outcome=%q} %d", k, st.Outcomes[k])
	}
	p("# HELP agentty_calls_answered_total Calls answered by an agent.")
	p("# TYPE agentty_calls_answered_total counter")
	p("agentty_calls_answered_total %d", st.Answered)
	p("# HELP agentty_wait_seconds_total Time answered callers waited, summed.")
	p("# TYPE agentty_wait_seconds_total counter")
	p("agentty_wait_seconds_total %g", st.WaitSum.Seconds())
	p("# HELP agentty_queue_length Callers waiting, by group.")
	p("# TYPE agentty_queue_length gauge")
	for _, k := range sortedKeys(g.Queued) {
		p("agentty_queue_length{group=%q} %d", k, g.Queued[k])
	}
	p("# HELP agentty_queue_oldest_wait_seconds How long the first caller in line has waited, by group.")
	p("# TYPE agentty_queue_oldest_wait_seconds gauge")
	for _, k := range sortedKeys(g.Oldest) {
		p("agentty_queue_oldest_wait_seconds{group=%q} %g", k, g.Oldest[k].Seconds())
	}
	p("# HELP agentty_agents Agents by state.")
	p("# TYPE agentty_agents gauge")
	for _, k := range session.AgentStates {
		p("agentty_agents{state=%q} %d", k, g.Agents[k])
	}
	p("# HELP agentty_live_calls Calls not yet ended.")
	p("# TYPE agentty_live_calls gauge")
	p("agentty_live_calls %d", g.Live)
	p("# HELP agentty_connections Connected clients.")
	p("# TYPE agentty_connections gauge")
	p("agentty_connections %d", conns)
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
