package sip

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/vendors"
)

func TestRegisterRightAndWrongPassword(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", siplab.User{Name: "alice", Password: "pa"})
	for _, tc := range []struct {
		pass string
		ok   bool
		code session.AuthCode
	}{{"pa", true, ""}, {"bad", false, session.AuthInvalidToken}} {
		v, err := vendors.New("sip", vendors.Config{Options: map[string]string{"user": "alice", "password": tc.pass, "domain": k.Addr()}})
		if err != nil {
			t.Fatal(err)
		}
		quiet(v)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = v.Connect(ctx)
		cancel()
		if (err == nil) != tc.ok {
			t.Errorf("pass %q: err %v", tc.pass, err)
		}
		v.Close()
		var got *session.AuthResult
		for e := range v.Events() {
			if a, ok := e.(session.AuthResult); ok {
				got = &a
			}
		}
		if got == nil || got.OK != tc.ok || got.Code != tc.code {
			t.Errorf("pass %q: auth.result %+v", tc.pass, got)
		}
	}
}

// stepClock moves a second on every reading, so a call's duration is
// known without sleeping.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// A call placed through the backend to baresip, answered and hung up,
// ends with its talk time (it was always 0).
func TestCallEndsWithItsDuration(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", siplab.User{Name: "alice", Password: "pa"}, siplab.User{Name: "bob", Password: "pb"})
	b := siplab.StartBaresip(t, siplab.BaresipConfig{User: "bob", Password: "pb", Registrar: k.Addr()})
	clk := &stepClock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	v, err := vendors.New("sip", vendors.Config{Clock: clk, Options: map[string]string{
		"user": "alice", "password": "pa", "domain": k.Addr(), "codecs": "pcmu"}})
	if err != nil {
		t.Fatal(err)
	}
	quiet(v)
	defer v.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := v.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	next := func(want session.EventType) session.Event {
		t.Helper()
		for {
			select {
			case e := <-v.Events():
				if e.Type() == want {
					return e
				}
			case <-ctx.Done():
				t.Fatalf("no %s", want)
				return nil
			}
		}
	}
	if err := v.Send(ctx, session.Command{Verb: session.VerbDial, Number: "bob"}); err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_INCOMING", 5*time.Second)
	if _, err := b.Command("accept", ""); err != nil {
		t.Fatal(err)
	}
	ans := next(session.TypeCallAnswered).(session.CallAnswered)
	if err := v.Send(ctx, session.Command{Verb: session.VerbHangup, CallID: ans.CallID}); err != nil {
		t.Fatal(err)
	}
	end := next(session.TypeCallEnded).(session.CallEnded)
	if end.Duration <= 0 || end.Duration.D() != end.At.Sub(ans.At) {
		t.Errorf("call.ended duration %v, want the time from answer (%v) to end (%v)", end.Duration.D(), ans.At, end.At)
	}
}
