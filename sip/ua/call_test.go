package ua

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/agentty/agentty/sip/siplab"
)

type rec struct {
	ch chan string
	in chan *Call
}

func (r rec) put(s string) {
	select {
	case r.ch <- s:
	default:
	}
}
func (r rec) Incoming(c *Call) {
	r.in <- c
	r.put("incoming " + c.RemoteUser)
}
func (r rec) Progress(c *Call, code int) { r.put(fmt.Sprint("progress ", code)) }
func (r rec) Answered(c *Call)           { r.put("answered") }
func (r rec) Ended(c *Call, by string, code int, reason string) {
	r.put(fmt.Sprint("ended ", by, " ", code))
}
func (r rec) Digit(c *Call, d rune)         { r.put("digit " + string(d)) }
func (r rec) RemoteHold(c *Call, held bool) { r.put(fmt.Sprint("remotehold ", held)) }

func (r rec) want(t *testing.T, prefix string) string {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case s := <-r.ch:
			if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
				return s
			}
			t.Logf("event %s", s)
		case <-deadline:
			t.Fatalf("no %q", prefix)
		}
	}
}

// lab starts Kamailio, baresip "bob" and a registered UA "alice".
func lab(t *testing.T) (*siplab.Kamailio, *siplab.Baresip, *UA, rec) {
	t.Cleanup(func() {})
	k := siplab.StartKamailio(t, "MD5", siplab.User{Name: "alice", Password: "pa"}, siplab.User{Name: "bob", Password: "pb"})
	b := siplab.StartBaresip(t, siplab.BaresipConfig{User: "bob", Password: "pb", Registrar: k.Addr()})
	b.WaitRegistered(t, 5*time.Second)
	u, err := New(Config{User: "alice", Password: "pa", Domain: k.Addr(), Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}
	r := rec{ch: make(chan string, 32), in: make(chan *Call, 4)}
	u.EnableCalls(Media{Codecs: []string{"pcmu"}}, r)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := u.Serve(ctx); err != nil {
		t.Fatal(err)
	}
	if err := u.Start(ctx, func(State) {}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { u.Close() })
	return k, b, u, r
}

func TestCallOutAndInThroughKamailio(t *testing.T) {
	k, b, u, r := lab(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(k.Log())
		}
	})
	ctx := context.Background()
	c, err := u.Dial(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_INCOMING", 5*time.Second)
	r.want(t, "progress 180")
	if _, err := b.Command("accept", ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(b.Log())
		}
	})
	r.want(t, "answered")
	b.WaitEvent(t, "CALL_ESTABLISHED", 5*time.Second)
	if err := c.Hold(ctx, true); err != nil {
		t.Fatalf("hold: %v", err)
	}
	if err := c.Hold(ctx, false); err != nil {
		t.Fatalf("retrieve: %v", err)
	}
	if err := c.SendDTMF(ctx, "5"); err != nil {
		t.Fatalf("dtmf: %v", err)
	}
	if err := c.Hangup(ctx); err != nil {
		t.Fatalf("bye: %v", err)
	}
	b.WaitEvent(t, "CALL_CLOSED", 5*time.Second)
	r.want(t, "ended local")

	if out, err := b.Command("dial", "sip:alice@"+u.cfg.Domain); err != nil {
		t.Fatal(err)
	} else {
		t.Logf("dial: %s", out)
	}
	got := r.want(t, "incoming")
	if got != "incoming bob" {
		t.Errorf("caller id: %q", got)
	}
	var in *Call
	select {
	case in = <-r.in:
	case <-time.After(5 * time.Second):
		t.Fatal("no incoming call")
	}
	if err := in.Answer(ctx); err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_ESTABLISHED", 5*time.Second)
	if _, err := b.Command("hangup", ""); err != nil {
		t.Fatal(err)
	}
	r.want(t, "ended remote")
}
