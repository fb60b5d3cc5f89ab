package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/agentty/agentty/audio/analysis"
	"github.com/agentty/agentty/audio/device"
)

const (
	rate       = 48000
	frame      = device.FrameSamples
	chirpLen   = rate / 5 // 200 ms
	period     = 3 * rate / 2
	searchSpan = rate // a chirp is looked for up to 1 s after it was played
	phaseStep  = 7 * rate / 1000
)

// chirp is 200 ms sweeping 300 to 3,000 Hz.
func chirp() []int16 {
	out := make([]int16, chirpLen)
	dur := float64(chirpLen) / rate
	for i := range out {
		x := float64(i) / rate
		env := math.Min(1, math.Min(float64(i), float64(chirpLen-i))/240)
		out[i] = int16(12000 * env * math.Sin(2*math.Pi*(300*x+2700/dur/2*x*x)))
	}
	return out
}

// stamped is one captured frame and when ReadFrame returned it.
type stamped struct {
	at  time.Time
	pcm []int16
}

// measure plays n chirps into mouth (the agentty_a null sink), records ear
// (agentty_b.monitor) meanwhile, and returns each chirp's mouth-to-ear
// latency: from the moment the mouth sink accepted the chirp's first frame
// to the moment the ear's capture delivered its first sample, both sound
// server buffers included.
func measure(ctx context.Context, mouth device.Sink, ear device.Source, n int) ([]time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sig := chirp()
	var sent []time.Time
	var frames []stamped
	var wg sync.WaitGroup
	var earErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			f := make([]int16, frame)
			if err := ear.ReadFrame(ctx, f); err != nil {
				if ctx.Err() == nil {
					earErr = err
				}
				cancel()
				return
			}
			frames = append(frames, stamped{time.Now(), f})
		}
	}()
	f := make([]int16, frame)
	total := (n+1)*period + rate
	// Chirp c starts phaseStep*c into its period (mod a frame), so that
	// the chirps of a run meet the path's 20 ms frames at every phase and
	// the run's median is not one phase's luck.
	start := func(c int) int { return period/2 + c*period + c*phaseStep%frame }
	next := 0 // next chirp to stamp
	for pos := 0; pos < total && ctx.Err() == nil; pos += frame {
		clear(f)
		for c := max(0, next-1); c < n && start(c) < pos+frame; c++ {
			for i := max(pos, start(c)); i < min(pos+frame, start(c)+chirpLen); i++ {
				f[i-pos] = sig[i-start(c)]
			}
		}
		if err := mouth.WriteFrame(ctx, f); err != nil {
			cancel()
			wg.Wait()
			return nil, fmt.Errorf("mouth: %w", err)
		}
		if next < n && start(next) < pos+frame {
			// The mouth took the frame now; the chirp starts inside it.
			sent = append(sent, time.Now().Add(time.Duration(start(next)-pos)*time.Second/rate))
			next++
		}
	}
	cancel()
	wg.Wait()
	if earErr != nil {
		return nil, fmt.Errorf("ear: %w", earErr)
	}
	var out []time.Duration
	for _, at := range sent {
		if d, ok := locate(frames, sig, at); ok {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no chirp reached the ear")
	}
	return out, nil
}

// locate finds the chirp in the frames captured from 100 ms before at to
// searchSpan after it, by FFT cross-correlation, and returns its delay.
func locate(frames []stamped, sig []int16, at time.Time) (time.Duration, bool) {
	first := sort.Search(len(frames), func(i int) bool { return frames[i].at.After(at.Add(-100 * time.Millisecond)) })
	var y []float64
	var idx []int
	for i := first; i < len(frames) && frames[i].at.Before(at.Add(time.Second+200*time.Millisecond)); i++ {
		for _, v := range frames[i].pcm {
			y = append(y, float64(v))
		}
		idx = append(idx, i)
	}
	if len(y) < len(sig) {
		return 0, false
	}
	lag, score := xcorr(sig, y)
	if score < 0.5 {
		return 0, false
	}
	fi := idx[lag/frame]
	// The frame was delivered when its last sample was captured.
	onset := frames[fi].at.Add(-time.Duration(frame-lag%frame) * time.Second / rate)
	return onset.Sub(at), true
}

// xcorr returns the lag of x in y and the normalized correlation there.
func xcorr(x []int16, y []float64) (int, float64) {
	var ex float64
	for _, v := range x {
		ex += float64(v) * float64(v)
	}
	r := analysis.CrossCorrelation(x, y)
	best, lag := math.Inf(-1), 0
	for k := 0; k+len(x) <= len(y); k++ {
		if v := r[k]; v > best {
			best, lag = v, k
		}
	}
	var ey float64
	for _, v := range y[lag : lag+len(x)] {
		ey += v * v
	}
	if ex == 0 || ey == 0 {
		return lag, 0
	}
	return lag, best / math.Sqrt(ex*ey)
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
