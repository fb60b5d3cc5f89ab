package media

import (
	"sync"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/jitter"
)

// mixInput is what the mixer takes from one leg: its packets through a
// jitter buffer (the mixer decodes them on its own clock and conceals what
// is lost or late, as a phone would), and the telephone-events it sent,
// which the mixer passes on to everyone who hears the leg. The leg's SRTP
// goroutine pushes, the mixer pops.
type mixInput struct {
	mu     sync.Mutex
	jb     *jitter.Buffer
	clock  uint32
	last   time.Time   // the last push
	events []telPacket // received since the mixer's last tick
}

// staleAfter is the pause in pushes after which the jitter buffer starts
// afresh: the leg was not mixed meanwhile (its packets were forwarded, or
// nobody heard it), and what the buffer remembers is old.
const staleAfter = 500 * time.Millisecond

// telPacket is one RFC 4733 packet: its event's start timestamp (in the
// sender's timeline), marker and payload.
type telPacket struct {
	ts      uint32
	marker  bool
	n       int
	payload [16]byte
}

// maxEvents bounds the events kept between two ticks: a stalled mixer
// loses the oldest, never grows.
const maxEvents = 8

// push stores a media packet (payload nil: a silent slot).
func (m *mixInput) push(c ptCodec, seq uint16, ts uint32, payload []byte, now time.Time) {
	m.mu.Lock()
	if m.jb == nil || m.clock != c.clock || now.Sub(m.last) > staleAfter {
		m.jb, m.clock = jitter.New(jitter.Config{ClockRate: int(c.clock), Frame: audio.FrameDuration}), c.clock
	}
	m.last = now
	jb := m.jb
	m.mu.Unlock()
	jb.Push(jitter.Packet{Seq: seq, Timestamp: ts, Payload: payload}, now)
}

// event stores a telephone-event packet.
func (m *mixInput) event(ts uint32, marker bool, payload []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.events) == maxEvents {
		m.events = append(m.events[:0], m.events[1:]...)
	}
	p := telPacket{ts: ts, marker: marker}
	p.n = copy(p.payload[:], payload)
	m.events = append(m.events, p)
}

// pop returns the next frame from the jitter buffer (Waiting before the
// first packet) and appends the events received since the last call to
// evs.
func (m *mixInput) pop(now time.Time, evs []telPacket) (jitter.Frame, []telPacket) {
	m.mu.Lock()
	jb := m.jb
	evs = append(evs, m.events...)
	m.events = m.events[:0]
	m.mu.Unlock()
	if jb == nil {
		return jitter.Frame{Kind: jitter.KindWaiting}, evs
	}
	return jb.Pop(now), evs
}
