package centre

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// Handler serves the signalling WebSocket at / and /ws, and /metrics.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", bearer(s.cfg.MetricsToken, s.MetricsHandler()))
	mux.HandleFunc("/ws", s.serveWS)
	mux.HandleFunc("/", s.serveWS)
	return mux
}

// Start listens on cfg.Listen (":0" picks a port) and serves until Close.
// It returns the ws:// or wss:// URL clients dial.
func (s *Server) Start() (string, error) {
	addr := s.cfg.Listen
	if addr == "" {
		addr = "127.0.0.1:7070"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("local: listen %s: %w", addr, err)
	}
	scheme := "ws"
	if s.cfg.TLSCert != "" || s.cfg.TLSKey != "" {
		cert, err := tls.LoadX509KeyPair(s.cfg.TLSCert, s.cfg.TLSKey)
		if err != nil {
			ln.Close()
			return "", fmt.Errorf("local: tls: %w", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme = "wss"
	}
	s.ln = ln
	s.httpSrv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: ReadHeaderTimeout, IdleTimeout: IdleTimeout}
	s.serveWG.Add(1)
	go func() {
		defer s.serveWG.Done()
		if err := s.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("local: serve", "err", err)
		}
	}()
	return scheme + "://" + ln.Addr().String() + "/ws", nil
}

// Serve runs the centre until ctx ends: the one-liner behind `agentty serve`.
func Serve(ctx context.Context, cfg ServerConfig) error {
	s, err := NewServer(cfg)
	if err != nil {
		return err
	}
	url, err := s.Start()
	if err != nil {
		s.Close()
		return err
	}
	s.log.Info("local: centre listening", "url", url, "data", cfg.DataDir)
	<-ctx.Done()
	return s.Close()
}
