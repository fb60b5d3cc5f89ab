package centre

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/session"
)

// Sockets that never say hello are capped per address: past the cap the
// upgrade is refused with 503, and a socket that signs in frees its place.
func TestUnauthenticatedSocketsAreCapped(t *testing.T) {
	c := newCentre(t, ServerConfig{MaxUnauthedPerAddr: 3, MaxUnauthed: 10})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var held []*websocket.Conn
	defer func() {
		for _, ws := range held {
			ws.CloseNow()
		}
	}()
	for range 3 {
		ws, _, err := websocket.Dial(ctx, c.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, ws)
	}
	_, resp, err := websocket.Dial(ctx, c.url, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("fourth silent socket from one address: %v (%v)", resp, err)
	}
	// One of them signs in: its place frees up.
	hello := []byte(`{"t":"hello","v":1,"token":"` + c.token(session.RoleAgent, "a") + `"}`)
	if err := held[0].Write(ctx, websocket.MessageText, hello); err != nil {
		t.Fatal(err)
	}
	for {
		_, data, err := held[0].Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) >= 12 && string(data[:12]) == `{"t":"event"` {
			break
		}
	}
	ws, _, err := websocket.Dial(ctx, c.url, nil)
	if err != nil {
		t.Fatalf("after one signed in: %v", err)
	}
	held = append(held, ws)
}

// The HTTP server closes idle keep-alive connections and slow headers.
func TestHTTPTimeouts(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	if c.srv.httpSrv.IdleTimeout <= 0 || c.srv.httpSrv.ReadHeaderTimeout <= 0 {
		t.Fatalf("idle %v, read header %v", c.srv.httpSrv.IdleTimeout, c.srv.httpSrv.ReadHeaderTimeout)
	}
}
