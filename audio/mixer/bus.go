// Package mixer mixes several parties' audio for conferences, barge-in,
// listen and whisper: every party writes its frames into an Input and reads
// what it should hear from an Output, which sums (with clipping) the inputs
// its rule lets it hear: by default everyone but itself (mix-minus).
//
// The Bus is clocked: its owner calls Tick once per frame (audio.FrameDuration) (or runs
// Run on a goroutine it owns), and each Tick takes one frame from every
// input and delivers one frame to every output. Inputs and outputs match
// device.Sink and device.Source, so an rtc.Inbound can play into an Input
// and an rtc.Outbound can send from an Output.
package mixer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/agentty/agentty/audio"
)

// ErrRemoved is returned by an Input or Output after Remove or Close.
var ErrRemoved = errors.New("mixer: party removed")

const depth = 4 // frames queued per input and per output

type frame = [audio.FrameSamples]int16

// Bus mixes parties. Safe for concurrent use.
type Bus struct {
	mu      sync.Mutex
	inputs  map[string]*Input
	outputs map[string]*Output
	cur     map[string]*frame // this tick's frame per input
	scratch frame
}

// NewBus returns an empty bus.
func NewBus() *Bus {
	return &Bus{inputs: map[string]*Input{}, outputs: map[string]*Output{}, cur: map[string]*frame{}}
}

// Input is where one party's audio enters; it implements device.Sink.
type Input struct {
	id      string
	mu      sync.Mutex
	q       [depth]frame
	r, n    int
	gone    bool
	dropped uint64
	gain    float32
}

// Output is what one party hears; it implements device.Source.
type Output struct {
	id   string
	hear func(input string) bool
	ch   chan frame
	done chan struct{}
}

// Input returns (creating if needed) the input of party id.
func (b *Bus) Input(id string) *Input {
	b.mu.Lock()
	defer b.mu.Unlock()
	in, ok := b.inputs[id]
	if !ok {
		in = &Input{id: id, gain: 1}
		b.inputs[id] = in
		b.cur[id] = new(frame)
	}
	return in
}

// Output returns a new output for party id, replacing any previous one.
// hear says which inputs it mixes; nil means every input but id's own.
// For a whisper, the agent's output hears the supervisor and the customer,
// while the customer's output is given a rule that excludes the supervisor.
func (b *Bus) Output(id string, hear func(input string) bool) *Output {
	if hear == nil {
		hear = func(in string) bool { return in != id }
	}
	o := &Output{id: id, hear: hear, ch: make(chan frame, depth), done: make(chan struct{})}
	b.mu.Lock()
	if old, ok := b.outputs[id]; ok {
		close(old.done)
	}
	b.outputs[id] = o
	b.mu.Unlock()
	return o
}

// SetGain scales a party's input (1 is unchanged), e.g. music on hold
// under a voice.
func (in *Input) SetGain(g float32) {
	in.mu.Lock()
	in.gain = g
	in.mu.Unlock()
}

// Remove takes party id off the bus; its Input and Output return
// ErrRemoved.
func (b *Bus) Remove(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if in, ok := b.inputs[id]; ok {
		in.mu.Lock()
		in.gone = true
		in.mu.Unlock()
		delete(b.inputs, id)
		delete(b.cur, id)
	}
	if o, ok := b.outputs[id]; ok {
		close(o.done)
		delete(b.outputs, id)
	}
}

// WriteFrame queues one frame; when the party runs ahead of the bus by more
// than a few frames the oldest is dropped (and counted). It never blocks.
func (in *Input) WriteFrame(_ context.Context, f []int16) error {
	if len(f) != audio.FrameSamples {
		return fmt.Errorf("mixer: frame must be %d samples", audio.FrameSamples)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.gone {
		return ErrRemoved
	}
	if in.n == depth {
		in.r = (in.r + 1) % depth
		in.n--
		in.dropped++
	}
	copy(in.q[(in.r+in.n)%depth][:], f)
	in.n++
	return nil
}

// Dropped returns how many frames were dropped for running ahead.
func (in *Input) Dropped() uint64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.dropped
}

// take moves the next queued frame (or silence) into dst.
func (in *Input) take(dst *frame) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.n == 0 {
		clear(dst[:])
		return
	}
	*dst = in.q[in.r]
	in.r = (in.r + 1) % depth
	in.n--
	if in.gain != 1 {
		audio.Scale(dst[:], in.gain)
	}
}

// ReadFrame blocks until the next Tick delivers this output's frame.
func (o *Output) ReadFrame(ctx context.Context, f []int16) error {
	select {
	case fr := <-o.ch:
		copy(f, fr[:])
		return nil
	case <-o.done:
		return ErrRemoved
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Tick mixes one frame period. Outputs whose reader fell behind lose their
// oldest frame rather than block the bus.
func (b *Bus) Tick() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, in := range b.inputs {
		in.take(b.cur[id])
	}
	srcs := make([][]int16, 0, len(b.cur))
	for _, o := range b.outputs {
		srcs = srcs[:0]
		for id, f := range b.cur {
			if o.hear(id) {
				srcs = append(srcs, f[:])
			}
		}
		audio.Mix(b.scratch[:], srcs...)
		select {
		case o.ch <- b.scratch:
		default:
			select {
			case <-o.ch:
			default:
			}
			select {
			case o.ch <- b.scratch:
			default:
			}
		}
	}
}

// Run ticks every frame until ctx is done; run it on a goroutine the
// caller owns and waits for.
func (b *Bus) Run(ctx context.Context) error {
	t := time.NewTicker(audio.FrameDuration)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			b.Tick()
		}
	}
}
