package centre

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/vendortest"
)

// blackhole is a loopback TCP proxy that can stop forwarding without
// closing anything: a link that dies silently (no FIN, no RST), as a Wi-Fi
// link does.
type blackhole struct {
	ln     net.Listener
	target string
	frozen atomic.Bool
	mu     sync.Mutex
	conns  []net.Conn
	wg     sync.WaitGroup
}

func newBlackhole(t *testing.T, target string) *blackhole {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &blackhole{ln: ln, target: target}
	b.wg.Add(1)
	go b.accept()
	t.Cleanup(b.close)
	return b
}

func (b *blackhole) accept() {
	defer b.wg.Done()
	for {
		c, err := b.ln.Accept()
		if err != nil {
			return
		}
		u, err := net.Dial("tcp", b.target)
		if err != nil {
			c.Close()
			continue
		}
		b.mu.Lock()
		b.conns = append(b.conns, c, u)
		b.mu.Unlock()
		b.wg.Add(2)
		go b.pipe(c, u)
		go b.pipe(u, c)
	}
}

// pipe copies from to to, dropping everything while frozen.
func (b *blackhole) pipe(from, to net.Conn) {
	defer b.wg.Done()
	buf := make([]byte, 32<<10)
	for {
		n, err := from.Read(buf)
		if err != nil {
			return
		}
		if b.frozen.Load() {
			continue
		}
		if _, err := to.Write(buf[:n]); err != nil {
			return
		}
	}
}

func (b *blackhole) close() {
	b.ln.Close()
	b.mu.Lock()
	for _, c := range b.conns {
		c.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
}

// A link that dies silently is noticed by both sides within a second or
// two (pings with a deadline): the console shows connection.lost, the
// centre lets the agent go and offers it no call.
func TestSilentlyDeadLink(t *testing.T) {
	c := newCentre(t, ServerConfig{PingEvery: 100 * time.Millisecond, PingTimeout: 300 * time.Millisecond})
	host, _, _ := strings.Cut(strings.TrimPrefix(c.url, "ws://"), "/")
	bh := newBlackhole(t, host)
	cl, err := local.NewClient(local.ClientConfig{Server: "ws://" + bh.ln.Addr().String(), Token: c.token(session.RoleAgent, "ana"),
		PingEvery: 100 * time.Millisecond, PingTimeout: 300 * time.Millisecond, MinBackoff: time.Second, MaxBackoff: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := cl.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	a := vendortest.Follow(t, cl, 10*time.Second)
	a.WaitFor("signed in", func(st session.State) bool { return st.Authed })
	a.MustDo("checkin")
	a.MustDo("ready")
	k := c.signIn(session.RoleKiosk, "lobby")

	detached := make(chan string, 1)
	c.srv.do(context.Background(), func() { c.srv.onDetach = func(u string) { detached <- u } })
	bh.frozen.Store(true)
	a.WaitFor("connection.lost on the console", func(st session.State) bool {
		return st.Conn == session.ConnLost || st.Conn == session.ConnReconnecting
	})
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	select {
	case u := <-detached:
		if u != "ana" {
			t.Fatalf("detached %q", u)
		}
	case <-deadline.C:
		t.Fatal("the centre did not notice the dead link")
	}
	k.MustDo("call")
	k.WaitFor("queued, not offered to the unreachable agent", func(st session.State) bool {
		return st.Queue.Waiting || st.Queue.NoAgents
	})
	var rang bool
	c.srv.do(context.Background(), func() {
		for _, o := range c.srv.eng.Snapshot(c.clock.Now(), "ana") {
			if _, ok := o.Event.(session.CallRinging); ok {
				rang = true
			}
		}
	})
	if rang {
		t.Fatal("the centre offers a call to an agent it cannot reach")
	}
}
