// Package voxfake is a local stand-in for Voximplant's signalling cloud,
// enough for the real voximplant-websdk 4.13.1-3005 (seed 001) to connect,
// log in, take ACD status changes and receive an incoming call. It speaks
// the SDK's sequenced protocol as read from its code
// (node_modules/voximplant-websdk/voximplant.min.js, class Connection):
//
//   - the SDK opens wss://HOST/platform?version=5&...; the server sends
//     {"type":"id","id":ID};
//   - the SDK answers {"type":"lastrx","seq":N}; the server sends its own
//     lastrx, then the message {"name":"__createConnection"}, which
//     completes connect() (ConnectionEstablished);
//   - messages both ways are {"type":"msg","seq":S,"payload":{"name":N,
//     "params":[...]}}, S counting from 1 per side; each side acks with
//     {"type":"ack","seq":S} (the SDK drops a connection whose messages go
//     unacknowledged for 6 s);
//   - login(user, hash, options) is answered by loginSuccessful(displayName,
//     {connectionId, iceConfig}) or loginFailed(code, extra);
//     setOperatorACDStatus({status, uuid}) by onACDStatus(_, status, uuid,
//     description); handleIncomingConnection(id, number, displayName,
//     headers, sdp, midInfo) rings.
//
// It is wss only (the SDK knows no other scheme), with a fresh self-signed
// certificate the test browser is told to accept. For tests and benches.
package voxfake

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Server is the fake cloud. Users maps a full user name
// (user@app.account.voximplant.com) to its password.
type Server struct {
	users map[string]string
	log   *slog.Logger
	ln    net.Listener
	srv   *http.Server

	wg    sync.WaitGroup // serving connections
	mu    sync.Mutex
	conns []*conn
	// Received lists every message name the SDK sent, in order.
	received []string
}

// Start serves the fake on 127.0.0.1 at a random port.
func Start(users map[string]string, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cert, err := testCert()
	if err != nil {
		return nil, fmt.Errorf("voxfake: certificate: %w", err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	if err != nil {
		return nil, fmt.Errorf("voxfake: listen: %w", err)
	}
	s := &Server{users: users, log: log, ln: ln}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 5 * time.Second}
	go s.srv.Serve(ln) //nolint:errcheck // ends with Close
	return s, nil
}

// Addr is host:port, the SDK's init({serverIp}).
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the server and its connections and waits for them.
func (s *Server) Close() error {
	s.mu.Lock()
	for _, c := range s.conns {
		c.ws.CloseNow() //nolint:errcheck
	}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	s.wg.Wait()
	return err
}

// Received returns the names of the messages the SDK sent so far.
func (s *Server) Received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.received...)
}

// ErrNoClient is returned by Ring when no SDK is logged in.
var ErrNoClient = errors.New("voxfake: no logged-in client")

// Ring offers an incoming call to the logged-in client.
func (s *Server) Ring(id, number, displayName string) error {
	c := s.loggedIn()
	if c == nil {
		return ErrNoClient
	}
	if c.status() == "READY" { // the ACD offers the call: the operator is in service
		c.pushStatus("IN_SERVICE") //nolint:errcheck
	}
	return c.send("handleIncomingConnection", id, number, displayName, map[string]string{}, offerSDP, nil)
}

// Hangup ends a call from the far end.
func (s *Server) Hangup(id string) error {
	c := s.loggedIn()
	if c == nil {
		return ErrNoClient
	}
	return c.ended(id)
}

// ended ends call id and puts an operator in service into after service.
func (c *conn) ended(id string) error {
	if err := c.send("handleConnectionDisconnected", id, map[string]string{}, map[string]any{}); err != nil {
		return err
	}
	if c.status() == "IN_SERVICE" {
		return c.pushStatus("AFTER_SERVICE")
	}
	return nil
}

func (c *conn) status() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.acd
}

// pushStatus sends an ACD status change the operator did not ask for
// (the uuid names this connection, as the SDK checks).
func (c *conn) pushStatus(st string) error {
	c.mu.Lock()
	c.acd = st
	c.mu.Unlock()
	return c.send("onACDStatus", c.id, st, "srv_"+c.id, "")
}

func (s *Server) loggedIn() *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.conns) - 1; i >= 0; i-- {
		if s.conns[i].user != "" {
			return s.conns[i]
		}
	}
	return nil
}

// conn is one SDK connection.
type conn struct {
	s    *Server
	ws   *websocket.Conn
	id   string
	mu   sync.Mutex
	seq  int64 // our last sent
	rx   int64 // their last received
	user string
	acd  string // the operator's ACD status
}

