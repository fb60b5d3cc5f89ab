package phone

import (
	"slices"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/quality"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/proto"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestCodecs(t *testing.T) {
	for _, tc := range []struct {
		opt  string
		want []string
		bad  bool
	}{
		{"pcmu", []string{audio.NamePCMU}, false},
		{"PCMA", []string{audio.NamePCMA}, false},
		{"speex", nil, true},
	} {
		got, err := Codecs(tc.opt)
		if (err != nil) != tc.bad || !slices.Equal(got, tc.want) {
			t.Errorf("Codecs(%q) = %v, %v; want %v (error %v)", tc.opt, got, err, tc.want, tc.bad)
		}
	}
	if got, _ := Codecs(""); len(got) < 2 {
		t.Errorf("Codecs(\"\") = %v, want every codec", got)
	}
}

// A phone with no calls starts, reports nothing and closes cleanly; an ICE
// candidate or DTMF for an unknown call is refused without harm.
func TestIdlePhone(t *testing.T) {
	p, err := New(Config{Send: func(proto.Signal) {}, Codec: "pcmu", Loopback: true})
	if err != nil {
		t.Fatal(err)
	}
	p.HandleSignal(proto.Signal{CallID: "c1", Kind: "ice", Candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host"})
	if err := p.SendDTMF("c1", "1"); err == nil {
		t.Error("dtmf on no call: want an error")
	}
	p.End("c1")
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}

// Media that stops arriving is reported lost after MediaSilence (and the
// quality report stops: no MOS for silence), and restored when it flows.
func TestSilentMediaIsLost(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	c := &call{id: "c1", q: quality.NewMonitor("PCMU", 8000), started: t0}
	for i := range 50 {
		c.q.OnRTP(uint16(i), uint32(160*i), t0.Add(time.Duration(i)*20*time.Millisecond))
	}
	last := t0.Add(49 * 20 * time.Millisecond)
	if st, ch := c.mediaChange(last.Add(2*time.Second), 3*time.Second); ch {
		t.Fatalf("2 s of silence: %s", st)
	}
	if st, ch := c.mediaChange(last.Add(3*time.Second), 3*time.Second); !ch || st != session.MediaLost {
		t.Fatalf("3 s of silence: %s %v, want lost", st, ch)
	}
	if _, ch := c.mediaChange(last.Add(9*time.Second), 3*time.Second); ch {
		t.Fatal("lost reported twice")
	}
	c.q.OnRTP(50, 160*50, last.Add(10*time.Second))
	if st, ch := c.mediaChange(last.Add(10*time.Second), 3*time.Second); !ch || st != session.MediaRestored {
		t.Fatalf("packets again: %s %v, want restored", st, ch)
	}
	// A call whose media never arrived counts from its start.
	c2 := &call{id: "c2", q: quality.NewMonitor("PCMU", 8000), started: t0}
	if st, ch := c2.mediaChange(t0.Add(3*time.Second), 3*time.Second); !ch || st != session.MediaLost {
		t.Fatalf("no packet ever: %s %v", st, ch)
	}
}

// A held call receives nothing on purpose: no media lost however long the
// hold; after the retrieve the silence counts from the retrieve.
func TestHeldCallIsNotLost(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	c := &call{id: "c1", q: quality.NewMonitor("PCMU", 8000), started: t0}
	c.q.OnRTP(1, 160, t0)
	c.hold(true, t0)
	if st, ch := c.mediaChange(t0.Add(time.Minute), 3*time.Second); ch {
		t.Fatalf("a minute on hold: %s", st)
	}
	back := t0.Add(time.Minute)
	c.hold(false, back)
	if st, ch := c.mediaChange(back.Add(2*time.Second), 3*time.Second); ch {
		t.Fatalf("2 s after the retrieve: %s", st)
	}
	if st, ch := c.mediaChange(back.Add(3*time.Second), 3*time.Second); !ch || st != session.MediaLost {
		t.Fatalf("3 s after the retrieve with no packet: %s %v, want lost", st, ch)
	}
}
