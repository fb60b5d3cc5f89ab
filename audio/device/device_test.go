package device

import (
	"context"
	"errors"
	"io"
	"math"
	"path/filepath"
	"testing"

	"github.com/agentty/agentty/audio"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// A device whose sound server never released it (device.ErrCloseTimeout)
	// leaves its teardown in C; that is the one goroutine allowed to stay.
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/agentty/agentty/audio/device.(*Malgo).teardown"))
}

func TestGeometryMatchesAudio(t *testing.T) {
	if SampleRate != audio.SampleRate || FrameSamples != audio.FrameSamples || FrameDuration != audio.FrameDuration {
		t.Fatal("device and audio disagree on the frame")
	}
}

func TestNull(t *testing.T) {
	n := NewNull(false)
	f := make([]int16, FrameSamples)
	f[0] = 5
	ctx := context.Background()
	if err := n.ReadFrame(ctx, f); err != nil || f[0] != 0 {
		t.Fatalf("read: %v %d", err, f[0])
	}
	if err := n.WriteFrame(ctx, f); err != nil {
		t.Fatal(err)
	}
	if err := n.WriteFrame(ctx, f[:10]); !errors.Is(err, ErrFrameSize) {
		t.Fatalf("short frame: %v", err)
	}
	if s := n.Stats(); s.Captured != 1 || s.Played != 1 {
		t.Fatalf("stats %+v", s)
	}
	n.Close()
	if err := n.ReadFrame(ctx, f); !errors.Is(err, ErrClosed) {
		t.Fatalf("after close: %v", err)
	}
	// A paced null device honours cancellation.
	p := NewNull(true)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := p.ReadFrame(cctx, f); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled read: %v", err)
	}
}

func TestWAVRoundTripAndResample(t *testing.T) {
	dir := t.TempDir()
	// A 1 kHz tone at 16 kHz in a file, read back through the device at 48 kHz.
	in := make([]int16, 16000/2)
	for i := range in {
		in[i] = int16(10000 * math.Sin(2*math.Pi*1000*float64(i)/16000))
	}
	src := filepath.Join(dir, "in.wav")
	if err := WriteWAV(src, in, 16000); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.wav")
	w, err := NewWAV(WAVConfig{InPath: src, OutPath: out})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	f := make([]int16, FrameSamples)
	frames := 0
	for {
		err := w.ReadFrame(ctx, f)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		frames++
		if err := w.WriteFrame(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if want := SampleRate / 2 / FrameSamples; frames != want {
		t.Fatalf("%d frames from 0.5 s, want %d", frames, want)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, rate, err := ReadWAV(out)
	if err != nil || rate != SampleRate || len(got) != SampleRate/2 {
		t.Fatalf("read back: %v rate %d len %d", err, rate, len(got))
	}
	mid := got[4800:19200]
	var re, im float64
	for i, s := range mid {
		ph := 2 * math.Pi * 1000 * float64(i) / SampleRate
		re += float64(s) * math.Cos(ph)
		im += float64(s) * math.Sin(ph)
	}
	if a := 2 * math.Hypot(re, im) / float64(len(mid)); math.Abs(a-10000) > 300 {
		t.Fatalf("1 kHz amplitude %.0f after 16k->48k, want 10000", a)
	}
	pad, _ := NewWAV(WAVConfig{In: []int16{1, 2, 3}, PadSilence: true})
	for range 3 {
		if err := pad.ReadFrame(ctx, f); err != nil {
			t.Fatalf("padded read: %v", err)
		}
	}
}

func TestDecodeWAVRejects(t *testing.T) {
	if _, _, err := ReadWAV(filepath.Join(t.TempDir(), "missing.wav")); err == nil {
		t.Fatal("missing file read")
	}
}

func TestRingNoAllocAndDrops(t *testing.T) {
	q := newRing(1024)
	b := make([]byte, 2*600)
	for i := range 600 {
		b[2*i] = byte(i)
	}
	if d := q.writeLE16(b); d != 0 {
		t.Fatalf("dropped %d", d)
	}
	if d := q.writeLE16(b); d != 600+600-1024 {
		t.Fatalf("dropped %d, want %d", d, 600+600-1024)
	}
	s := make([]int16, 5)
	q.read(s)
	if s[3] != 3 {
		t.Fatalf("read %v", s)
	}
	out := make([]byte, 2*2000)
	if short := q.readLE16(out); short != 2000-1019 {
		t.Fatalf("short %d", short)
	}
	allocs := testing.AllocsPerRun(100, func() {
		q.writeLE16(b)
		q.readLE16(out)
	})
	if allocs != 0 {
		t.Fatalf("ring allocates %v per callback", allocs)
	}
}

func TestFuncSource(t *testing.T) {
	var moh audio.MusicOnHold
	s := NewFuncSource(moh.Fill, false)
	f := make([]int16, FrameSamples)
	if err := s.ReadFrame(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	if audio.Measure(f).PeakDBFS < -30 {
		t.Fatalf("music on hold silent: %+v", audio.Measure(f))
	}
	s.Close()
	if err := s.ReadFrame(context.Background(), f); !errors.Is(err, ErrClosed) {
		t.Fatal(err)
	}
}
