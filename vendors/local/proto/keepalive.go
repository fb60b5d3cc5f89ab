package proto

import (
	"context"
	"time"

	"github.com/coder/websocket"
)

// Keepalive defaults: a WebSocket ping every PingEvery, and a link whose
// pong does not come within PingTimeout is dead. Both sides ping, so a link
// that dies silently (no FIN, no RST) is noticed within about 10 s.
const (
	DefaultPingEvery   = 5 * time.Second
	DefaultPingTimeout = 5 * time.Second
)

// Keepalive pings ws every every until ctx ends; when a pong does not come
// within timeout it calls dead once and returns. ws must have a reader
// running (coder/websocket reads pongs in Read).
func Keepalive(ctx context.Context, ws *websocket.Conn, every, timeout time.Duration, dead func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, timeout)
		err := ws.Ping(pctx)
		cancel()
		if err != nil {
			if ctx.Err() == nil {
				dead()
			}
			return
		}
	}
}
