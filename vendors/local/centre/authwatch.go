package centre

import (
	"context"
	"errors"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/store"
)

// DefaultAuthEvery is how often the centre checks the tokens of live
// sessions: a token revoked ('agentty token revoke'), a user disabled or a
// token expired ends its session within this long.
const DefaultAuthEvery = time.Second

// authWatch checks every signed-in connection's token every AuthEvery
// until the server closes.
func (s *Server) authWatch() {
	defer s.loopWG.Done()
	t := time.NewTicker(s.cfg.AuthEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.CheckTokens()
		case <-s.ctx.Done():
			return
		}
	}
}

// CheckTokens ends at once every live session whose token no longer
// signs in (revoked, user disabled, expired by the server's clock): the
// client gets auth.result with the code, the connection closes with
// CloseAuthFailed, and the user is signed out (calls end, checked out).
func (s *Server) CheckTokens() {
	s.mu.Lock()
	var conns []*conn
	for c := range s.conns {
		if c.user != "" && c.token != "" {
			conns = append(conns, c)
		}
	}
	s.mu.Unlock()
	now := s.clock.Now()
	for _, c := range conns {
		_, err := s.store.Authenticate(s.ctx, c.token, now)
		if err == nil || !(errors.Is(err, store.ErrInvalidToken) || errors.Is(err, store.ErrUnknownUser) || errors.Is(err, store.ErrTokenExpired)) {
			continue
		}
		code := authCode(err)
		s.log.Info("local: session ended", "user", c.user, "code", code)
		_ = s.do(context.Background(), func() {
			s.send(c.user, session.AuthResult{Base: session.Base{At: now}, OK: false, Code: code})
			c.closeWith.Store(int32(CloseAuthFailed))
			c.queue(nil) // the writer closes after the notice
			s.deliver(s.eng.SignOut(now, c.user))
		})
	}
}
