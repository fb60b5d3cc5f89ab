package ua

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/sip/siplab"
)

// phone is a registered UA for tests: it records its events, answers
// every incoming call when auto is set, and gives each call a tone
// device playing hz.
type phone struct {
	*UA
	rec
	hz   float64
	auto bool
	mu   sync.Mutex
	devs []*siplab.Tone
}

func (p *phone) Incoming(c *Call) {
	p.rec.Incoming(c)
	if p.auto {
		go func() { _ = c.Answer(context.Background()) }()
	}
}

func (p *phone) TransferProgress(c *Call, code int, reason string, final bool) {
	p.put(fmt.Sprint("transfer ", code, " ", final))
}

func (p *phone) Replaced(old, c *Call) { p.put("replaced " + old.ID + " by " + c.ID) }

// lastDev is the device of the latest call.
func (p *phone) lastDev(t *testing.T) *siplab.Tone {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.devs) == 0 {
		t.Fatal("no call has opened a device")
	}
	return p.devs[len(p.devs)-1]
}

func newPhone(t *testing.T, k *siplab.Kamailio, user, pass string, hz float64, auto bool) *phone {
	t.Helper()
	u, err := New(Config{User: user, Password: pass, Domain: k.Addr(), Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}
	p := &phone{UA: u, rec: rec{ch: make(chan string, 64), in: make(chan *Call, 8)}, hz: hz, auto: auto}
	u.EnableCalls(Media{Codecs: []string{"pcmu"}, Device: func() (device.Device, error) {
		d := siplab.ToneDevice(hz)
		p.mu.Lock()
		p.devs = append(p.devs, d)
		p.mu.Unlock()
		return d, nil
	}}, p)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := u.Serve(ctx); err != nil {
		t.Fatal(err)
	}
	if err := u.Start(ctx, func(State) {}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { u.Close() })
	return p
}

func threeParties(t *testing.T) (*siplab.Kamailio, *siplab.Baresip, *phone, *phone) {
	k := siplab.StartKamailio(t, "MD5", siplab.User{Name: "alice", Password: "pa"}, siplab.User{Name: "bob", Password: "pb"}, siplab.User{Name: "carol", Password: "pc"})
	b := siplab.StartBaresip(t, siplab.BaresipConfig{User: "bob", Password: "pb", Registrar: k.Addr(), ToneHz: 1000})
	b.WaitRegistered(t, 5*time.Second)
	alice := newPhone(t, k, "alice", "pa", 500, false)
	carol := newPhone(t, k, "carol", "pc", 700, true)
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(k.Log())
			t.Log(b.Log())
		}
	})
	return k, b, alice, carol
}

// callBob has alice call baresip bob and waits until both hear each other.
func callBob(t *testing.T, b *siplab.Baresip, alice *phone) *Call {
	t.Helper()
	c, err := alice.Dial(context.Background(), "bob")
	if err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_INCOMING", 5*time.Second)
	if _, err := b.Command("accept", ""); err != nil {
		t.Fatal(err)
	}
	alice.want(t, "answered")
	siplab.WaitTone(t, alice.lastDev(t), 1000, 5*time.Second)
	return c
}

// Blind transfer: alice talks to baresip bob, REFERs him to carol, sees
// the NOTIFY progress to 200 and hangs up; bob and carol then talk
// (carol hears bob's 1000 Hz).
func TestBlindTransferBaresipToTarget(t *testing.T) {
	_, b, alice, carol := threeParties(t)
	ctx := context.Background()
	c := callBob(t, b, alice)
	if err := c.Transfer(ctx, "carol"); err != nil {
		t.Fatal(err)
	}
	carol.want(t, "incoming bob")
	alice.want(t, "transfer 200 true")
	if err := c.Hangup(ctx); err != nil {
		t.Logf("bye after transfer: %v", err)
	}
	alice.want(t, "ended local")
	carol.want(t, "answered")
	siplab.WaitTone(t, carol.lastDev(t), 1000, 5*time.Second)
}

// Attended transfer: alice holds bob, calls carol, then REFERs bob with
// Replaces of the alice-carol dialog; bob ends up talking to carol.
func TestAttendedTransferBaresipToTarget(t *testing.T) {
	_, b, alice, carol := threeParties(t)
	ctx := context.Background()
	c := callBob(t, b, alice)
	if err := c.Hold(ctx, true); err != nil {
		t.Fatal(err)
	}
	consult, err := alice.Dial(ctx, "carol")
	if err != nil {
		t.Fatal(err)
	}
	alice.want(t, "answered")
	carol.want(t, "answered")
	siplab.WaitTone(t, alice.lastDev(t), 700, 5*time.Second)
	if err := c.TransferReplacing(ctx, consult); err != nil {
		t.Fatal(err)
	}
	alice.want(t, "transfer 200 true")
	_ = c.Hangup(ctx)
	_ = consult.Hangup(ctx)
	siplab.WaitTone(t, carol.lastDev(t), 1000, 5*time.Second)
	t.Logf("carol: %v", carol.drain())
}

func (r rec) drain() []string {
	var out []string
	for {
		select {
		case s := <-r.ch:
			out = append(out, s)
		default:
			return out
		}
	}
}

func (p *phone) Referred(old, c *Call, target string) { p.put("referred to " + target) }

// Attended transfer between agentty phones only: bob is the transferee
// (he takes the REFER and calls carol with the Replaces it carried),
// carol the target (her consult call with alice is replaced by bob's).
func TestAttendedTransferWithReplacesEndToEnd(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", siplab.User{Name: "alice", Password: "pa"}, siplab.User{Name: "bob", Password: "pb"}, siplab.User{Name: "carol", Password: "pc"})
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(k.Log())
		}
	})
	alice := newPhone(t, k, "alice", "pa", 500, false)
	bob := newPhone(t, k, "bob", "pb", 1000, true)
	carol := newPhone(t, k, "carol", "pc", 700, true)
	ctx := context.Background()
	c, err := alice.Dial(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	alice.want(t, "answered")
	siplab.WaitTone(t, alice.lastDev(t), 1000, 5*time.Second)
	if err := c.Hold(ctx, true); err != nil {
		t.Fatal(err)
	}
	consult, err := alice.Dial(ctx, "carol")
	if err != nil {
		t.Fatal(err)
	}
	alice.want(t, "answered")
	siplab.WaitTone(t, alice.lastDev(t), 700, 5*time.Second)
	if err := c.TransferReplacing(ctx, consult); err != nil {
		t.Fatal(err)
	}
	bob.want(t, "referred to carol")
	carol.want(t, "replaced ")
	alice.want(t, "ended remote") // carol ended the consult call
	bob.want(t, "answered")
	alice.want(t, "transfer 200 true")
	if err := c.Hangup(ctx); err != nil {
		t.Fatal(err)
	}
	bob.want(t, "ended remote") // alice's call to bob
	siplab.WaitTone(t, carol.lastDev(t), 1000, 5*time.Second)
	siplab.WaitTone(t, bob.lastDev(t), 700, 5*time.Second)
}
