package centre

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
)

func metricsURL(c *centre) string {
	host, _, _ := strings.Cut(strings.TrimPrefix(c.url, "ws://"), "/")
	return "http://" + host + "/metrics"
}

// /metrics with a token answers only its bearer.
func TestMetricsBearerToken(t *testing.T) {
	c := newCentre(t, ServerConfig{MetricsToken: "s3cret"})
	for _, tc := range []struct {
		auth string
		want int
	}{{"", http.StatusUnauthorized}, {"Bearer nope", http.StatusUnauthorized}, {"Bearer s3cret", http.StatusOK}} {
		req, _ := http.NewRequest("GET", metricsURL(c), nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("Authorization %q: %d, want %d", tc.auth, resp.StatusCode, tc.want)
		}
	}
	http.DefaultClient.CloseIdleConnections()
}

// A browser's WebSocket from a foreign origin is refused; one with no
// Origin (a program) or the centre's own is let in.
func TestOriginChecked(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, c.url, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://evil.example"}}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin: %v, %v", resp, err)
	}
	c.signIn(session.RoleAgent, "ana") // no Origin header
}

func TestClearTextWarning(t *testing.T) {
	for listen, warn := range map[string]bool{"127.0.0.1:7070": false, "[::1]:7070": false, "localhost:7070": false,
		"0.0.0.0:7070": true, ":7070": true, "192.168.1.5:7070": true} {
		if got := ClearTextWarning(listen, false) != ""; got != warn {
			t.Errorf("%s: warning %v, want %v", listen, got, warn)
		}
		if ClearTextWarning(listen, true) != "" {
			t.Errorf("%s with TLS: a warning", listen)
		}
	}
}

// A token can come from a file (@FILE), so it never shows in ps.
func TestTokenFromFile(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	p := filepath.Join(t.TempDir(), "ana.token")
	if err := os.WriteFile(p, []byte(c.token(session.RoleAgent, "ana")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cl := c.client("@" + p)
	if err := cl.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	followClient(t, cl)
	if _, err := local.NewClient(local.ClientConfig{Server: c.url, Token: "@" + p + ".missing"}); err == nil {
		t.Fatal("a missing token file: no error")
	}
}
