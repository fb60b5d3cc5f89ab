package centre

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/proto"
)

// raw is a hand-driven protocol client.
type raw struct {
	t  *testing.T
	ws *websocket.Conn
}

func (c *centre) raw(tok string) *raw {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, c.url, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	ws.SetReadLimit(1 << 22)
	c.t.Cleanup(func() { ws.CloseNow() })
	r := &raw{t: c.t, ws: ws}
	r.send(fmt.Sprintf(`{"t":"hello","v":1,"token":%q}`, tok))
	r.until(func(f proto.Frame, e session.Event) bool { _, ok := e.(session.AuthResult); return ok })
	return r
}

func (r *raw) send(s string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.ws.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
		r.t.Fatal(err)
	}
}

// until reads frames until ok holds, failing after 10 s.
func (r *raw) until(ok func(proto.Frame, session.Event) bool) proto.Frame {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, data, err := r.ws.Read(ctx)
		if err != nil {
			r.t.Fatalf("read: %v", err)
		}
		f, e, err := proto.DecodeServer(data)
		if err != nil {
			r.t.Fatalf("server sent a bad frame %s: %v", data, err)
		}
		if ok(f, e) {
			return f
		}
	}
}

func (r *raw) reply(id int64) proto.Frame {
	return r.until(func(f proto.Frame, _ session.Event) bool { return f.T == proto.KindReply && f.ID == id })
}

func TestMalformedFrameClosesNothing(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	r := c.raw(c.token(session.RoleAgent, "a"))
	for _, bad := range []string{`{`, `{"t":"cmd","id":1,"cmd":{"verb":"fly"}}`, `[]`, `{"t":"hello","v":1,"token":"x"}`} {
		r.send(bad)
		f := r.until(func(f proto.Frame, _ session.Event) bool { return f.T == proto.KindError })
		if f.Code != proto.CodeBadFrame || f.Error == "" {
			t.Errorf("%s: error frame %+v", bad, f)
		}
	}
	r.send(`{"t":"cmd","id":7,"cmd":{"verb":"checkin"}}`)
	if f := r.reply(7); !f.OK {
		t.Fatalf("checkin after bad frames: %+v", f)
	}
	r.send(`{"t":"cmd","id":8,"cmd":{"verb":"hold"}}`)
	if f := r.reply(8); f.OK || f.Code != proto.CodeRefused {
		t.Fatalf("hold with no call: %+v", f)
	}
}

func TestFloodIsRateLimited(t *testing.T) {
	c := newCentre(t, ServerConfig{Rate: 10, Burst: 20}) // the fake clock stands still: no refill
	r := c.raw(c.token(session.RoleAgent, "a"))
	// 61 frames: 20 pass, 41 are dropped with one error frame per 20 drops,
	// the third for the last frame, so by then the server has read them all.
	for i := 1; i <= 61; i++ {
		r.send(fmt.Sprintf(`{"t":"cmd","id":%d,"cmd":{"verb":"notready"}}`, i))
	}
	replies := 0
	for errs := 0; errs < 3; {
		f := r.until(func(f proto.Frame, _ session.Event) bool { return f.T == proto.KindError || f.T == proto.KindReply })
		if f.T == proto.KindReply {
			replies++
			continue
		}
		if f.Code != proto.CodeRateLimited {
			t.Fatalf("flood: %+v", f)
		}
		errs++
	}
	c.clock.Add(5 * time.Second) // the bucket refills; the connection still works
	r.send(`{"t":"cmd","id":100,"cmd":{"verb":"checkin"}}`)
	if f := r.reply(100); !f.OK {
		t.Fatalf("after the flood: %+v", f)
	}
	if replies > 20 {
		t.Errorf("%d commands of the flood were carried out, want at most the burst of 20", replies)
	}
}

func TestDropPastGraceEndsCall(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	a := c.raw(c.token(session.RoleAgent, "a"))
	k := c.signIn(session.RoleKiosk, "k")
	a.send(`{"t":"cmd","id":1,"cmd":{"verb":"checkin"}}`)
	a.reply(1)
	a.send(`{"t":"cmd","id":2,"cmd":{"verb":"ready"}}`)
	a.reply(2)
	k.MustDo("call")
	a.until(func(_ proto.Frame, e session.Event) bool { _, ok := e.(session.CallRinging); return ok })
	a.send(`{"t":"cmd","id":3,"cmd":{"verb":"answer"}}`)
	a.reply(3)
	k.WaitFor("talking", talking)
	detached := make(chan string, 1)
	c.srv.do(context.Background(), func() { c.srv.onDetach = func(u string) { detached <- u } })
	a.ws.CloseNow()
	select {
	case <-detached:
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not notice the drop")
	}
	c.advance(29 * time.Second)
	k.Drain()
	if !talking(k.State) {
		t.Fatalf("call ended inside the grace period")
	}
	c.advance(2 * time.Second)
	k.WaitFor("ended after the grace period", idle)
	recs, _ := c.srv.Store().Calls(context.Background())
	if len(recs) != 1 || recs[0].EndedBy != "system" {
		t.Errorf("records %+v", recs)
	}
}

func TestBadVersionAndMetrics(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, c.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	ws.Write(ctx, websocket.MessageText, []byte(`{"t":"hello","v":99,"token":"x"}`))
	_, data, err := ws.Read(ctx)
	if err != nil || !strings.Contains(string(data), proto.CodeBadVersion) {
		t.Fatalf("bad version: %s %v", data, err)
	}

	k := c.signIn(session.RoleKiosk, "k")
	k.MustDo("call")
	k.MustDo("leave")
	murl := "http" + strings.TrimSuffix(strings.TrimPrefix(c.url, "ws"), "/ws") + "/metrics"
	resp, err := http.Get(murl)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`agentty_calls_total{outcome="abandoned"} 1`, `agentty_queue_length{group="general"} 0`, `agentty_agents{state="offline"}`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s:\n%s", want, body)
		}
	}
}
