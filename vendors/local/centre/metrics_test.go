package centre

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
)

// TestMetricsHistograms: after a call waited 7 s and was handled in
// 45 s + 10 s wrap-up, /metrics (the Prometheus client library) shows the
// wait and handle histograms for the group, the names the hand-written
// page had, and the Go and process collectors.
func TestMetricsHistograms(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	c.group(acd.GroupConfig{ID: "sales", WrapUp: 10 * time.Second})
	ana := c.signIn(session.RoleAgent, "ana", "sales")
	kiosk := c.signIn(session.RoleKiosk, "lobby", "sales")
	ana.MustDo("ready")
	ana.MustDo("notready")
	kiosk.MustDo("call")
	kiosk.WaitFor("queued", func(st session.State) bool { return st.Queue.Waiting })
	c.advance(7 * time.Second)
	ana.MustDo("ready")
	ana.WaitFor("ringing", ringing)
	ana.MustDo("answer")
	c.advance(45 * time.Second)
	ana.MustDo("hangup")
	ana.WaitFor("wrap-up", func(st session.State) bool { return st.Agent.State == session.AgentWrapUp })
	c.advance(10 * time.Second) // the wrap-up timer ends it
	ana.WaitFor("ready again", func(st session.State) bool { return st.Agent.State == session.AgentReady })

	body := scrape(t, c)
	for _, want := range []string{
		`agentty_queue_wait_seconds_bucket{group="sales",le="5"} 0`,
		`agentty_queue_wait_seconds_bucket{group="sales",le="10"} 1`,
		`agentty_queue_wait_seconds_sum{group="sales"} 7`,
		`agentty_handle_seconds_bucket{group="sales",le="30"} 0`,
		`agentty_handle_seconds_bucket{group="sales",le="60"} 1`,
		`agentty_handle_seconds_count{group="sales"} 1`,
		`agentty_calls_answered_total 1`,
		`agentty_wait_seconds_total 7`,
		`agentty_queue_length{group="sales"} 0`,
		`agentty_agents{state="ready"} 1`,
		`agentty_live_calls 0`,
		`agentty_connections 2`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", body)
	}
}

func scrape(t *testing.T, c *centre) string {
	t.Helper()
	murl := "http" + strings.TrimSuffix(strings.TrimPrefix(c.url, "ws"), "/ws") + "/metrics"
	resp, err := http.Get(murl)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("metrics: %d %v", resp.StatusCode, err)
	}
	return string(body)
}
