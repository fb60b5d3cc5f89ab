// Command bridge measures the seed vendors' browser bridge
// (vendors/bridge) in a real headless Chromium: Chromium start to the first
// event, the round trip of a vendor event from its emission in the page to
// the session.Event out of Events() (p50/p99), and the page's and agentty's
// memory across an hour-equivalent of events. Figures, never gates; see
// README.md.
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/bridge"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

//go:embed sdk.js
var sdk []byte

func main() {
	n := flag.Int("events", 1000, "events for the round trip figure")
	gap := flag.Int("gap", 2, "ms between round-trip events in the page")
	hour := flag.Int("hour", 36000, "calls in an hour-equivalent, each a ring and an end (20,000 events an hour is 5.5 a second; this is 72,000)")
	rounds := flag.Int("rounds", 6, "memory samples across the hour-equivalent")
	flag.Parse()
	if err := run(*n, *gap, *hour, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "bench/bridge:", err)
		os.Exit(1)
	}
}

func run(n, gap, hour, rounds int) error {
	b := bridge.Chromium{Flags: map[string]any{"js-flags": "--expose-gc", "enable-precise-memory-info": true}}
	v := bridge.New(bridge.PhoneSDK(sdk, session.RoleAgent), nil, b, vendors.Config{})
	defer v.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	start := time.Now()
	if err := v.Connect(ctx); err != nil {
		return err
	}
	<-v.Events()
	fmt.Printf("chromium start to first event: %v\n", time.Since(start).Round(time.Millisecond))
	drain(v)

	// Round trip: page clock at emission to agentty's clock at Events().
	lat := make([]time.Duration, 0, n)
	done := make(chan error, 1)
	go func() { done <- v.Post(ctx, wire.Call{Method: "benchEmit", Args: []any{n, gap}}) }()
	for len(lat) < n {
		r, err := ring(ctx, v)
		if err != nil {
			return err
		}
		ms, err := strconv.ParseFloat(r, 64)
		if err != nil {
			return fmt.Errorf("bad stamp %q", r)
		}
		sent := time.UnixMicro(int64(ms * 1000))
		lat = append(lat, time.Since(sent))
	}
	if err := <-done; err != nil {
		return err
	}
	slices.Sort(lat)
	fmt.Printf("page event to Events(): n=%d gap=%dms p50=%v p99=%v max=%v\n", n, gap,
		lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*99/100].Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond))

	// Memory across an hour-equivalent of events, as fast as they go.
	fmt.Printf("memory across %d calls (%d vendor events), after GC on both sides:\n", hour, 2*hour)
	per := hour / rounds
	for i := 0; i <= rounds; i++ {
		if i > 0 {
			go func() { done <- v.Post(ctx, wire.Call{Method: "benchEmit", Args: []any{per, 0}}) }()
			for range per {
				if _, err := ring(ctx, v); err != nil {
					return err
				}
			}
			if err := <-done; err != nil {
				return err
			}
		}
		if err := v.Post(ctx, wire.Call{Method: "benchHeap"}); err != nil {
			return err
		}
		h, err := ring(ctx, v)
		if err != nil {
			return err
		}
		page, _ := strconv.Atoi(strings.TrimPrefix(h, "heap:"))
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Printf("  after %6d calls: page JS heap %7.2f MB, agentty Go heap %6.2f MB, Go sys %6.2f MB, goroutines %d\n",
			i*per, float64(page)/1e6, float64(m.HeapAlloc)/1e6, float64(m.Sys)/1e6, runtime.NumGoroutine())
	}
	return nil
}

// ring returns the next call.ringing's From (the page's stamp).
func ring(ctx context.Context, v *bridge.Vendor) (string, error) {
	for {
		select {
		case e, ok := <-v.Events():
			if !ok {
				return "", fmt.Errorf("events closed")
			}
			if r, ok := e.(session.CallRinging); ok {
				return r.From, nil
			}
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

func drain(v *bridge.Vendor) {
	for {
		select {
		case <-v.Events():
		default:
			return
		}
	}
}
