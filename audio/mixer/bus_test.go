package mixer

import (
	"context"
	"errors"
	"testing"

	"github.com/agentty/agentty/audio"
)

func constFrame(v int16) []int16 {
	f := make([]int16, audio.FrameSamples)
	for i := range f {
		f[i] = v
	}
	return f
}

func read(t *testing.T, o *Output) int16 {
	t.Helper()
	f := make([]int16, audio.FrameSamples)
	if err := o.ReadFrame(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	return f[0]
}

func TestMixMinusConference(t *testing.T) {
	b := NewBus()
	ctx := context.Background()
	outs := map[string]*Output{}
	for id, v := range map[string]int16{"agent": 100, "customer": 20, "supervisor": 3} {
		b.Input(id).WriteFrame(ctx, constFrame(v))
		outs[id] = b.Output(id, nil)
	}
	b.Tick()
	want := map[string]int16{"agent": 23, "customer": 103, "supervisor": 120}
	for id, o := range outs {
		if got := read(t, o); got != want[id] {
			t.Errorf("%s hears %d, want %d", id, got, want[id])
		}
	}
	// Next tick: nobody wrote, everyone hears silence.
	b.Tick()
	if got := read(t, outs["agent"]); got != 0 {
		t.Errorf("silence tick gave %d", got)
	}
}

func TestWhisperAndClip(t *testing.T) {
	b := NewBus()
	ctx := context.Background()
	// Whisper: the customer must not hear the supervisor.
	customer := b.Output("customer", func(in string) bool { return in == "agent" })
	agent := b.Output("agent", nil)
	b.Input("agent").WriteFrame(ctx, constFrame(30000))
	b.Input("supervisor").WriteFrame(ctx, constFrame(30000))
	b.Input("customer").WriteFrame(ctx, constFrame(30000))
	b.Tick()
	if got := read(t, customer); got != 30000 {
		t.Errorf("customer hears %d, want the agent only", got)
	}
	if got := read(t, agent); got != 32767 {
		t.Errorf("agent hears %d, want clipped 32767", got)
	}
}

func TestInputOverrunAndRemove(t *testing.T) {
	b := NewBus()
	in := b.Input("moh")
	in.SetGain(0.5)
	o := b.Output("caller", nil)
	for i := range 6 {
		in.WriteFrame(context.Background(), constFrame(int16(100*(i+1))))
	}
	if in.Dropped() != 2 {
		t.Fatalf("dropped %d, want 2", in.Dropped())
	}
	b.Tick()
	if got := read(t, o); got != 150 {
		t.Fatalf("caller hears %d, want 150 (frame 3 at half gain)", got)
	}
	b.Remove("moh")
	b.Remove("caller")
	if err := in.WriteFrame(context.Background(), constFrame(1)); !errors.Is(err, ErrRemoved) {
		t.Fatalf("write after remove: %v", err)
	}
	if err := o.ReadFrame(context.Background(), make([]int16, audio.FrameSamples)); !errors.Is(err, ErrRemoved) {
		t.Fatalf("read after remove: %v", err)
	}
}

func TestRunStopsWithContext(t *testing.T) {
	b := NewBus()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- b.Run(ctx) }()
	o := b.Output("x", nil)
	read(t, o) // a real tick arrived
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}
