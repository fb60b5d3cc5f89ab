package centre

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/proto"
	"github.com/agentty/agentty/vendors/local/store"
)

// Close codes of the signalling socket (4000-4999 are the application's).
const (
	CloseAuthFailed websocket.StatusCode = proto.CloseAuthFailed // the hello's token was refused; do not retry
	CloseConflict   websocket.StatusCode = proto.CloseConflict   // the same user connected elsewhere; do not retry
	CloseBadHello   websocket.StatusCode = proto.CloseBadHello   // no valid hello
)

// conn is one client connection. The handler goroutine reads; a writer
// goroutine drains out. The loop queues frames with queue.
type conn struct {
	ws        *websocket.Conn
	user      string
	token     string       // the hello's, checked again by CheckTokens
	closeWith atomic.Int32 // close code for the writer's nil frame; 0 is CloseConflict
	out       chan []byte
	ctx       context.Context
	cancel    context.CancelFunc
	once      sync.Once
}

// queue hands a frame to the writer without blocking; a connection too slow
// to keep up is dropped (the client resumes and replays what it missed).
func (c *conn) queue(frame []byte) {
	select {
	case c.out <- frame:
	default:
		c.kill()
	}
}

func (c *conn) kill() {
	c.once.Do(func() {
		c.cancel()
		c.ws.CloseNow()
	})
}

func (c *conn) writer(done chan<- struct{}) {
	defer close(done)
	for {
		select {
		case f := <-c.out:
			if f == nil {
				code, why := CloseConflict, "signed in elsewhere"
				if cw := c.closeWith.Load(); cw != 0 {
					code, why = websocket.StatusCode(cw), "signed out by the centre"
				}
				_ = c.ws.Close(code, why)
				c.kill()
				return
			}
			ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
			err := c.ws.Write(ctx, websocket.MessageText, f)
			cancel()
			if err != nil {
				c.kill()
				return
			}
		case <-c.ctx.Done():
			return
		}
	}
}

// bucket is a token bucket on the server's clock.
type bucket struct {
	rate, burst, tokens float64
	last                time.Time
}

func (b *bucket) allow(now time.Time) bool {
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func authCode(err error) session.AuthCode {
	switch {
	case errors.Is(err, store.ErrInvalidToken):
		return session.AuthInvalidToken
	case errors.Is(err, store.ErrUnknownUser):
		return session.AuthUnknownUser
	case errors.Is(err, store.ErrTokenExpired):
		return session.AuthTokenExpired
	}
	return session.AuthInternal
}

func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = true
	s.connWG.Add(1)
	return true
}

func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.connWG.Done()
}

func (s *Server) writeNow(ctx context.Context, ws *websocket.Conn, f []byte) {
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_ = ws.Write(wctx, websocket.MessageText, f)
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	release, ok := s.admit(w, r)
	if !ok {
		return
	}
	defer release()
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: s.cfg.OriginPatterns})
	if err != nil {
		return
	}
	ws.SetReadLimit(proto.MaxFrame)
	ctx, cancel := context.WithCancel(s.ctx)
	// The outbox is made after the hello: a socket that never signs in
	// costs no 4096-frame channel.
	c := &conn{ws: ws, ctx: ctx, cancel: cancel}
	if !s.track(c) {
		c.kill()
		return
	}
	defer s.untrack(c)
	defer c.kill()

	hello, ok := s.readHello(c)
	if !ok {
		return
	}
	now := s.clock.Now()
	u, err := s.store.Authenticate(ctx, hello.Token, now)
	if err != nil {
		code := authCode(err)
		if code == session.AuthInternal {
			s.log.Error("local: authenticate", "err", err)
		}
		for _, e := range []session.Event{
			session.ConnectionEstablished{Base: session.Base{At: now}, Vendor: "local", Version: s.cfg.Engine.Version},
			session.AuthResult{Base: session.Base{At: now}, OK: false, Code: code},
		} {
			f, _ := proto.EncodeEvent(0, e)
			s.writeNow(ctx, ws, f)
		}
		ws.Close(CloseAuthFailed, string(code))
		return
	}
	release()
	s.mu.Lock() // CheckTokens reads them under s.mu
	c.out = make(chan []byte, s.cfg.Outbox)
	c.user, c.token = u.ID, hello.Token
	s.mu.Unlock()
	done := make(chan struct{})
	go c.writer(done)
	if err := s.do(ctx, func() { s.attach(c, u, hello.Resume) }); err == nil {
		kdone := make(chan struct{})
		go func() {
			defer close(kdone)
			proto.Keepalive(c.ctx, ws, s.cfg.PingEvery, s.cfg.PingTimeout, func() {
				s.log.Info("local: client link dead (no pong)", "user", u.ID)
				c.kill()
			})
		}()
		s.readLoop(c)
		c.kill()
		<-kdone
	}
	c.kill()
	<-done
	_ = s.do(context.Background(), func() { s.detach(c) })
}

func (s *Server) readHello(c *conn) (proto.Frame, bool) {
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	_, data, err := c.ws.Read(ctx)
	if err != nil {
		return proto.Frame{}, false
	}
	f, err := proto.DecodeClient(data)
	if err == nil && f.T != proto.KindHello {
		err = errors.New("proto: the first frame must be a hello")
	}
	if err == nil && f.V != proto.Version {
		s.writeNow(c.ctx, c.ws, proto.Encode(proto.Frame{T: proto.KindError, Code: proto.CodeBadVersion,
			Error: "local: protocol version " + itoa(int64(f.V)) + " is not spoken here (want " + itoa(proto.Version) + ")"}))
		c.ws.Close(CloseBadHello, "bad version")
		return proto.Frame{}, false
	}
	if err != nil {
		s.writeNow(c.ctx, c.ws, proto.Encode(proto.Frame{T: proto.KindError, Code: proto.CodeBadFrame, Error: err.Error()}))
		c.ws.Close(CloseBadHello, "bad hello")
		return proto.Frame{}, false
	}
	return f, true
}

