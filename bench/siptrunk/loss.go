package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"syscall"
	"time"

	"github.com/agentty/agentty/bench/internal/cpuprof"
	"github.com/agentty/agentty/vendors/local/media"
)

// Loss, counted where packets can be lost. On loopback a datagram is lost
// only where a receiving socket's buffer is full (the kernel counts it
// against the socket), where the kernel's backlog overflows
// (/proc/net/softnet_stat, machine-wide), where a send fails, or where a
// program drops it. Over the window:
//
//   - caller -> agent: the agents' media process counts every packet of
//     every leg against the sequence numbers (expected = highest - first
//     + 1). With PCMU forwarded as it is the relay keeps sipp's sequence
//     numbers (offset), so this is sipp -> relay -> agent end to end. When
//     the relay transcodes it sends on its own clock, so to the agents'
//     count are added what the relay's plain RTP legs missed of sipp's
//     streams (their sequence numbers again) and the mixers' loss
//     (MixLost: a slot given up with no packet; MixMissed: frames a mixer
//     behind its ticker never made).
//   - agent -> caller: sipp's rtp_stream sends every call from one socket
//     and hardly reads it (its buffer stays full: what reaches it is
//     counted as dropped there, not received), so sipp cannot count what
//     it got. Counted instead: what the relay's WebRTC legs missed of the
//     agents' streams (sequence numbers: the kernel's drops at the
//     relay's sockets and pion's alike), packets received and not
//     forwarded (PCMU) or the mixers' loss (Opus), failed writes, and the
//     kernel's backlog drops anywhere on the machine (the one place a
//     datagram written to loopback can vanish before a socket); over what
//     the relay wrote to the callers' legs.

// sample is the counters at one instant.
type sample struct {
	at           time.Time
	st           media.Stats
	wExp, wRecv  uint64 // the relay's WebRTC legs: expected and received
	rExp, rRecv  uint64 // its plain RTP legs
	relayDrops   uint64 // this process's sockets
	backlogDrops uint64 // the machine's
	cpu          time.Duration
}

func (b *bench) sample() sample {
	s := sample{at: time.Now(), st: b.m.Stats(), cpu: cpuTime()}
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	s.wExp, s.wRecv, s.rExp, s.rRecv, _ = b.m.Reception(ctx)
	cancel()
	s.relayDrops, _ = udpDrops(os.Getpid())
	s.backlogDrops = backlogDrops()
	return s
}

// concurrent measures N concurrent bridged calls for each N, the agents'
// legs in codec (pcmu: forwarded; opus: transcoded).
func (b *bench) concurrent(relayBin, codec string, sizes []int, profile string) {
	what := map[string]string{"pcmu": "PCMU on both legs (forwarded)", "opus": "PCMU caller, Opus-only agent (transcoded both ways)"}[codec]
	fmt.Printf("\nconcurrent bridged calls, %s; sipp sets them up at %d/s, then one %v window\n", what, *flagSetupRate, *flagWindow)
	fmt.Printf("%-5s %6s %8s %9s %9s %9s %10s %10s %8s %8s %8s %8s %s\n", "codec", "calls", "bridged", "c->a %", "a->c %",
		"agent pps", "caller pps", "mix lost", "relay drops", "CPU %", "µs/pkt", "sipp ok", "load avg")
	for i, n := range sizes {
		prof := ""
		if i == len(sizes)-1 && profile != "" {
			prof = profile + "." + codec
		}
		if err := b.oneConcurrent(relayBin, codec, n, prof); err != nil {
			fmt.Printf("%-5s %6d failed: %v\n", codec, n, err)
		}
		if err := b.waitReady(2 * time.Minute); err != nil {
			log.Fatal(err)
		}
	}
}

