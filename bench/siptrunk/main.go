// Command siptrunk measures SIP calls into the embedded centre, bridged to
// agents who answer: a centre with its relay and trunk on loopback, agents
// on real client connections (agents.go) whose WebRTC legs (ICE,
// DTLS-SRTP) are answered by bench/relay's callers in a child process, and
// sipp placing the calls (uac_rtp.xml: INVITE with SDP, 200, ACK, PCMU
// from sipp's rtp_stream until the centre's BYE).
//
// Three figures, each beside the load average:
//
//   - calls/s (-rates): sipp places calls at each rate for -secs; every
//     call must be answered by an agent, carry RTP and be ended by the
//     agent's hang-up (-hold after answering). The figure is the highest
//     rate with no failed call.
//
//   - concurrent bridged calls (-calls, PCMU on both legs: forwarded as
//     they are; -opus, an Opus-only agent leg: the relay transcodes both
//     ways): sipp sets N calls up, the agents answer; once every agent leg
//     flows, one -window of RTP loss on both legs (see loss.go).
//
//   - the WebRTC-only figure of bench/relay (-webrtc N calls), in the same
//     run, as the anchor.
//
//     go run -tags nolibopusfile ./bench/siptrunk -rates 50,100,150 -calls 100,300,500 -opus 50,150 -webrtc 500
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/agentty/agentty/bench/internal/cpuprof"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/local/centre/siptrunk"
	"github.com/agentty/agentty/vendors/local/media"
)

var (
	flagRates     = flag.String("rates", "50,100,150", "call rates to try, calls per second (empty: skip)")
	flagSecs      = flag.Int("secs", 3, "seconds of calls at each rate")
	flagHold      = flag.Duration("hold", 2*time.Second, "how long an agent talks before hanging up, in the rates runs")
	flagCalls     = flag.String("calls", "100,300,500", "concurrent PCMU bridged calls to measure (empty: skip)")
	flagOpus      = flag.String("opus", "50,150", "concurrent transcoded calls (Opus-only agents) to measure (empty: skip)")
	flagSetupRate = flag.Int("setup-rate", 50, "calls per second while setting the concurrent calls up")
	flagWindow    = flag.Duration("window", 10*time.Second, "measuring window of each concurrent run")
	flagAgents    = flag.Int("agents", 0, "agents (0: enough for the largest run)")
	flagGroupSize = flag.Int("group-size", 25, "agents per group (each group has its own number)")
	flagWebRTC    = flag.Int("webrtc", 500, "calls for bench/relay's WebRTC-only figure in the same run (0: skip)")
	flagRelay     = flag.String("relay", "", "a bench/relay binary (default: built from this module)")
	flagProfile   = flag.String("cpuprofile", "", "write CPU profiles of this process over the last concurrent window of each codec, to FILE.pcmu and FILE.opus")
	flagOpusCx    = flag.Int("opus-complexity", 0, "the relay's Opus encoder complexity (0: media.DefaultOpusComplexity)")
	flagRateProf  = flag.String("rateprofile", "", "write a CPU profile of this process over the last calls/s run")
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	if _, err := exec.LookPath("sipp"); err != nil {
		log.Fatalf("siptrunk bench: sipp not installed: %v", err)
	}
	rates, calls, opus := ints(*flagRates), ints(*flagCalls), ints(*flagOpus)
	dir, err := os.MkdirTemp("", "siptrunk-bench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	relayBin := *flagRelay
	if relayBin == "" {
		if relayBin, err = buildRelay(dir); err != nil {
			log.Fatal(err)
		}
	}
	n := *flagAgents
	if n == 0 {
		n = max(slicesMax(calls), slicesMax(opus), slicesMax(rates)*int((*flagHold+3*time.Second).Seconds())) * 11 / 10
	}
	b, err := newBench(dir, n)
	if err != nil {
		log.Fatal(err)
	}
	defer b.close()
	fmt.Printf("siptrunk bench: trunk on %s, %d agents in %d groups, %d CPUs, load average %s\n", b.trunk.Addr(), n,
		len(b.numbers), numCPU(), loadavg())
	if len(rates) > 0 {
		b.rates(relayBin, rates)
	}
	if len(calls) > 0 {
		b.concurrent(relayBin, "pcmu", calls, *flagProfile)
	}
	if len(opus) > 0 {
		b.concurrent(relayBin, "opus", opus, *flagProfile)
	}
	if *flagWebRTC > 0 {
		fmt.Printf("\nbench/relay's WebRTC-only figure in the same run (load average %s):\n", loadavg())
		cmd := exec.Command(relayBin, "-calls", strconv.Itoa(*flagWebRTC), "-runs", "1", "-paths", "webrtc", "-window", flagWindow.String())
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Printf("bench/relay: %v\n", err)
		}
		fmt.Printf("load average after: %s\n", loadavg())
	}
}

// bench is the centre, its trunk and relay, and the agents.
type bench struct {
	dir      string
	ctx      context.Context
	cancel   context.CancelFunc
	m        *media.Server
	srv      *centre.Server
	trunk    *siptrunk.Trunk
	agents   *agentSet
	numbers  []string
	scenario string
	inject   string
}

