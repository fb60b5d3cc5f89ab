package sim

import (
	"context"
	"testing"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/vendors/local/proto"
)

// TestPhonesOpenOnlySimulatedParties: the relay's party opener answers for
// simulated callers and dialled numbers, and leaves consoles to their
// connections.
func TestPhonesOpenOnlySimulatedParties(t *testing.T) {
	opened := 0
	ps := NewPhones(PhonesConfig{Loopback: true, Device: func(party, callID string) (device.Device, error) {
		opened++
		return device.NewNull(true), nil
	}})
	send := func(proto.Signal) {}
	for _, user := range []string{"ana", "boss", "lobby", "", "simon", "extra"} {
		p, err := ps.Open(user, send)
		if err != nil || p != nil {
			t.Errorf("Open(%q) = %v, %v; want no party for a console", user, p, err)
		}
	}
	for _, party := range []string{"sim:1", "ext:2001"} {
		p, err := ps.Open(party, send)
		if err != nil || p == nil {
			t.Fatalf("Open(%q) = %v, %v; want a phone", party, p, err)
		}
		p.End("nothing") // a call it never had: nothing to end
		if err := p.Close(); err != nil {
			t.Errorf("close %s: %v", party, err)
		}
	}
	if opened != 0 {
		t.Errorf("%d devices opened with no call", opened)
	}
}

// TestEchoSaysThePromptThenRepeats: the default simulated caller's device
// plays the prompt, ignores what it hears meanwhile, then repeats what it
// heard after the delay.
func TestEchoSaysThePromptThenRepeats(t *testing.T) {
	const n = audio.FrameSamples
	prompt := make([]int16, n)
	for i := range prompt {
		prompt[i] = 7
	}
	e := NewEcho(prompt, 0) // a delay of one frame at least
	e.rp.On, e.wp.On = false, false
	ctx := context.Background()
	f := make([]int16, n)
	heard := make([]int16, n)
	for i := range heard {
		heard[i] = 5
	}
	if err := e.WriteFrame(ctx, heard); err != nil { // during the prompt: dropped
		t.Fatal(err)
	}
	if err := e.ReadFrame(ctx, f); err != nil || f[0] != 7 || f[n-1] != 7 {
		t.Fatalf("first frame %d..%d (%v), want the prompt", f[0], f[n-1], err)
	}
	if err := e.ReadFrame(ctx, f); err != nil || f[0] != 0 {
		t.Fatalf("after the prompt with nothing heard: %d (%v), want silence", f[0], err)
	}
	heard[0] = 9
	if err := e.WriteFrame(ctx, heard); err != nil {
		t.Fatal(err)
	}
	if err := e.ReadFrame(ctx, f); err != nil || f[0] != 9 || f[1] != 5 {
		t.Fatalf("echo %d,%d (%v), want what it heard", f[0], f[1], err)
	}
	e.Close()
	if err := e.ReadFrame(ctx, f); err != device.ErrClosed {
		t.Errorf("read after close: %v, want device.ErrClosed", err)
	}
}