func (b *bench) oneConcurrent(relayBin, codec string, n int, profile string) error {
	med, err := startChild(b.ctx, relayBin, codec, n, *flagWindow, b.agents)
	if err != nil {
		return err
	}
	defer func() { b.agents.setMedia(nil); med.close() }()
	b.agents.setMedia(med)
	setup := time.Duration(n / *flagSetupRate) * time.Second
	wait := int((setup + *flagWindow + 3*time.Minute).Seconds())
	cmd := sippCmd(b.dir, b.scenario, b.inject, b.trunk.Addr().String(), *flagSetupRate, n, wait)
	var out lockedBuf
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return err
	}
	sippDone := make(chan error, 1)
	go func() { sippDone <- cmd.Wait() }()
	defer func() {
		b.agents.hangupAll()
		select {
		case <-sippDone:
		case <-time.After(time.Minute):
			cmd.Process.Kill()
			<-sippDone
		}
	}()
	select {
	case <-med.ready:
	case <-sippDone:
		return fmt.Errorf("sipp ended before the calls flowed:\n%s", tail(out.bytes()))
	case <-time.After(setup + 2*time.Minute):
		st := b.m.Stats()
		return fmt.Errorf("the agents' legs did not all flow in %v (%d RTP legs, %d legs at the relay, %d answered)",
			setup+2*time.Minute, st.RTPLegs, st.Legs, b.agents.answered.Load())
	}
	bridged := b.m.Stats().RTPLegs
	var stopProf func()
	if profile != "" {
		if stopProf, err = cpuprof.Start(profile); err != nil {
			return err
		}
	}
	s0 := b.sample()
	res, err := med.window(*flagWindow + time.Minute)
	s1 := b.sample()
	if stopProf != nil {
		stopProf()
	}
	if err != nil {
		return err
	}
	load := loadavg()
	b.agents.hangupAll()
	<-sippDone
	sippDone <- nil // for the deferred wait
	ok, failed, _ := sippCounts(out.bytes())

	win := time.Duration(res.Window).Seconds()
	el := s1.at.Sub(s0.at).Seconds()
	d := func(f func(s sample) uint64) uint64 { return f(s1) - f(s0) }
	st := func(f func(m media.Stats) uint64) uint64 { return d(func(s sample) uint64 { return f(s.st) }) }
	rtpSent := st(func(m media.Stats) uint64 { return m.RTPSent })
	// The mixers' loss: input slots given up, and output frames never made
	// (a mixer behind its ticker), over all the frames they took or owed.
	mixLost := st(func(m media.Stats) uint64 { return m.MixLost + m.MixMissed })
	mixAll := mixLost + st(func(m media.Stats) uint64 { return m.MixPlayed + m.MixUnderrun })
	relayDrops, backlog := d(func(s sample) uint64 { return s.relayDrops }), d(func(s sample) uint64 { return s.backlogDrops })
	wExp, wRecv := d(func(s sample) uint64 { return s.wExp }), d(func(s sample) uint64 { return s.wRecv })
	rExp, rRecv := d(func(s sample) uint64 { return s.rExp }), d(func(s sample) uint64 { return s.rRecv })
	notFwd := uint64(0)
	if codec == "pcmu" {
		if r, f := st(func(m media.Stats) uint64 { return m.Received }), st(func(m media.Stats) uint64 { return m.Forwarded }); r > f {
			notFwd = r - f
		}
	}
	c2a := pct(sub(res.Expect, res.Recv), res.Expect)
	if codec == "opus" {
		c2a += pct(sub(rExp, rRecv), rExp) + pct(mixLost, mixAll)
	}
	a2c := pct(sub(wExp, wRecv), wExp) + pct(notFwd+st(func(m media.Stats) uint64 { return m.WriteErrs })+backlog, rtpSent)
	if codec == "opus" {
		a2c += pct(mixLost, mixAll)
	}
	cpu := (s1.cpu - s0.cpu).Seconds() / el
	agentPPS := float64(res.Recv) / win
	callerPPS := float64(rtpSent) / el
	fmt.Printf("%-5s %6d %8d %9.3f %9.3f %9.0f %10.0f %10.3f %8d %8.1f %8.1f %8s %s\n", codec, n, bridged, c2a, a2c, agentPPS, callerPPS,
		pct(mixLost, mixAll), relayDrops, 100*cpu, 1e6*cpu/max(1, agentPPS+callerPPS), fmt.Sprintf("%d/%d", ok, ok+failed), load)
	if res.Late > 0 || res.Unsent > 0 || res.Bad > 0 {
		fmt.Printf("      the agents sent %d packets 20 ms or more late; %d not taken by their sockets, %d failed to decrypt\n", res.Late, res.Unsent, res.Bad)
	}
	return nil
}

func sub(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return 0
}

func pct(part, whole uint64) float64 {
	if whole == 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
