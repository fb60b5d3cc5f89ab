// Command relay measures the embedded centre's media relay: N concurrent
// calls, each two WebRTC legs (DTLS-SRTP, PCMU, 50 packets/s each way)
// forwarded by vendors/local/media on loopback; packets/s, loss, and the
// CPU of the relay process alone. The callers run in a child process (this
// binary with -clients), signalling over its stdin and stdout, so the
// relay's CPU is its own. In the same run, a bare Go UDP forwarding loop
// carries the same packets for the same N as the anchor.
//
//	go run -tags nolibopusfile ./bench/relay -calls 50,100,200 -runs 3
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/agentty/agentty/bench/internal/cpuprof"
)

// msg is one line between the relay and the clients.
type msg struct {
	T      string `json:"t"`                // signal, ready, result, start, stop, addr
	Party  string `json:"party,omitempty"`  // a leg's party id
	Call   string `json:"call,omitempty"`   // call id
	Kind   string `json:"kind,omitempty"`   // offer, answer
	SDP    string `json:"sdp,omitempty"`    //
	Addrs  []int  `json:"addrs,omitempty"`  // udp mode: the relay's ports
	Sent   uint64 `json:"sent,omitempty"`   // result
	Recv   uint64 `json:"recv,omitempty"`   // result
	Expect uint64 `json:"expect,omitempty"` // result
	Late   uint64 `json:"late,omitempty"`   // result: packets sent a period or more late
	CPUNs  uint64 `json:"cpu,omitempty"`    // result: the callers' CPU time over the window
	Window int64  `json:"window,omitempty"` // result: the window as the callers timed it, ns
	Unsent uint64 `json:"unsent,omitempty"` // result: packets the callers' sockets would not take, since the start
	Bad    uint64 `json:"bad,omitempty"`    // result: packets that failed to decrypt, since the start
}

var (
	flagClients       = flag.String("clients", "", "internal: run the callers (webrtc or udp) for N calls")
	flagN             = flag.Int("n", 0, "internal: calls")
	flagReady         = flag.Int("ready", 0, "internal: legs flowing before the window may start (0: 2 per call); bench/siptrunk's agents")
	flagAnchorSRTP    = flag.Bool("anchorsrtp", true, "the udp anchor's callers encrypt and decrypt SRTP as the webrtc path's do (with one fixed key), so the callers' work is the same on every path; false: plain RTP, as before 2026-12-04 evening")
	flagCodec         = flag.String("codec", "pcmu", "internal: the callers' codec, pcmu or opus (answered and sent; opus needs a cgo build); bench/siptrunk's agents")
	flagWindow        = flag.Duration("window", 10*time.Second, "measuring window per run")
	flagProfile       = flag.String("cpuprofile", "", "write a CPU profile of the relay process over each webrtc window to this file, and of the other paths' windows to FILE.<path> (the last run's stays)")
	flagMemProfile    = flag.String("memprofile", "", "write the relay process's allocations at the start of each webrtc window to FILE.start and at its end to FILE (go tool pprof -sample_index alloc_space -base FILE.start /tmp/relay FILE: the window's)")
	flagClientProfile = flag.String("clientprofile", "", "write a CPU profile of the callers' process over each webrtc window to this file")
	flagRelayProcs    = flag.Int("relayprocs", 0, "GOMAXPROCS of the relay process (0: the default; the callers keep theirs)")
	flagRelayGC       = flag.Int("relaygc", 0, "GOGC of the relay process (0: the default)")
	flagSharedSockets = flag.Int("sharedsockets", 0, "path webrtc: how many shared sockets the legs are spread over (0: media's default)")
)

