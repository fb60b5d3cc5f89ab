package siptrunk

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"
)

// collector exposes the trunk's counters on the centre's /metrics.
type collector struct {
	t                 *Trunk
	legs              func() int64
	calls, live, rtps *prometheus.Desc
}

// Collector returns the trunk's metrics: SIP calls by outcome (answered,
// abandoned, busy, no_agents, not_found, forbidden, bad_request, rate_limited,
// rtp_timeout, failed), SIP calls up now, and, when legs is given, the
// plain RTP legs the relay carries (bridged or on music).
func (t *Trunk) Collector(legs func() int64) prometheus.Collector {
	d := prometheus.NewDesc
	return &collector{t: t, legs: legs,
		calls: d("agentty_sip_calls_total", "Inbound SIP calls by outcome.", []string{"outcome"}, nil),
		live:  d("agentty_sip_live_calls", "Inbound SIP calls up now.", nil, nil),
		rtps:  d("agentty_sip_rtp_legs", "Plain RTP legs the relay carries now (bridged or hearing music).", nil, nil)}
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.calls
	ch <- c.live
	ch <- c.rtps
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	st := c.t.Stats()
	keys := make([]string, 0, len(st.Outcomes))
	for k := range st.Outcomes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		ch <- prometheus.MustNewConstMetric(c.calls, prometheus.CounterValue, float64(st.Outcomes[k]), k)
	}
	ch <- prometheus.MustNewConstMetric(c.live, prometheus.GaugeValue, float64(st.Live))
	if c.legs != nil {
		ch <- prometheus.MustNewConstMetric(c.rtps, prometheus.GaugeValue, float64(c.legs()))
	}
}
