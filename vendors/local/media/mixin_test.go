package media

import (
	"testing"
	"time"

	"github.com/agentty/agentty/audio/jitter"
)

// TestMixInputStartsAfreshAfterAPause: a leg mixed, then forwarded for a
// while (nothing pushed), then mixed again is played from its new packets
// at once, not from where the mix left off (which would take as long as
// the pause to catch up, a frame dropped per tick).
func TestMixInputStartsAfreshAfterAPause(t *testing.T) {
	var m mixInput
	c := ptCodec{name: "PCMU", clock: 8000}
	t0 := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * 20 * time.Millisecond) }
	payload := []byte{1, 2, 3}
	for i := 0; i < 10; i++ {
		m.push(c, uint16(i), uint32(i*160), payload, at(i))
		m.pop(at(i).Add(25*time.Millisecond), nil)
	}
	// Ten seconds forwarded, then mixed again.
	for i := 500; i < 503; i++ {
		m.push(c, uint16(i), uint32(i*160), payload, at(i))
	}
	var got []uint16
	for i := 500; i < 506; i++ {
		f, _ := m.pop(at(i).Add(25*time.Millisecond), nil)
		if f.Kind == jitter.KindPacket {
			got = append(got, f.Seq)
		}
	}
	if len(got) == 0 || got[0] < 500 || got[0] > 502 {
		t.Fatalf("after the pause played %v, want the new packets from 500", got)
	}
}

// TestMixInputEvents: telephone-events are handed over once, oldest first,
// and a stalled mixer keeps only the newest maxEvents.
func TestMixInputEvents(t *testing.T) {
	var m mixInput
	for i := 0; i < maxEvents+3; i++ {
		m.event(uint32(i), i == 0, []byte{byte(i), 0, 0, 160})
	}
	_, evs := m.pop(time.Now(), nil)
	if len(evs) != maxEvents || evs[0].ts != 3 || evs[len(evs)-1].ts != maxEvents+2 {
		t.Fatalf("events %+v", evs)
	}
	if _, evs = m.pop(time.Now(), evs[:0]); len(evs) != 0 {
		t.Fatalf("events handed over twice: %+v", evs)
	}
}
