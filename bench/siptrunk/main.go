// Command siptrunk measures call setup into the embedded centre's SIP
// trunk: a centre with its relay and trunk on loopback (no agents,
// no_agents = "queue", so every call is answered, queued and hears music
// from the relay's mixer), and sipp's built-in uac placing calls at
// rising rates (INVITE with SDP, 200, ACK, a pause, BYE). For each rate it
// reports sipp's successful and failed calls and the trunk's outcomes;
// the figure is the highest rate with no failed call. Bridged calls with
// agents answering are not measured here.
//
//	go run -tags nolibopusfile ./bench/siptrunk -rates 10,25,50,100 -secs 5
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/local/centre/siptrunk"
	"github.com/agentty/agentty/vendors/local/media"
)

func main() {
	rates := flag.String("rates", "10,25,50,100", "call rates to try, calls per second")
	secs := flag.Int("secs", 5, "seconds of calls at each rate")
	hold := flag.Duration("hold", time.Second, "how long each call stays up")
	flag.Parse()
	if _, err := exec.LookPath("sipp"); err != nil {
		log.Fatalf("siptrunk bench: sipp not installed: %v", err)
	}
	dir, err := os.MkdirTemp("", "siptrunk-bench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := centre.SetGroup(dir, centre.GroupSpec{ID: "sales", Name: "sales"}); err != nil {
		log.Fatal(err)
	}
	quiet := slog.New(slog.DiscardHandler)
	if os.Getenv("BENCH_LOG") != "" {
		quiet = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	m, err := media.New(media.Config{Loopback: true, Logger: quiet})
	if err != nil {
		log.Fatal(err)
	}
	srv, err := centre.NewServer(centre.ServerConfig{DataDir: dir, Listen: "127.0.0.1:0", Media: m, Clock: vendors.SystemClock{}, Logger: quiet})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := srv.Start(); err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	tr, err := siptrunk.New(siptrunk.Config{Listen: "127.0.0.1:0", Routes: map[string]string{"900": "sales"},
		NoAgents: siptrunk.NoAgentsQueue, Rate: 1e6, Burst: 1e6, Centre: srv, Relay: m, Logger: quiet})
	if err != nil {
		log.Fatal(err)
	}
	defer tr.Close()
	fmt.Printf("trunk on %s, %d CPUs, calls held %v\n", tr.Addr(), 0+numCPU(), *hold)
	fmt.Printf("%8s %8s %8s %8s %12s %s\n", "rate/s", "calls", "ok", "failed", "peak legs", "trunk outcomes")
	best := 0
	for _, f := range strings.Split(*rates, ",") {
		r, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || r <= 0 {
			log.Fatalf("siptrunk bench: rate %q", f)
		}
		n := r * *secs
		peak := int64(0)
		ctx, stop := context.WithCancel(context.Background())
		go func() {
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					peak = max(peak, m.Stats().RTPLegs)
				}
			}
		}()
		ok, failed, err := runSipp(dir, tr.Addr().String(), r, n, *hold)
		stop()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%8d %8d %8d %8d %12d %v\n", r, n, ok, failed, peak, tr.Stats().Outcomes)
		if failed == 0 && ok == n {
			best = r
		}
	}
	fmt.Printf("highest rate with no failed call: %d calls/s\n", best)
}

var (
	okRE   = regexp.MustCompile(`Successful call\s+\|\s+\d+\s+\|\s+(\d+)`)
	failRE = regexp.MustCompile(`Failed call\s+\|\s+\d+\s+\|\s+(\d+)`)
)

// runSipp places n calls at rate r with sipp's uac and returns its counts.
func runSipp(dir, addr string, r, n int, hold time.Duration) (ok, failed int, err error) {
	cmd := exec.Command("sipp", "-sn", "uac", "-s", "900", addr, "-r", strconv.Itoa(r), "-m", strconv.Itoa(n),
		"-d", strconv.Itoa(int(hold.Milliseconds())), "-l", strconv.Itoa(r*int(hold.Seconds()+2)+10),
		"-timeout", strconv.Itoa(n/r+30)+"s", "-i", "127.0.0.1")
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput() // sipp exits 1 when a call failed
	o, f := okRE.FindSubmatch(out), failRE.FindSubmatch(out)
	if o == nil || f == nil {
		return 0, 0, fmt.Errorf("siptrunk bench: no sipp summary:\n%s", tail(out))
	}
	ok, _ = strconv.Atoi(string(o[1]))
	failed, _ = strconv.Atoi(string(f[1]))
	return ok, failed, nil
}

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

func numCPU() int { return runtime.NumCPU() }