func main() {
	callsFlag := flag.String("calls", "50,100,200", "concurrent calls, comma-separated")
	runs := flag.Int("runs", 3, "runs per size and path")
	paths := flag.String("paths", "udp,webrtc", "paths to measure, comma-separated (udp: the anchor, webrtc: the centre as shipped, its legs on a few shared sockets, perleg: a socket per leg, unlatched: a socket per leg left unconnected, pion: a socket per leg with its SRTP in pion's sessions)")
	flag.Parse()
	log.SetFlags(0)
	if *flagClients != "" {
		dumpStacksOnSignal("clients")
		if err := clients(*flagClients, *flagN, *flagWindow); err != nil {
			log.Fatalf("relay clients: %v", err)
		}
		return
	}
	dumpStacksOnSignal("relay")
	if *flagRelayProcs > 0 {
		runtime.GOMAXPROCS(*flagRelayProcs)
	}
	if *flagRelayGC != 0 {
		debug.SetGCPercent(*flagRelayGC)
	}
	var sizes []int
	for _, s := range strings.Split(*callsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			log.Fatalf("relay: -calls %q", *callsFlag)
		}
		sizes = append(sizes, n)
	}
	fmt.Printf("relay: %v window per run, %d rounds of every path in turn, the run of median µs CPU/pkt shown; pkt/s counts packets delivered to the callers; CPU is the relay process's (user+sys) over the window, of 2 cores = 200%%\n", *flagWindow, *runs)
	fmt.Printf("%-8s %-7s %12s %9s %9s %14s %10s %12s %16s\n", "path", "calls", "pkt/s", "loss %", "CPU %", "µs CPU/pkt",
		"sent/s", "callers %", "callers µs/pkt")
	modes := strings.Split(*paths, ",")
	for _, mode := range modes {
		if mode != "udp" && mode != "webrtc" && mode != "perleg" && mode != "unlatched" && mode != "pion" {
			log.Fatalf("relay: -paths %q", *paths)
		}
	}
	for _, n := range sizes {
		// Rounds: each path once a round, in turn, so that the machine's
		// drift over the minutes a size takes falls on every path alike.
		rs := map[string][]result{}
		ok := map[string][]bool{}
		for r := 0; r < *runs; r++ {
			for _, mode := range modes {
				res, err := run(mode, n, *flagWindow)
				ok[mode] = append(ok[mode], err == nil)
				rs[mode] = append(rs[mode], res)
				if err != nil {
					log.Printf("relay: run %d: %s %d calls failed: %v", r+1, mode, n, err)
					continue
				}
				log.Printf("relay: run %d: %s %d calls: %.0f pkt/s, loss %.3f %%, CPU %.1f %%, %.1f µs CPU/pkt, callers %d late, relay allocated %.0f B/pkt",
					r+1, mode, n, res.pps, res.loss, res.cpu, res.usPerPkt, res.late, res.allocPerPkt)
			}
		}
		for _, mode := range modes {
			var good []result
			for i, res := range rs[mode] {
				if ok[mode][i] {
					good = append(good, res)
				}
			}
			if len(good) == 0 {
				fmt.Printf("%-8s %-7d failed\n", mode, n)
				continue
			}
			sort.Slice(good, func(i, j int) bool { return good[i].usPerPkt < good[j].usPerPkt })
			m := good[len(good)/2]
			fmt.Printf("%-8s %-7d %12.0f %9.3f %9.1f %14.1f %10.0f %12.1f %16.1f\n", mode, n, m.pps, m.loss, m.cpu, m.usPerPkt,
				m.sentPS, m.clientCPU, m.clientUs)
			if m.late > 0 {
				fmt.Printf("         the callers sent %d packets a period or more late in that run\n", m.late)
			}
		}
		if _, anchored := rs["udp"]; !anchored {
			continue
		}
		for _, mode := range modes {
			if mode == "udp" {
				continue
			}
			var ratios []float64
			for i := range rs[mode] {
				if ok[mode][i] && ok["udp"][i] {
					ratios = append(ratios, rs[mode][i].usPerPkt/rs["udp"][i].usPerPkt)
				}
			}
			if len(ratios) == 0 {
				continue
			}
			fmt.Printf("%s/udp µs CPU/pkt, round by round: %.2f; median %.2f\n", mode, ratios, median(ratios))
		}
	}
}

