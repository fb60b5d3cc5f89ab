// Package bridge hosts a seed vendor's browser SDK in a local page and turns
// its events into session events. agentty serves the page on 127.0.0.1 (a
// random port, a per-run secret in the URL); the page loads the vendor's SDK,
// the common shim (js/shim.js) and the vendor's shim (js/NAME.js), which
// subscribes to the SDK's events as the seed documents and relays them over a
// loopback WebSocket. Commands come back the same way, and binary messages
// carry the call's audio both ways (media.go, js/audio.js). The Origin
// header, the secret in the path and the secret inside every message are
// all checked; anything else is dropped and counted.
package bridge

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"strings"

	"github.com/coder/websocket"
)

//go:embed js/*.js
var shims embed.FS

// frame is one message from the page: an event, a command's reply, or hello.
type frame struct {
	Secret string          `json:"secret"`
	Event  string          `json:"event,omitempty"`
	Data   json.RawMessage `json:"data,omitempty"`
	Reply  *int64          `json:"reply,omitempty"`
	Error  string          `json:"error,omitempty"`
	Hello  json.RawMessage `json:"hello,omitempty"`
}

// command is one message to the page.
type command struct {
	ID     int64  `json:"id"`
	Method string `json:"method"`
	Args   []any  `json:"args"`
}

// server serves the page and accepts the one WebSocket.
type server struct {
	secret string
	ln     net.Listener
	srv    *http.Server
	spec   Spec
	config string       // JSON handed to the vendor shim
	conns  chan *wsConn // accepted page connections
	badReq func(string) // counts and logs a refused request
}

type wsConn struct {
	c *websocket.Conn
}

func newSecret() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func startServer(spec Spec, config string, bad func(string)) (*server, error) {
	secret, err := newSecret()
	if err != nil {
		return nil, fmt.Errorf("bridge: secret: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bridge: listen: %w", err)
	}
	s := &server{secret: secret, ln: ln, spec: spec, config: config, conns: make(chan *wsConn, 1), badReq: bad}
	mux := http.NewServeMux()
	mux.HandleFunc("/", s.serve)
	s.srv = &http.Server{Handler: mux}
	go s.srv.Serve(ln) //nolint:errcheck // ends with Shutdown
	return s, nil
}

// URL is the page's address, secret included.
func (s *server) URL() string { return "http://" + s.origin() + "/" + s.secret + "/" }

func (s *server) origin() string { return s.ln.Addr().String() }

func (s *server) close(ctx context.Context) error { return s.srv.Shutdown(ctx) }

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/"+s.secret+"/")
	if !ok {
		s.badReq("bad secret in path")
		http.NotFound(w, r)
		return
	}
	if r.Host != s.origin() {
		s.badReq("bad host " + r.Host)
		http.Error(w, "bad host", http.StatusForbidden)
		return
	}
	switch {
	case rest == "":
		s.page(w)
	case rest == "ws":
		if o := r.Header.Get("Origin"); o != "http://"+s.origin() {
			s.badReq("bad origin " + o)
			http.Error(w, "bad origin", http.StatusForbidden)
			return
		}
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: []string{s.origin()}})
		if err != nil {
			return
		}
		c.SetReadLimit(1 << 20)
		select {
		case s.conns <- &wsConn{c: c}:
		default:
			c.Close(websocket.StatusPolicyViolation, "one page only")
		}
	case rest == "shim.js" || rest == "audio.js" || rest == "worklet.js" || rest == "vendor.js":
		name := "js/" + rest
		if rest == "vendor.js" {
			name = "js/" + s.spec.Name + ".js"
		}
		b, err := shims.ReadFile(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		w.Write(b) //nolint:errcheck
	case rest == "sdk.js" && s.spec.SDK != nil:
		w.Header().Set("Content-Type", "text/javascript")
		w.Write(s.spec.SDK) //nolint:errcheck
	case s.spec.Files != nil:
		http.StripPrefix("/"+s.secret+"/", http.FileServer(s.spec.Files)).ServeHTTP(w, r)
	default:
		http.NotFound(w, r)
	}
}

// page is the host page: the common shim and the audio hooks (before the
// SDK, so that getUserMedia is answered by agentty's microphone from the
// start), the SDK, then the vendor's shim.
func (s *server) page(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, `<!doctype html><html data-secret="%s" data-config="%s"><head><meta charset="utf-8"><title>agentty %s</title></head><body>%s
<script src="shim.js"></script><script src="audio.js"></script><script src="sdk.js"></script><script src="vendor.js"></script></body></html>`,
		s.secret, html.EscapeString(s.config), s.spec.Name, s.spec.Body)
}
