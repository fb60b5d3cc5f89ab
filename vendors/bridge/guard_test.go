package bridge

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// TestGuards plays the page from Go over real loopback sockets: a wrong
// secret, a wrong origin and a frame without the secret are refused and
// counted; an unknown vendor event is counted and the session goes on.
func TestGuards(t *testing.T) {
	urls := make(chan string, 1)
	v := New(Videsk(nil), nil, PrintURL{Print: func(u string) { urls <- u }}, vendors.Config{})
	t.Cleanup(func() { v.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	connected := make(chan error, 1)
	go func() { connected <- v.Connect(ctx) }()
	var url string
	select {
	case url = <-urls:
	case <-ctx.Done():
		t.Fatal("no URL")
	}
	base, secret := strings.TrimSuffix(url, "/"), ""
	secret = base[strings.LastIndex(base, "/")+1:]
	host := strings.TrimPrefix(base[:strings.LastIndex(base, "/")], "http://")

	resp, err := http.Get("http://" + host + "/wrongsecret/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("wrong secret: %d", resp.StatusCode)
	}
	wsURL := "ws://" + host + "/" + secret + "/ws"
	if _, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"http://evil.example"}}}); err == nil {
		t.Error("bad origin accepted")
	}
	c, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"http://" + host}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	send := func(v any) {
		b, _ := json.Marshal(v)
		if err := c.Write(ctx, websocket.MessageText, b); err != nil {
			t.Fatal(err)
		}
	}
	send(map[string]any{"secret": "nope", "hello": map[string]any{}})
	send(map[string]any{"secret": secret, "hello": map[string]any{}})
	if err := <-connected; err != nil {
		t.Fatal(err)
	}
	send(map[string]any{"secret": secret, "event": "not-in-the-seed"})
	send(map[string]any{"secret": secret, "event": "queued", "data": map[string]any{"position": 2, "time": 1}})
	deadline := time.After(10 * time.Second)
	for done := false; !done; {
		select {
		case e := <-v.Events():
			done = e.Type() == session.TypeQueueJoined
		case <-deadline:
			t.Fatal("no queue.joined")
		}
	}
	// Videsk network-issues: degraded, reconnecting, and the page is told
	// to rebuild its VideskPhone.
	send(map[string]any{"secret": secret, "event": "network-issues"})
	_, b, err := c.Read(ctx)
	if err != nil || !strings.Contains(string(b), `"reconnect"`) {
		t.Errorf("after network-issues the page got %s (%v)", b, err)
	}
	if v.Refused.Load() < 2 || v.Counters.Unknown.Load() != 1 {
		t.Errorf("refused %d, unknown %d", v.Refused.Load(), v.Counters.Unknown.Load())
	}
}
