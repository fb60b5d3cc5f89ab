package local

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/local/proto"
)

// errLost fails the Sends in flight when the link drops.
var errLost = errors.New("local: connection lost")

// run reads the connection and, when it drops, reconnects with backoff
// and resumes the session. It is the only goroutine that pushes events
// after Connect.
func (c *Client) run(ws *websocket.Conn) {
	defer c.wg.Done()
	defer close(c.events)
	for ws != nil {
		kctx, stop := context.WithCancel(c.ctx)
		kdone := make(chan struct{})
		go func(ws *websocket.Conn) {
			defer close(kdone)
			proto.Keepalive(kctx, ws, c.cfg.PingEvery, c.cfg.PingTimeout, func() {
				c.cfg.Logger.Warn("local: centre link dead (no pong)")
				ws.CloseNow()
			})
		}(ws)
		status := c.read(ws)
		stop()
		<-kdone
		c.mu.Lock()
		c.ws = nil
		for id, ch := range c.pending {
			ch <- errLost
			delete(c.pending, id)
		}
		closed := c.closed
		c.mu.Unlock()
		ws.CloseNow()
		if closed || c.ctx.Err() != nil {
			return
		}
		switch status {
		case proto.CloseConflict:
			c.push(session.ConnectionLost{Base: c.now(), Reason: "signed in elsewhere"})
			return
		case proto.CloseAuthFailed:
			c.push(session.ConnectionLost{Base: c.now(), Reason: "signed out by the centre (token revoked or expired)"})
			return
		}
		c.push(session.ConnectionLost{Base: c.now(), Reason: "link dropped"})
		ws = c.reconnect()
	}
}

// read handles frames until the connection fails; it returns the close
// status, or -1.
func (c *Client) read(ws *websocket.Conn) websocket.StatusCode {
	for {
		_, data, err := ws.Read(c.ctx)
		if err != nil {
			return websocket.CloseStatus(err)
		}
		f, e, err := proto.DecodeServer(data)
		if err != nil {
			c.cfg.Logger.Warn("local: bad frame from server", "err", err)
			continue
		}
		switch f.T {
		case proto.KindEvent:
			c.noteSeq(f.Seq)
			c.push(e)
		case proto.KindReply:
			c.reply(f)
		case proto.KindError:
			c.cfg.Logger.Warn("local: server error", "code", f.Code, "err", f.Error)
		case proto.KindSignal:
			if f.Signal != nil && c.cfg.OnSignal != nil {
				c.cfg.OnSignal(*f.Signal)
			}
		}
	}
}

// reply completes a Send. A refusal becomes a command.failed event first,
// so it is on Events before Send returns.
func (c *Client) reply(f proto.Frame) {
	c.mu.Lock()
	ch := c.pending[f.ID]
	delete(c.pending, f.ID)
	c.mu.Unlock()
	if ch == nil {
		return
	}
	if f.OK {
		ch <- nil
		return
	}
	ch <- errors.New(f.Error)
}

func (c *Client) reconnect() *websocket.Conn {
	start := time.Now()
	delay := c.cfg.MinBackoff
	for attempt := 1; ; attempt++ {
		c.push(session.ConnectionReconnecting{Base: c.now(), Reason: "link dropped", Attempt: attempt})
		jitter := time.Duration(rand.Int64N(int64(delay)/4 + 1))
		t := time.NewTimer(delay + jitter)
		select {
		case <-t.C:
		case <-c.ctx.Done():
			t.Stop()
			return nil
		}
		c.mu.Lock()
		seq := c.lastSeq
		c.mu.Unlock()
		ws, got, err := c.dial(c.ctx, seq)
		if err == nil {
			c.mu.Lock()
			if c.closed {
				c.mu.Unlock()
				ws.CloseNow()
				return nil
			}
			c.ws = ws
			c.mu.Unlock()
			c.push(session.ConnectionRestored{Base: c.now(), Attempt: attempt})
			for _, e := range got {
				c.push(e)
			}
			return ws
		}
		var ea errAuth
		if errors.As(err, &ea) || time.Since(start) > c.cfg.GiveUp {
			c.push(session.ConnectionFailed{Base: c.now(), Reason: err.Error()})
			return nil
		}
		c.cfg.Logger.Info("local: reconnect failed", "attempt", attempt, "err", err)
		delay = min(delay*2, c.cfg.MaxBackoff)
	}
}

// Send carries out one command; see vendors.Vendor.
func (c *Client) Send(ctx context.Context, cmd session.Command) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return vendors.ErrClosed
	}
	ws := c.ws
	if ws == nil {
		c.mu.Unlock()
		return c.fail(cmd, "not connected to the centre")
	}
	c.nextID++
	id := c.nextID
	ch := make(chan error, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	frame := proto.Encode(proto.Frame{T: proto.KindCmd, ID: id, Cmd: &cmd})
	if err := ws.Write(ctx, websocket.MessageText, frame); err != nil {
		c.forget(id)
		return c.fail(cmd, "not connected to the centre")
	}
	select {
	case err := <-ch:
		if errors.Is(err, errLost) {
			return c.fail(cmd, "connection lost before the centre answered")
		}
		if err != nil {
			c.push(session.CommandFailed{Base: c.now(), Command: cmd.String(), Reason: err.Error()})
		}
		return err
	case <-ctx.Done():
		c.forget(id)
		return fmt.Errorf("local: %s: %w", cmd.Verb, ctx.Err())
	case <-c.ctx.Done():
		return vendors.ErrClosed
	}
}

func (c *Client) forget(id int64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

func (c *Client) fail(cmd session.Command, reason string) error {
	reason = string(cmd.Verb) + ": " + reason
	c.push(session.CommandFailed{Base: c.now(), Command: cmd.String(), Reason: reason})
	return errors.New(reason)
}

// Close signs out (the centre ends this user's calls and checks it out),
// stops the client's goroutine and closes Events. It is idempotent.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	ws := c.ws
	c.mu.Unlock()
	if ws != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = ws.Write(ctx, websocket.MessageText, proto.Encode(proto.Frame{T: proto.KindBye}))
		cancel()
		_ = ws.Close(websocket.StatusNormalClosure, "bye")
	}
	c.cancel()
	c.wg.Wait()
	c.mu.Lock()
	running := c.running
	c.mu.Unlock()
	if !running {
		close(c.events)
	}
	return nil
}

// Signal sends SDP or ICE for a call leg to the centre's media layer.
func (c *Client) Signal(ctx context.Context, sig proto.Signal) error {
	c.mu.Lock()
	ws, closed := c.ws, c.closed
	c.mu.Unlock()
	if closed {
		return vendors.ErrClosed
	}
	if ws == nil {
		return errLost
	}
	if err := ws.Write(ctx, websocket.MessageText, proto.Encode(proto.Frame{T: proto.KindSignal, Signal: &sig})); err != nil {
		return fmt.Errorf("local: signal: %w", err)
	}
	return nil
}
