// Command latency measures mouth-to-ear latency on PulseAudio null sinks
// (scripts/pulse.sh): a chirp played into null sink agentty_a is a
// microphone (agentty_a.monitor) and what reaches null sink agentty_b is
// captured from agentty_b.monitor; cross-correlation times each chirp. In
// the same run it measures the floor (parec | pacat straight from
// agentty_a.monitor to agentty_b), a kiosk-to-agent call through the
// embedded centre (malgo devices, WebRTC legs, RTP relay) and, when it can
// be made to run, baresip to baresip on the same sinks, and agentty's SIP
// phone calling baresip through Kamailio.
//
//	go run -tags nolibopusfile ./bench/latency -runs 5 -chirps 8
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/agentty/agentty/audio/device"
)

// measurePeriod is the mouth's and the ear's device period: 5 ms, as
// when the earlier figures were taken, whatever the phones use.
const measurePeriod = 5 * time.Millisecond

// devPeriod is the phones' device period (-period).
var devPeriod time.Duration

type path struct {
	name  string
	start func(ctx context.Context) (stop func(), err error)
}

func main() {
	runs := flag.Int("runs", 5, "runs per path")
	chirps := flag.Int("chirps", 8, "chirps per run")
	codec := flag.String("codec", "opus", "codec of the centre's call: opus or pcmu")
	only := flag.String("paths", "floor,frames,direct,centre,baresip,sip", "paths to measure, comma separated")
	flag.DurationVar(&devPeriod, "period", 0, "the phones' device period (0: device.DefaultPeriod)")
	flag.Float64Var(&centreLoss, "loss", 0, "path centre: the fraction of RTP packets each phone drops at random as it sends them (0.05: 5 % random loss each way)")
	flag.Parse()
	log.SetFlags(0)
	if out, err := exec.Command("scripts/pulse.sh").CombinedOutput(); err != nil {
		log.Fatalf("latency: pulseaudio: %v: %s", err, out)
	}
	// The mouth takes a frame only when its queue is empty (a queue of
	// one frame), so that a chirp is stamped as it goes to the sound
	// server whatever the frame length.
	mouth, err := device.Open(device.Config{Playback: "agentty_a", NoCapture: true, PlaybackLatency: device.FrameDuration, Period: measurePeriod})
	if err != nil {
		log.Fatalf("latency: mouth: %v", err)
	}
	defer mouth.Close()
	ear, err := device.Open(device.Config{Capture: "agentty_b.monitor", NoPlayback: true, StallTimeout: 3 * time.Second, Period: measurePeriod})
	if err != nil {
		log.Fatalf("latency: ear: %v", err)
	}
	defer ear.Close()
	paths := []path{
		{"floor: parec | pacat", floor},
		{"frames: the phones' devices, frame by frame", frames},
		{"direct: audio/rtc call, no centre (" + *codec + ")", func(ctx context.Context) (func(), error) { return direct(ctx, *codec) }},
		{"centre: kiosk -> centre -> agent (" + *codec + ")", func(ctx context.Context) (func(), error) { return centre(ctx, *codec) }},
		{"baresip: baresip -> baresip (PCMU)", baresip},
		{"sip: agentty -> Kamailio -> baresip (PCMU)", sipCall},
	}
	fmt.Printf("mouth-to-ear on null sinks, %d runs x %d chirps; median of each run, then the median of runs\n", *runs, *chirps)
	for _, p := range paths {
		if !slices.Contains(strings.Split(*only, ","), strings.SplitN(p.name, ":", 2)[0]) {
			continue
		}
		var meds []time.Duration
		for r := 0; r < *runs; r++ {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			stop, err := p.start(ctx)
			if err != nil {
				cancel()
				fmt.Printf("%-45s not measured: %v\n", p.name, err)
				break
			}
			d, err := measure(ctx, mouth, ear, *chirps)
			kept := len(runParts)
			stop()
			cancel()
			if err != nil {
				fmt.Printf("%-45s run %d failed: %v\n", p.name, r+1, err)
				runParts, note = runParts[:kept], "" // a failed run's breakdown is not kept
				continue
			}
			meds = append(meds, median(d))
			if note != "" {
				fmt.Printf("  run %d: %s\n", r+1, note)
				note = ""
			}
		}
		if len(meds) > 0 {
			fmt.Printf("%-45s median %6.1f ms   runs %v\n", p.name, ms(median(meds)), fmtAll(meds))
			if len(runParts) > 0 {
				fmt.Printf("  medians of the runs: %v\n", medianParts(runParts))
				runParts = nil
			}
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fmtAll(ds []time.Duration) string {
	s := ""
	for i, d := range ds {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%.1f", ms(d))
	}
	return "[" + s + "]"
}

// floor pipes agentty_a.monitor straight into agentty_b with 10 ms buffers.
func floor(ctx context.Context) (func(), error) {
	const f = "--raw --rate=48000 --channels=1 --format=s16le --latency-msec=10"
	return startCmd(exec.Command("sh", "-c", "parec -d agentty_a.monitor "+f+" | pacat -d agentty_b "+f))
}

func startCmd(cmd *exec.Cmd) (func(), error) {
	cmd.SysProcAttr = newPgid()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	pid := cmd.Process.Pid
	return func() {
		killGroup(pid)
		cmd.Wait()
	}, nil
}