// attach binds c to its user: a previous connection of the same user is
// told acd.conflict and dropped; the client's missed events are replayed
// when the backlog still holds them; then the engine's view follows.
func (s *Server) attach(c *conn, u store.User, resume int64) {
	now := s.clock.Now()
	s.eng.AddUser(acd.User{ID: u.ID, Name: u.Name, Role: u.Role, Groups: u.Groups})
	us := s.users[u.ID]
	if us == nil {
		us = &userSession{}
		s.users[u.ID] = us
	}
	if old := us.conn; old != nil {
		f, _ := proto.EncodeEvent(0, session.ACDConflict{Base: session.Base{At: now}, Reason: "signed in elsewhere"})
		old.queue(f)
		old.queue(nil) // the writer closes with CloseConflict after the notice

		us.conn = nil
		s.deliver(s.eng.Disconnect(now, u.ID))
	}
	restarted := resume > us.seq // the client holds a seq this server never issued
	replay := resume > 0 && resume <= us.seq && (len(us.backlog) > 0 && us.backlog[0].seq <= resume+1 || resume == us.seq)
	c.queue(proto.Encode(proto.Frame{T: proto.KindWelcome, V: proto.Version, Session: u.ID, Resumed: replay}))
	if replay {
		for _, b := range us.backlog {
			if b.seq > resume {
				c.queue(b.frame)
			}
		}
	}
	us.conn, us.left = c, time.Time{}
	s.setLive(u.ID, c)
	outs, _, err := s.eng.Connect(now, u.ID)
	if err != nil {
		s.log.Error("local: connect", "user", u.ID, "err", err)
		c.kill()
		return
	}
	s.deliver(outs)
	s.send(u.ID, syncedFor(u.ID, outs, restarted, now))
}

func (s *Server) detach(c *conn) {
	us := s.users[c.user]
	if us == nil || us.conn != c {
		return
	}
	us.conn, us.left = nil, s.clock.Now()
	s.setLive(c.user, nil)
	s.deliver(s.eng.Disconnect(s.clock.Now(), c.user))
	if s.onDetach != nil {
		s.onDetach(c.user)
	}
}

// readLoop reads frames until the connection ends. A bad frame gets an
// error frame and nothing else happens; frames beyond the rate limit are
// dropped with an error frame (one per burst, not one per frame).
func (s *Server) readLoop(c *conn) {
	b := &bucket{rate: s.cfg.Rate, burst: float64(s.cfg.Burst), tokens: float64(s.cfg.Burst)}
	dropped := 0
	g := s.newGuard()
	for {
		typ, data, err := c.ws.Read(c.ctx)
		if err != nil {
			return
		}
		if !s.screen(c, g, typ, data) {
			continue
		}
		if !b.allow(s.clock.Now()) {
			if dropped%int(max(s.cfg.Burst, 1)) == 0 {
				c.queue(proto.Encode(proto.Frame{T: proto.KindError, Code: proto.CodeRateLimited,
					Error: "local: too many frames; dropped"}))
			}
			dropped++
			continue
		}
		dropped = 0
		f, err := proto.DecodeClient(data)
		if err != nil {
			c.queue(proto.Encode(proto.Frame{T: proto.KindError, Code: proto.CodeBadFrame, Error: err.Error()}))
			continue
		}
		switch f.T {
		case proto.KindCmd:
			cmd, id := *f.Cmd, f.ID
			if !g.cmdID(c, id) {
				continue
			}
			s.submit(c, func() { s.command(c, id, cmd) })
		case proto.KindSignal:
			sig := *f.Signal
			s.submit(c, func() { s.signal(c, sig) })
		case proto.KindBye:
			s.submit(c, func() { s.deliver(s.eng.SignOut(s.clock.Now(), c.user)) })
		case proto.KindHello:
			c.queue(proto.Encode(proto.Frame{T: proto.KindError, Code: proto.CodeBadFrame, Error: "local: hello sent twice"}))
		}
	}
}

// submit queues work on the loop without waiting for it; order is kept.
func (s *Server) submit(c *conn, f func()) {
	select {
	case s.work <- f:
	case <-c.ctx.Done():
	}
}

func (s *Server) command(c *conn, id int64, cmd session.Command) {
	outs, err := s.eng.Do(s.clock.Now(), c.user, cmd)
	s.deliver(outs)
	reply := proto.Frame{T: proto.KindReply, ID: id, OK: err == nil}
	if err != nil {
		var r *acd.Refusal
		if errors.As(err, &r) {
			reply.Code, reply.Error = r.Code, r.Reason
		} else {
			reply.Code, reply.Error = proto.CodeInternal, err.Error()
		}
	}
	c.queue(proto.Encode(reply))
}

// signal passes a client's media signal to the media layer if it is for a
// call in progress that the client takes part in; otherwise the client gets
// an error frame.
func (s *Server) signal(c *conn, sig proto.Signal) {
	if !s.eng.HasLeg(c.user, sig.CallID) {
		c.queue(proto.Encode(proto.Frame{T: proto.KindError, Code: proto.CodeNotFound,
			Error: "local: signal: no call " + sig.CallID + " in progress with you"}))
		return
	}
	s.media.Signal(c.user, sig)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