func newBench(dir string, n int) (*bench, error) {
	b := &bench{dir: dir}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	quiet := slog.New(slog.DiscardHandler)
	if os.Getenv("BENCH_LOG") != "" {
		quiet = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	// Agents in groups of -group-size, each group its own number: one big
	// group would measure the colleagues' roster (every agent is sent every
	// other agent's state each second), not the bridge.
	routes := map[string]string{}
	var groups []string
	for g := 0; g*(*flagGroupSize) < n; g++ {
		id := fmt.Sprintf("g%03d", g)
		if err := centre.SetGroup(dir, centre.GroupSpec{ID: id, Name: id, WrapUp: time.Second}); err != nil {
			return nil, err
		}
		num := fmt.Sprintf("9%03d", g)
		routes[num] = id
		groups = append(groups, id)
		b.numbers = append(b.numbers, num)
	}
	var err error
	if b.scenario, b.inject, err = sippFiles(dir, b.numbers); err != nil {
		return nil, err
	}
	if b.m, err = media.New(media.Config{Loopback: true, Logger: quiet, OpusComplexity: *flagOpusCx}); err != nil {
		return nil, err
	}
	b.srv, err = centre.NewServer(centre.ServerConfig{DataDir: dir, Listen: "127.0.0.1:0", Media: b.m, Clock: vendors.SystemClock{}, Logger: quiet})
	if err != nil {
		return nil, err
	}
	url, err := b.srv.Start()
	if err != nil {
		return nil, err
	}
	b.trunk, err = siptrunk.New(siptrunk.Config{Listen: "127.0.0.1:0", Routes: routes, NoAgents: siptrunk.NoAgentsQueue,
		Rate: 1e6, Burst: 1e6, Centre: b.srv, Relay: b.m, Logger: quiet})
	if err != nil {
		return nil, err
	}
	if b.agents, err = startAgents(b.ctx, b.srv, url, n, groups); err != nil {
		return nil, err
	}
	if err := b.waitReady(2 * time.Minute); err != nil {
		return nil, err
	}
	return b, nil
}

// waitReady waits until every agent is ready and no call is live.
func (b *bench) waitReady(d time.Duration) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if b.agents.ready() == len(b.agents.agents) && b.trunk.Stats().Live == 0 && b.m.Stats().RTPLegs == 0 {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("after %v: %d of %d agents ready (the others: %v), %d SIP calls live, %d RTP legs", d, b.agents.ready(),
		len(b.agents.agents), b.agents.notReady(), b.trunk.Stats().Live, b.m.Stats().RTPLegs)
}

func (b *bench) close() {
	if b.agents != nil {
		b.agents.close()
	}
	if b.trunk != nil {
		b.trunk.Close()
	}
	if b.srv != nil {
		b.srv.Close()
	}
	b.cancel()
}

// rates runs the calls/s sweep.
func (b *bench) rates(relayBin string, rates []int) {
	media, err := startChild(b.ctx, relayBin, "pcmu", 1<<30, *flagWindow, b.agents)
	if err != nil {
		log.Fatal(err)
	}
	defer func() { b.agents.setMedia(nil); media.close() }()
	b.agents.setMedia(media)
	b.agents.hold.Store(int64(*flagHold))
	fmt.Printf("\ncalls/s: sipp places calls for %d s at each rate; an agent answers each, talks %v (PCMU both ways), hangs up\n", *flagSecs, *flagHold)
	fmt.Printf("%8s %7s %7s %7s %9s %11s %11s %s\n", "rate/s", "calls", "ok", "failed", "answered", "peak calls", "load avg", "trunk outcomes")
	best := 0
	for _, r := range rates {
		n := r * *flagSecs
		ans0 := b.agents.answered.Load()
		stop := make(chan struct{})
		peak := make(chan int64)
		go func() {
			p := int64(0)
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					peak <- p
					return
				case <-t.C:
					p = max(p, b.m.Stats().RTPLegs)
				}
			}
		}()
		var stopProf func()
		if *flagRateProf != "" && r == rates[len(rates)-1] {
			if stopProf, err = cpuprof.Start(*flagRateProf); err != nil {
				log.Fatal(err)
			}
		}
		cmd := sippCmd(b.dir, b.scenario, b.inject, b.trunk.Addr().String(), r, n, int(flagHold.Seconds())+30)
		out, _ := cmd.CombinedOutput() // sipp exits 1 when a call failed
		if stopProf != nil {
			stopProf()
		}
		close(stop)
		p := <-peak
		ok, failed, err := sippCounts(out)
		if err != nil {
			log.Fatal(err)
		}
		ans := b.agents.answered.Load() - ans0
		fmt.Printf("%8d %7d %7d %7d %9d %11d %11s %v\n", r, n, ok, failed, ans, p, loadavg(), b.trunk.Stats().Outcomes)
		if failed == 0 && ok == n && ans == int64(n) {
			best = r
		}
		if err := b.waitReady(time.Minute); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("highest rate with no failed call: %d calls/s\n", best)
	b.agents.hold.Store(0)
}

func ints(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		v, err := strconv.Atoi(f)
		if err != nil || v <= 0 {
			log.Fatalf("siptrunk bench: %q is not a positive number", f)
		}
		out = append(out, v)
	}
	return out
}

func slicesMax(v []int) int {
	m := 0
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
