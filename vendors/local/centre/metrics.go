package centre

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

// metrics is the centre's /metrics, with the Prometheus client library:
// calls by outcome, queue lengths and oldest waits, answered waits,
// agents by state, live calls and connections (the names the hand-written
// exposition had), histograms of answered callers' waits and of handle
// times per group, and the Go and process collectors. Each scrape takes
// one snapshot of the engine on its loop.
type metrics struct {
	reg     *prometheus.Registry
	wait    *prometheus.HistogramVec
	handle  *prometheus.HistogramVec
	handler http.Handler
	srv     *Server // set by bind before the first scrape

	calls, answered, waitSum, queue, oldest, agents, live, conns *prometheus.Desc
}

// Histogram buckets, in seconds: callers' waits and handle times.
var (
	waitBuckets   = []float64{1, 2, 5, 10, 20, 30, 60, 120, 300, 600}
	handleBuckets = []float64{10, 30, 60, 90, 120, 180, 300, 600, 900, 1800}
)

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.wait = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "agentty_queue_wait_seconds", Help: "How long answered callers waited, by the group they queued in.",
		Buckets: waitBuckets,
	}, []string{"group"})
	m.handle = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "agentty_handle_seconds", Help: "Handle time of finished calls (talk plus wrap-up), by group.",
		Buckets: handleBuckets,
	}, []string{"group"})
	d := prometheus.NewDesc
	m.calls = d("agentty_calls_total", "Finished call segments by outcome.", []string{"outcome"}, nil)
	m.answered = d("agentty_calls_answered_total", "Calls answered by an agent.", nil, nil)
	m.waitSum = d("agentty_wait_seconds_total", "Time answered callers waited, summed.", nil, nil)
	m.queue = d("agentty_queue_length", "Callers waiting, by group.", []string{"group"}, nil)
	m.oldest = d("agentty_queue_oldest_wait_seconds", "How long the first caller in line has waited, by group.", []string{"group"}, nil)
	m.agents = d("agentty_agents", "Agents by state.", []string{"state"}, nil)
	m.live = d("agentty_live_calls", "Calls not yet ended.", nil, nil)
	m.conns = d("agentty_connections", "Connected clients.", nil, nil)
	m.reg.MustRegister(m.wait, m.handle, (*engineCollector)(m),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

// observer returns the engine's Observe hook: it feeds the histograms,
// then next (the configuration's own hook, if any).
func (m *metrics) observer(next func(kind, group string, d time.Duration)) func(kind, group string, d time.Duration) {
	return func(kind, group string, d time.Duration) {
		switch kind {
		case "wait":
			m.wait.WithLabelValues(group).Observe(d.Seconds())
		case "handle":
			m.handle.WithLabelValues(group).Observe(d.Seconds())
		}
		if next != nil {
			next(kind, group, d)
		}
	}
}

// MetricsHandler serves /metrics: a plain http.Handler, safe for
// concurrent use, that a caller may wrap (authentication).
func (s *Server) MetricsHandler() http.Handler { return s.metrics.handler }

// engineCollector reads the engine's figures at each scrape.
type engineCollector metrics

func (c *engineCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.calls, c.answered, c.waitSum, c.queue, c.oldest, c.agents, c.live, c.conns} {
		ch <- d
	}
}

func (c *engineCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.srv
	var st acd.Stats
	var g acd.Gauges
	var conns int
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
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
		ch <- prometheus.NewInvalidMetric(c.live, err)
		return
	}
	m := prometheus.MustNewConstMetric
	for _, k := range sortedKeys(st.Outcomes) {
		ch <- m(c.calls, prometheus.CounterValue, float64(st.Outcomes[k]), k)
	}
	ch <- m(c.answered, prometheus.CounterValue, float64(st.Answered))
	ch <- m(c.waitSum, prometheus.CounterValue, st.WaitSum.Seconds())
	for _, k := range sortedKeys(g.Queued) {
		ch <- m(c.queue, prometheus.GaugeValue, float64(g.Queued[k]), k)
	}
	for _, k := range sortedKeys(g.Oldest) {
		ch <- m(c.oldest, prometheus.GaugeValue, g.Oldest[k].Seconds(), k)
	}
	for _, k := range session.AgentStates {
		ch <- m(c.agents, prometheus.GaugeValue, float64(g.Agents[k]), string(k))
	}
	ch <- m(c.live, prometheus.GaugeValue, float64(g.Live))
	ch <- m(c.conns, prometheus.GaugeValue, float64(conns))
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
