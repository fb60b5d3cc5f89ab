package bridge

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// BenchmarkRoundTrip: Chromium start to the first event, then per event a
// command into the page (phone-sdk restore()) and the vendor event it
// causes (onRestore) out of Events() as a session event. Reports p50/p99
// over b.N round trips (run with -benchtime=1000x).
func BenchmarkRoundTrip(b *testing.B) {
	sdk, err := os.ReadFile("testdata/phonesdk/sdk.js")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		b.Skip(err)
	}
	v := New(PhoneSDK(sdk, session.RoleAgent), nil, Chromium{}, vendors.Config{})
	defer v.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	if err := v.Connect(ctx); err != nil {
		b.Fatal(err)
	}
	<-v.Events()
	first := time.Since(start)
	drain := func() {
		for {
			select {
			case <-v.Events():
			default:
				return
			}
		}
	}
	drain()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		if err := v.Send(ctx, session.Command{Verb: session.VerbReady}); err != nil {
			b.Fatal(err)
		}
		for e := range v.Events() {
			if e.Type() == session.TypeAgentState {
				break
			}
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(first.Milliseconds()), "start-to-first-event-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-us")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-us")
}
