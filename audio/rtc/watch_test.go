package rtc

import (
	"testing"
	"time"

	"github.com/agentty/agentty/audio/quality"
)

// mediaState is what the phone reports of a change (session's call.media
// states, by name: package audio does not import session).
type mediaState string

const (
	mediaLost     mediaState = "lost"
	mediaRestored mediaState = "restored"
)

// media is MediaChange as the phone reports it: lost or restored, once.
func (c *Call) media(now time.Time, limit time.Duration) (mediaState, bool) {
	lost, changed := c.MediaChange(now, limit)
	switch {
	case !changed:
		return "", false
	case lost:
		return mediaLost, true
	}
	return mediaRestored, true
}

// Media that stops arriving is reported lost after MediaSilence (and the
// quality report stops: no MOS for silence), and restored when it flows.
func TestSilentMediaIsLost(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	c := &Call{q: quality.NewMonitor("PCMU", 8000), started: t0}
	for i := range 50 {
		c.q.OnRTP(uint16(i), uint32(160*i), t0.Add(time.Duration(i)*20*time.Millisecond))
	}
	last := t0.Add(49 * 20 * time.Millisecond)
	if st, ch := c.media(last.Add(2*time.Second), 3*time.Second); ch {
		t.Fatalf("2 s of silence: %s", st)
	}
	if st, ch := c.media(last.Add(3*time.Second), 3*time.Second); !ch || st != mediaLost {
		t.Fatalf("3 s of silence: %s %v, want lost", st, ch)
	}
	if _, ch := c.media(last.Add(9*time.Second), 3*time.Second); ch {
		t.Fatal("lost reported twice")
	}
	if _, _, _, ok := c.Report(); ok {
		t.Fatal("a quality report for lost media")
	}
	c.q.OnRTP(50, 160*50, last.Add(10*time.Second))
	if st, ch := c.media(last.Add(10*time.Second), 3*time.Second); !ch || st != mediaRestored {
		t.Fatalf("packets again: %s %v, want restored", st, ch)
	}
	// A call whose media never arrived counts from its start.
	c2 := &Call{q: quality.NewMonitor("PCMU", 8000), started: t0}
	if st, ch := c2.media(t0.Add(3*time.Second), 3*time.Second); !ch || st != mediaLost {
		t.Fatalf("no packet ever: %s %v", st, ch)
	}
}

// A held call receives nothing on purpose: no media lost however long the
// hold; after the retrieve the silence counts from the retrieve.
func TestHeldCallIsNotLost(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	c := &Call{q: quality.NewMonitor("PCMU", 8000), started: t0}
	c.q.OnRTP(1, 160, t0)
	c.SetHeld(true, t0)
	if st, ch := c.media(t0.Add(time.Minute), 3*time.Second); ch {
		t.Fatalf("a minute on hold: %s", st)
	}
	back := t0.Add(time.Minute)
	c.SetHeld(false, back)
	if st, ch := c.media(back.Add(2*time.Second), 3*time.Second); ch {
		t.Fatalf("2 s after the retrieve: %s", st)
	}
	if st, ch := c.media(back.Add(3*time.Second), 3*time.Second); !ch || st != mediaLost {
		t.Fatalf("3 s after the retrieve with no packet: %s %v, want lost", st, ch)
	}
}