type frame struct {
	Type    string          `json:"type"`
	Seq     int64           `json:"seq"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

type payload struct {
	Name   string            `json:"name"`
	Params []json.RawMessage `json:"params"`
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/platform" {
		http.NotFound(w, r)
		return
	}
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true}) // the page's origin is agentty's
	if err != nil {
		return
	}
	s.mu.Lock()
	c := &conn{s: s, ws: ws, id: fmt.Sprintf("fakeconn%d", len(s.conns)+1)}
	s.conns = append(s.conns, c)
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	ctx := r.Context()
	if c.write(ctx, frame{Type: "id", ID: c.id}) != nil {
		return
	}
	for {
		_, b, err := ws.Read(ctx)
		if err != nil {
			return
		}
		var f frame
		if json.Unmarshal(b, &f) != nil {
			s.log.Warn("voxfake: bad frame", "frame", string(b))
			continue
		}
		switch f.Type {
		case "lastrx":
			c.mu.Lock()
			rx := c.rx
			c.mu.Unlock()
			c.write(ctx, frame{Type: "lastrx", Seq: rx}) //nolint:errcheck
			c.send("__createConnection", c.id)           //nolint:errcheck
		case "msg", "close":
			c.mu.Lock()
			c.rx = f.Seq
			c.mu.Unlock()
			c.write(ctx, frame{Type: "ack", Seq: f.Seq}) //nolint:errcheck
			if f.Type == "msg" {
				c.handle(f.Payload)
			}
		}
	}
}

func (c *conn) write(ctx context.Context, f frame) error {
	b, _ := json.Marshal(f)
	return c.ws.Write(ctx, websocket.MessageText, b)
}

// send sends one sequenced message.
func (c *conn) send(name string, params ...any) error {
	if params == nil {
		params = []any{}
	}
	p, err := json.Marshal(map[string]any{"name": name, "params": params})
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.seq++
	f := frame{Type: "msg", Seq: c.seq, Payload: p}
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.write(ctx, f)
}

func (c *conn) handle(raw json.RawMessage) {
	var p payload
	if json.Unmarshal(raw, &p) != nil {
		return
	}
	if p.Name != "__ping" {
		c.s.mu.Lock()
		c.s.received = append(c.s.received, p.Name)
		c.s.mu.Unlock()
		c.s.log.Info("voxfake: from the SDK", "name", p.Name)
	}
	str := func(i int) string {
		var v string
		if i < len(p.Params) {
			json.Unmarshal(p.Params[i], &v) //nolint:errcheck
		}
		return v
	}
	switch p.Name {
	case "__ping":
		c.send("__pong") //nolint:errcheck
	case "login":
		user, hash := str(0), str(1)
		pass, ok := c.s.users[user]
		if !ok {
			c.send("loginFailed", 404, nil) //nolint:errcheck
			return
		}
		if !matches(user, pass, hash) {
			c.send("loginFailed", 401, nil) //nolint:errcheck
			return
		}
		c.mu.Lock()
		c.user = user
		c.mu.Unlock()
		c.send("loginSuccessful", user, map[string]any{"connectionId": c.id, "iceConfig": nil}) //nolint:errcheck
	case "setOperatorACDStatus":
		var o struct {
			Status string `json:"status"`
			UUID   string `json:"uuid"`
		}
		if len(p.Params) > 0 {
			json.Unmarshal(p.Params[0], &o) //nolint:errcheck
		}
		c.mu.Lock()
		c.acd = o.Status
		c.mu.Unlock()
		c.send("onACDStatus", c.id, o.Status, o.UUID, "") //nolint:errcheck
	case "acceptCall": // id, headers, sdp, midInfo: connected, no answer SDP (no media)
		c.send("handleConnectionConnected", str(0), map[string]string{}, "", nil, nil) //nolint:errcheck
	case "disconnectCall", "rejectCall":
		c.ended(str(0)) //nolint:errcheck
	}
}

// matches checks the SDK's credential: hex MD5 or SHA-256 of
// "user:voximplant.com:password", user without its domain.
func matches(user, pass, hash string) bool {
	name := user
	for i := range len(user) {
		if user[i] == '@' {
			name = user[:i]
			break
		}
	}
	in := name + ":voximplant.com:" + pass
	m := md5.Sum([]byte(in))
	s := sha256.Sum256([]byte(in))
	return hash == hex.EncodeToString(m[:]) || hash == hex.EncodeToString(s[:])
}

// offerSDP is a WebRTC audio offer for an incoming call: enough for the
// SDK's PeerConnection to accept it as the remote description. It carries
// no candidates: no media flows.
const offerSDP = "v=0\r\n" +
	"o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n" +
	"s=-\r\n" +
	"t=0 0\r\n" +
	"a=group:BUNDLE 0\r\n" +
	"a=msid-semantic: WMS fake\r\n" +
	"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" +
	"c=IN IP4 0.0.0.0\r\n" +
	"a=rtcp:9 IN IP4 0.0.0.0\r\n" +
	"a=ice-ufrag:fake\r\n" +
	"a=ice-pwd:fakefakefakefakefakefake\r\n" +
	"a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n" +
	"a=setup:actpass\r\n" +
	"a=mid:0\r\n" +
	"a=sendrecv\r\n" +
	"a=msid:fake fake-audio\r\n" +
	"a=rtcp-mux\r\n" +
	"a=rtpmap:111 opus/48000/2\r\n" +
	"a=fmtp:111 minptime=10;useinbandfec=1\r\n" +
	"a=ssrc:1001 cname:fake\r\n"
