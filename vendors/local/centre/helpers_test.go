package centre

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/store"
	"github.com/agentty/agentty/vendors/vendortest"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv("LOCAL_SERVE_CHILD"); dir != "" {
		serveChild(dir) // kill_test.go: a centre in a child process
		return
	}
	goleak.VerifyTestMain(m)
}

// fakeClock is a settable clock; the server fires timers when poked.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// centre is a server on 127.0.0.1 for one test.
type centre struct {
	t     *testing.T
	srv   *Server
	url   string
	clock *fakeClock
}

func newCentre(t *testing.T, cfg ServerConfig) *centre {
	t.Helper()
	clk := &fakeClock{now: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
	if cfg.Clock == nil {
		cfg.Clock = clk
	}
	cfg.DataDir = t.TempDir()
	cfg.Listen = "127.0.0.1:0"
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	url, err := srv.Start()
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &centre{t: t, srv: srv, url: url, clock: clk}
}

// advance moves the server's clock and fires what fell due.
func (c *centre) advance(d time.Duration) {
	c.clock.Add(d)
	c.srv.Poke()
}

func (c *centre) token(role session.Role, name string, groups ...string) string {
	c.t.Helper()
	tok, err := c.srv.Store().CreateToken(context.Background(), store.User{ID: name, Role: role, Groups: groups}, 0, c.clock.Now())
	if err != nil {
		c.t.Fatal(err)
	}
	return tok
}

func (c *centre) client(tok string) *local.Client {
	c.t.Helper()
	cl, err := local.NewClient(local.ClientConfig{Server: c.url, Token: tok, MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { cl.Close() })
	return cl
}

// signIn connects a fresh user and follows its events.
func (c *centre) signIn(role session.Role, name string, groups ...string) *vendortest.Session {
	c.t.Helper()
	cl := c.client(c.token(role, name, groups...))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := cl.Connect(ctx); err != nil {
		c.t.Fatalf("connect %s: %v", name, err)
	}
	s := vendortest.Follow(c.t, cl, 10*time.Second)
	s.WaitFor(name+" signed in", func(st session.State) bool { return st.Authed })
	return s
}

// group configures a group on the running server.
func (c *centre) group(g acd.GroupConfig) {
	c.t.Helper()
	var err error
	if derr := c.srv.do(context.Background(), func() { err = c.srv.eng.SetGroup(g) }); derr != nil || err != nil {
		c.t.Fatal(derr, err)
	}
}

func storeUser(id string, r session.Role, groups ...string) store.User {
	return store.User{ID: id, Role: r, Groups: groups}
}