// median of xs (left as they are).
func median(xs []float64) float64 {
	xs = slices.Clone(xs)
	sort.Float64s(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}

// result is one window: packets delivered to the callers per second, loss,
// the relay's CPU % and µs per delivered packet; the callers' packets sent
// per second, CPU % and µs per delivered packet (each one packet sent and
// one received by the callers), and how many they sent late.
type result struct {
	pps, loss, cpu, usPerPkt    float64
	sentPS, clientCPU, clientUs float64
	late                        uint64
	allocPerPkt                 float64 // bytes the relay allocated in the window, per packet delivered
}

// run starts the relay of mode in this process and the callers in a child,
// and measures one window.
func run(mode string, n int, window time.Duration) (result, error) {
	self, err := os.Executable()
	if err != nil {
		return result{}, err
	}
	child := mode
	if mode == "perleg" || mode == "unlatched" || mode == "pion" {
		child = "webrtc" // the same callers: only the relay's sockets differ
	}
	cmd := exec.Command(self, "-clients", child, "-n", strconv.Itoa(n), "-window", window.String(),
		"-anchorsrtp="+strconv.FormatBool(*flagAnchorSRTP))
	if mode == "webrtc" && *flagClientProfile != "" {
		cmd.Args = append(cmd.Args, "-cpuprofile", *flagClientProfile)
	}
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return result{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return result{}, err
	}
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	defer cmd.Wait()
	defer stdin.Close()
	enc := json.NewEncoder(stdin)
	lines := bufio.NewScanner(stdout)
	lines.Buffer(make([]byte, 1<<20), 1<<20)
	var r relay
	switch mode {
	case "udp":
		r, err = newUDPRelay(n, enc)
	default:
		r, err = newWebRTCRelay(n, enc, mode)
	}
	if err != nil {
		return result{}, err
	}
	defer r.close()
	var cpu0 time.Duration
	var t0 time.Time
	var alloc0 uint64
	for lines.Scan() {
		var m msg
		if err := json.Unmarshal(lines.Bytes(), &m); err != nil {
			return result{}, fmt.Errorf("child: %q: %w", lines.Text(), err)
		}
		switch m.T {
		case "signal":
			r.signal(m)
		case "ready": // every leg flows: the window starts now
			// Collect the set-up's garbage first, so that a window does
			// not pay for it by chance (a collection of the relay's heap
			// after 1,000 calls' handshakes costs about 0.25 s of CPU,
			// 5 % of a 5 s window): every path's window measures the
			// steady state, whose own garbage it still collects.
			runtime.GC()
			if *flagProfile != "" {
				file := *flagProfile
				if mode != "webrtc" {
					file += "." + mode
				}
				stop, err := cpuprof.Start(file)
				if err != nil {
					return result{}, err
				}
				defer stop()
			}
			if *flagMemProfile != "" && mode == "webrtc" {
				if err := writeAllocs(*flagMemProfile + ".start"); err != nil {
					return result{}, err
				}
				defer writeAllocs(*flagMemProfile)
			}
			cpu0, t0, alloc0 = cpuTime(), time.Now(), allocated()
			enc.Encode(msg{T: "start"})
		case "result":
			// Rates over each process's own timing of the window: the
			// callers' counts over theirs, the relay's CPU over the time
			// from start to result here (a busy machine may deliver the
			// lines late, which would otherwise read as fewer packets/s).
			cpu := cpuTime() - cpu0
			alloc := allocated() - alloc0
			el := time.Since(t0).Seconds()
			win := time.Duration(m.Window).Seconds()
			if win <= 0 {
				win = el
			}
			pps := float64(m.Recv) / win
			loss := 0.0
			if m.Expect > 0 {
				loss = 100 * (1 - float64(m.Recv)/float64(m.Expect))
			}
			relayCPU := cpu.Seconds() / el                      // cores
			clientCPU := time.Duration(m.CPUNs).Seconds() / win // cores
			return result{pps: pps, loss: loss, cpu: 100 * relayCPU, usPerPkt: 1e6 * relayCPU / max(1, pps),
				sentPS: float64(m.Sent) / win, clientCPU: 100 * clientCPU, clientUs: 1e6 * clientCPU / max(1, pps),
				late: m.Late, allocPerPkt: float64(alloc) / max(1, pps*win)}, nil
		}
	}
	return result{}, fmt.Errorf("child ended early: %v", lines.Err())
}

// relay is what this process runs for one measurement.
type relay interface {
	signal(m msg)
	close()
}

// allocated is how many bytes the process has allocated on its heap so
// far (runtime/metrics: no stop of the world).
func allocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// writeAllocs writes the process's allocation profile to file.
func writeAllocs(file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
