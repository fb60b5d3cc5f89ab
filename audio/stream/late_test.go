package stream

import (
	"context"
	"testing"
	"time"

	"github.com/pion/rtp"

	"github.com/agentty/agentty/audio"
)

// schedSink is a sound card as the player sees it: it has room when the
// test grants it, and says its queue runs dry after a given time.
type schedSink struct {
	grant  chan struct{}
	asked  chan struct{}
	writes chan []int16
	dryIn  time.Duration
}

func (s *schedSink) WriteFrame(ctx context.Context, f []int16) error {
	return s.WriteSamples(ctx, f)
}

func (s *schedSink) WriteSamples(ctx context.Context, f []int16) error {
	select {
	case s.writes <- append([]int16(nil), f...):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *schedSink) WaitWritable(ctx context.Context) error {
	select {
	case <-s.grant:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *schedSink) Deadline() (time.Time, time.Duration, bool) {
	select {
	case s.asked <- struct{}{}:
	default:
	}
	return time.Now().Add(s.dryIn), 0, true
}

func (s *schedSink) Period() time.Duration { return 5 * time.Millisecond }

// TestLatePacketPlaysBeforeTheDeadline: the sink asked for audio before
// the next packet came, but its queue lasts a while yet: the player waits
// for the packet and plays it instead of concealing the slot. A packet
// later than that is concealed when the queue is about to run dry.
func TestLatePacketPlaysBeforeTheDeadline(t *testing.T) {
	enc, _ := pcmuPair(t)
	payload := make([]byte, audio.FrameSamples/6)
	n, err := enc.c.Encode(resample8k(sine(audio.FrameSamples, 440, 0.3)), payload)
	if err != nil {
		t.Fatal(err)
	}
	pkt := func(i int) *rtp.Packet {
		return &rtp.Packet{Header: rtp.Header{PayloadType: 0, SequenceNumber: uint16(i), Timestamp: uint32(80 * i), SSRC: 7}, Payload: payload[:n]}
	}
	sink := &schedSink{grant: make(chan struct{}), asked: make(chan struct{}, 1), writes: make(chan []int16, 1), dryIn: 2 * time.Second}
	p := NewPlayer([]Codec{{PT: 0, Name: "PCMU", Clock: 8000}}, PlayerConfig{Sink: sink})
	defer p.Close()
	deadline := time.After(10 * time.Second)
	// step lets the player pop once and returns what it wrote.
	step := func() []int16 {
		t.Helper()
		select {
		case sink.grant <- struct{}{}:
		case <-deadline:
			t.Fatal("the player did not ask for room")
		}
		select {
		case w := <-sink.writes:
			return w
		case <-deadline:
			t.Fatal("the player wrote nothing")
		}
		return nil
	}
	p.Push(pkt(0), time.Now())
	for rms(step()) < 0.1 { // silence until playout starts
	}
	// Nothing for slot 1 yet: the player waits once the sink has said when
	// it runs dry, and the packet that comes then is played.
	select {
	case <-sink.asked: // left by an earlier pop
	default:
	}
	select {
	case sink.grant <- struct{}{}:
	case <-deadline:
		t.Fatal("the player did not ask for room")
	}
	select {
	case <-sink.asked:
	case <-deadline:
		t.Fatal("the player did not ask when the sink runs dry")
	}
	select {
	case w := <-sink.writes:
		t.Fatalf("the player wrote %d samples before the packet came", len(w))
	default:
	}
	p.Push(pkt(1), time.Now())
	select {
	case w := <-sink.writes:
		if rms(w) < 0.1 {
			t.Fatalf("slot 1 played at rms %.3f", rms(w))
		}
	case <-deadline:
		t.Fatal("slot 1 never played")
	}
	if st := p.Stats(); st.Played != 2 || st.Concealed != 0 {
		t.Fatalf("played %d, concealed %d: want 2 and 0", st.Played, st.Concealed)
	}
	// Slot 2 never comes: concealed lateMargin before the queue runs dry.
	sink.dryIn = 30 * time.Millisecond
	start := time.Now()
	step()
	if waited := time.Since(start); waited < sink.dryIn-lateMargin-5*time.Millisecond {
		t.Fatalf("slot 2 concealed after %v, before the sink ran dry (%v)", waited, sink.dryIn)
	}
	if st := p.Stats(); st.Concealed != 1 {
		t.Fatalf("concealed %d, want 1", st.Concealed)
	}
}
