package media_test

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	lc "github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/local/media"
	"github.com/agentty/agentty/vendors/local/phone"
	"github.com/agentty/agentty/vendors/local/sim"
	"github.com/agentty/agentty/vendors/local/store"
	"github.com/agentty/agentty/vendors/vendortest"
)

func TestMain(m *testing.M) {
	// A device whose sound server never released it (device.ErrCloseTimeout)
	// leaves its teardown in C; that is the one goroutine allowed to stay.
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/agentty/agentty/audio/device.(*Malgo).teardown"))
}

const wait = 20 * time.Second

// centre is a centre with a media layer on loopback.
type centre struct {
	t     *testing.T
	srv   *lc.Server
	media *media.Server
	url   string
}

func newCentre(t *testing.T, mc media.Config) *centre {
	t.Helper()
	mc.Loopback = true
	if mc.Parties == nil {
		mc.Parties = sim.NewPhones(sim.PhonesConfig{Loopback: true}).Open // simulated callers, as the centre runs them
	}
	m, err := media.New(mc)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := lc.NewServer(lc.ServerConfig{DataDir: t.TempDir(), Listen: "127.0.0.1:0", Media: m})
	if err != nil {
		m.Close()
		t.Fatal(err)
	}
	url, err := srv.Start()
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &centre{t: t, srv: srv, media: m, url: url}
}

// party is one signed-in user with a phone whose device is dev.
type party struct {
	*vendortest.Session
	cl     *local.MediaClient
	dev    *tap
	digits chan rune
}

func (c *centre) signIn(role session.Role, name string, dev *tap, opts map[string]string, drop func(uint16) bool) *party {
	c.t.Helper()
	return c.signInWith(role, name, func(string) (device.Device, error) { return dev, nil }, opts, drop, dev)
}

// signInDev signs in a party whose phone opens devices with open.
func (c *centre) signInDev(role session.Role, name string, open func(string) (device.Device, error)) *party {
	c.t.Helper()
	return c.signInWith(role, name, open, nil, nil, nil)
}

func (c *centre) signInWith(role session.Role, name string, open func(string) (device.Device, error), opts map[string]string, drop func(uint16) bool, dev *tap) *party {
	c.t.Helper()
	tok, err := c.srv.Store().CreateToken(context.Background(), store.User{ID: name, Role: role, Groups: []string{"sales"}}, 0, time.Now())
	if err != nil {
		c.t.Fatal(err)
	}
	p := &party{dev: dev, digits: make(chan rune, 64)}
	cl, err := local.NewMediaClient(local.ClientConfig{Server: c.url, Token: tok}, phone.Config{
		Codec: opts["codec"], Loopback: true, Drop: drop, QualityEvery: 200 * time.Millisecond,
		OpenDevice: open,
		OnDigit: func(_ string, d rune) {
			select {
			case p.digits <- d:
			default:
			}
		},
	})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { cl.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := cl.Connect(ctx); err != nil {
		c.t.Fatal(err)
	}
	p.cl = cl
	p.Session = vendortest.Follow(c.t, cl, wait)
	p.WaitFor(name+" signed in", func(st session.State) bool { return st.Authed })
	return p
}

func talking(st session.State) bool { _, ok := st.Talking(); return ok }

// connect makes kiosk call and agent answer.
func connect(t *testing.T, kiosk, agent *party) {
	t.Helper()
	agent.MustDo("checkin")
	agent.MustDo("ready")
	kiosk.MustDo("call")
	agent.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	agent.MustDo("answer")
	kiosk.WaitFor("kiosk talking", talking)
	agent.WaitFor("agent talking", talking)
}

// tap is a paced device: its microphone plays in (then silence, or a tone
// forever when tone is set), its speaker records; waiters learn when the
// recording reaches a length. The phone closes it after each call; a tap
// keeps working across calls.
type tap struct {
	mu      sync.Mutex
	in      []int16
	tone    *audio.Tone
	pos     int
	rec     []int16
	waiters []waiter
	rp, wp  pacer
}

type waiter struct {
	n  int
	ch chan struct{}
}

func newTap(in []int16, toneHz float64) *tap {
	d := &tap{in: in}
	if toneHz > 0 {
		d.tone = &audio.Tone{Freqs: []float64{toneHz}, Amplitude: 0.2}
	}
	return d
}

func (d *tap) Name() string        { return "tap" }
func (d *tap) Stats() device.Stats { return device.Stats{} }
func (d *tap) Close() error        { return nil }

func (d *tap) ReadFrame(ctx context.Context, f []int16) error {
	if err := d.rp.wait(ctx); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case d.tone != nil:
		d.tone.Fill(f)
	case d.pos < len(d.in):
		n := copy(f, d.in[d.pos:])
		clear(f[n:])
		d.pos += len(f)
	default:
		clear(f)
	}
	return nil
}

func (d *tap) WriteFrame(ctx context.Context, f []int16) error {
	if err := d.wp.wait(ctx); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.rec = append(d.rec, f...)
	keep := d.waiters[:0]
	for _, w := range d.waiters {
		if len(d.rec) >= w.n {
			close(w.ch)
		} else {
			keep = append(keep, w)
		}
	}
	d.waiters = keep
	return nil
}

// mark returns the current recording length.
func (d *tap) mark() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.rec)
}

// await waits until the recording holds n samples and returns them.
func (d *tap) await(t *testing.T, n int) []int16 {
	t.Helper()
	d.mu.Lock()
	ch := make(chan struct{})
	if len(d.rec) >= n {
		close(ch)
	} else {
		d.waiters = append(d.waiters, waiter{n, ch})
	}
	d.mu.Unlock()
	select {
	case <-ch:
	case <-time.After(wait):
		t.Fatalf("recording stuck at %d of %d samples", d.mark(), n)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]int16(nil), d.rec[:n]...)
}

// window waits for dur more audio after now and returns it.
func (d *tap) window(t *testing.T, skip, dur time.Duration) []int16 {
	t.Helper()
	start := d.mark() + samples(skip)
	all := d.await(t, start+samples(dur))
	return all[start:]
}

func samples(d time.Duration) int { return int(d * audio.SampleRate / time.Second) }

// pacer makes a caller wait for its 20 ms slot.
type pacer struct {
	next time.Time
	late atomic.Int64 // the longest a frame came after its time, ns
}

func (p *pacer) wait(ctx context.Context) error {
	now := time.Now()
	if !p.next.IsZero() {
		if l := int64(now.Sub(p.next)); l > p.late.Load() {
			p.late.Store(l)
		}
	}
	if p.next.IsZero() || now.Sub(p.next) > 200*time.Millisecond {
		p.next = now
	}
	dd := p.next.Sub(now)
	p.next = p.next.Add(audio.FrameDuration)
	if dd <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(dd)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

// toneAmp is the amplitude (full scale 1) of freq in pcm, by Goertzel.
func toneAmp(pcm []int16, freq float64) float64 {
	k := 2 * math.Cos(2*math.Pi*freq/audio.SampleRate)
	var s1, s2 float64
	for _, x := range pcm {
		s0 := float64(x)/32768 + k*s1 - s2
		s2, s1 = s1, s0
	}
	p := s1*s1 + s2*s2 - k*s1*s2
	return 2 * math.Sqrt(math.Max(p, 0)) / float64(len(pcm))
}
