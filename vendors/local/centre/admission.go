package centre

import (
	"net"
	"net/http"
	"time"
)

// Limits on sockets that have not said hello yet, and HTTP timeouts.
const (
	DefaultMaxUnauthed        = 512 // in total
	DefaultMaxUnauthedPerAddr = 32  // from one IP address
	// IdleTimeout closes an idle keep-alive HTTP connection (one that
	// asked for /metrics and stayed); WebSocket connections are not idle
	// in this sense.
	IdleTimeout       = 60 * time.Second
	ReadHeaderTimeout = 10 * time.Second
)

// admit counts a socket that has yet to say hello from r's address; false
// (and a 503 written) when the address or the centre has too many. The
// caller calls release once the hello is read or refused.
func (s *Server) admit(w http.ResponseWriter, r *http.Request) (release func(), ok bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	s.mu.Lock()
	if s.unauthed == nil {
		s.unauthed = map[string]int{}
	}
	if s.unauthedN >= s.cfg.MaxUnauthed || s.unauthed[host] >= s.cfg.MaxUnauthedPerAddr {
		s.mu.Unlock()
		w.Header().Set("Retry-After", "5")
		http.Error(w, "local: too many connections waiting to sign in", http.StatusServiceUnavailable)
		return nil, false
	}
	s.unauthedN++
	s.unauthed[host]++
	s.mu.Unlock()
	done := false
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if done {
			return
		}
		done = true
		s.unauthedN--
		if s.unauthed[host]--; s.unauthed[host] <= 0 {
			delete(s.unauthed, host)
		}
	}, true
}
