package bridge

import (
	"context"
	"encoding/json"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

// read is the one reader of the page's connection: text frames are the
// shim's hello, replies and vendor events (translated and emitted in
// order); binary frames are call audio (media.go).
func (v *Vendor) read(ctx context.Context, c *websocket.Conn) {
	defer v.wg.Done()
	for {
		typ, b, err := c.Read(ctx)
		if err != nil {
			if ctx.Err() == nil {
				v.emit(session.ConnectionLost{Base: v.base(), Reason: "the page closed"})
			}
			return
		}
		if typ == websocket.MessageBinary {
			v.media.received(b, v.clock.Now())
			continue
		}
		var f frame
		if err := json.Unmarshal(b, &f); err != nil || f.Secret != v.srv.secret {
			v.refuse("frame without the secret")
			continue
		}
		switch {
		case f.Hello != nil:
			if !v.spec.OwnConnect {
				v.emit(session.ConnectionEstablished{Base: v.base(), Vendor: v.spec.Name, Capabilities: v.spec.Caps})
				v.emit(session.AuthResult{Base: v.base(), OK: true, Role: v.spec.Role})
			}
			v.mu.Lock()
			if !v.connected {
				v.connected = true
				close(v.ready)
			}
			v.mu.Unlock()
		case f.Reply != nil:
			v.mu.Lock()
			ch := v.pending[*f.Reply]
			delete(v.pending, *f.Reply)
			v.mu.Unlock()
			if ch != nil {
				ch <- f.Error
			}
		case f.Event != "":
			evs, err := v.tr.Decode(wire.Msg{Event: f.Event, Data: f.Data}, v.clock.Now())
			if err != nil {
				v.Counters.Count(err)
				v.log.Warn("bridge: vendor event not translated", "vendor", v.spec.Name, "err", err)
			}
			for _, e := range evs {
				v.emit(e)
				v.media.observe(e)
				if v.spec.OwnConnect {
					v.signIn(e)
				}
			}
			v.mu.Lock()
			for _, ch := range v.awaiting[f.Event] {
				select { // a waiter may be listed under several names
				case <-ch:
				default:
					close(ch)
				}
			}
			delete(v.awaiting, f.Event)
			v.mu.Unlock()
			if v.spec.Reconnect != nil && v.spec.Reconnect(f.Event) {
				v.emit(session.ConnectionReconnecting{Base: v.base(), Reason: f.Event, Attempt: 1})
				v.post(ctx, wire.Call{Method: "reconnect"}) //nolint:errcheck // best effort
			}
			if v.spec.After != nil {
				for _, call := range v.spec.After(f.Event) {
					v.post(ctx, call) //nolint:errcheck // best effort, logged by the page
				}
			}
		}
	}
}
