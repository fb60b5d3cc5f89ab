package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentty/agentty/bench/internal/cpuprof"
)

// The callers. Each leg is a real DTLS-SRTP peer of the centre's leg (or,
// for the udp anchor, a plain RTP peer of the loop's socket) made as
// cheap as an honest load generator can be: no peer connection, no
// goroutine per leg or per packet. The legs share a few UDP sockets, one
// per CPU, each with one worker goroutine that, every millisecond, reads
// what has arrived in batches (recvmmsg, without waiting: mmsg_linux.go
// says why) and tells the legs apart by the leg's own loopback address
// the packet came to (the relay's legs may share a port), then sends
// the packets due in that 1 ms slot in batches (sendmmsg): each leg sends
// every 20 ms, the legs' phases spread over the period. The WebRTC leg
// (webrtc.go) answers the centre's ICE checks, runs the DTLS handshake as
// client, then encrypts and decrypts with SRTP contexts keyed from it.

// slots is how many 1 ms slots a 20 ms period has.
const slots = 20

// batch is the most packets one recvmmsg or sendmmsg carries.
const batch = 64

// counter follows one received stream; the socket's reader goroutine only,
// except the atomics.
type counter struct {
	recv    atomic.Uint64
	highest atomic.Uint64 // extended sequence number of the newest packet + 1
	started bool
	last    uint16
	cycles  uint64
}

// see records one packet's sequence number.
func (c *counter) see(seq uint16) {
	if !c.started {
		c.started, c.last = true, seq
	}
	if seq < c.last && c.last-seq > 0x8000 {
		c.cycles += 1 << 16
	}
	if int16(seq-c.last) > 0 {
		c.last = seq
	}
	c.recv.Add(1)
	c.highest.Store(c.cycles + uint64(c.last) + 1)
}

// csock is one of the callers' shared sockets and its worker's legs.
type csock struct {
	i int
	*rawSock

	mu    sync.Mutex
	slots [slots][]*cleg // append only
	n     int
}

// cleg is one caller leg.
type cleg struct {
	cs     *clientSet
	sock   *csock
	slot   int
	remote *net.UDPAddr // the centre leg's candidate, or the loop's socket
	addr   [4]byte      // the leg's own address (legAddr), on its socket's port
	ssrc   uint32
	pt     uint8       // the payload type it sends
	ready  atomic.Bool // keyed (webrtc) or addressed (udp): send and count
	rtc    *rtcLeg     // nil for the udp anchor without -anchorsrtp

	// the socket's worker only, except the counter's atomics
	seq  uint16
	ts   uint32
	ctr  counter
	rtcp atomic.Uint64 // SRTCP packets received (not decrypted)
	bad  atomic.Uint64 // packets that failed to decrypt
}

type clientSet struct {
	mode   string
	out    *lockedEnc
	socks  []*csock
	byAddr [1 << 16]atomic.Pointer[cleg] // by legIndex of the leg's own address

	mu     sync.Mutex
	legs   []*cleg
	byCall map[string]*cleg // the leg answered for a call id

	sent   atomic.Uint64 // packets sent
	late   atomic.Uint64 // packets sent a period or more after their time
	unsent atomic.Uint64 // packets the socket would not take

	failed chan error // a leg that can never flow: the run fails, not hangs

	rtcInit sync.Once
	rtcErr  error
	cert    rtcCert
	codec   sendCodec
}

// clients runs the callers of n calls in mode and reports one window.
func clients(mode string, n int, window time.Duration) error {
	cs := &clientSet{mode: mode, out: &lockedEnc{enc: json.NewEncoder(os.Stdout)}, failed: make(chan error, 1)}
	var err error
	if cs.codec, err = newSendCodec(*flagCodec); err != nil {
		return err
	}
	for i := range runtime.GOMAXPROCS(0) {
		r, err := openRawSock()
		if err != nil {
			return err
		}
		cs.socks = append(cs.socks, &csock{i: i, rawSock: r})
	}
	var workers sync.WaitGroup
	stop := make(chan struct{})
	defer func() {
		close(stop)
		workers.Wait()
		cs.closeLegs()
		for _, s := range cs.socks {
			s.close()
		}
	}()
	for _, s := range cs.socks {
		workers.Add(1)
		go func() { defer workers.Done(); cs.work(s, stop) }()
	}

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	readyAt := 2 * n
	if *flagReady > 0 {
		readyAt = *flagReady
	}
	readySent := false
	ticks := 0
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	lines := make(chan msg)
	go func() {
		for in.Scan() {
			var m msg
			if json.Unmarshal(in.Bytes(), &m) == nil {
				lines <- m
			}
		}
		close(lines)
	}()
	for {
		select {
		case m, ok := <-lines:
			if !ok {
				return nil
			}
			switch m.T {
			case "signal":
				if err := cs.answer(m); err != nil {
					return err
				}
			case "addr":
				if err := cs.udp(m.Addrs); err != nil {
					return err
				}
			case "close": // the call ended (bench/siptrunk's agents): stop its leg
				cs.closeCall(m.Call)
			case "start":
				var stopProfile func()
				if *flagProfile != "" {
					var err error
					if stopProfile, err = cpuprof.Start(*flagProfile); err != nil {
						return err
					}
				}
				r0, e0 := cs.totals()
				s0, l0, c0, t0 := cs.sent.Load(), cs.late.Load(), cpuTime(), time.Now()
				time.Sleep(window)
				r1, e1 := cs.totals()
				s1, l1, c1, el := cs.sent.Load(), cs.late.Load(), cpuTime(), time.Since(t0)
				if stopProfile != nil {
					stopProfile()
				}
				if u := cs.unsent.Load(); u > 0 {
					log.Printf("relay clients: %d packets the sockets would not take", u)
				}
				cs.out.send(msg{T: "result", Recv: r1 - r0, Expect: e1 - e0, Sent: s1 - s0, Late: l1 - l0,
					CPUNs: uint64(c1 - c0), Window: int64(el), Unsent: cs.unsent.Load(), Bad: cs.badTotal()})
			}
		case err := <-cs.failed:
			legs, ready, flowing := cs.progress()
			return fmt.Errorf("%w (%d of %d legs keyed, %d flowing)", err, ready, legs, flowing)
		case <-tick.C:
			if ticks++; !readySent && ticks%100 == 0 {
				// Every 10 s until the window: how far the legs got (a
				// run whose handshakes stall shows where).
				legs, ready, flowing := cs.progress()
				log.Printf("relay clients: %d of %d legs keyed, %d flowing", ready, legs, flowing)
			}
			if !readySent && cs.flowing() >= readyAt {
				readySent = true
				// Let the legs settle a second before the window.
				time.Sleep(time.Second)
				cs.out.send(msg{T: "ready"})
			}
		}
	}
}

// addLeg places a new leg on a socket and in a slot, and gives it its own
// address.
func (cs *clientSet) addLeg(remote *net.UDPAddr, ssrc uint32, r *rtcLeg) *cleg {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	i := len(cs.legs)
	s := cs.socks[i%len(cs.socks)]
	l := &cleg{cs: cs, sock: s, remote: remote, addr: legAddr(i), ssrc: ssrc, rtc: r}
	cs.legs = append(cs.legs, l)
	s.mu.Lock()
	s.slots[s.n%slots] = append(s.slots[s.n%slots], l)
	s.n++
	s.mu.Unlock()
	cs.byAddr[i].Store(l)
	return l
}

// closeCall stops the leg of a call that ended: it sends no more and its
// DTLS connection closes. Its counts stay in the totals.
func (cs *clientSet) closeCall(call string) {
	cs.mu.Lock()
	l := cs.byCall[call]
	delete(cs.byCall, call)
	cs.mu.Unlock()
	if l != nil {
		l.ready.Store(false)
		if l.rtc != nil {
			go l.rtc.close() // a close_notify to a leg that is gone: never wait on it here
		}
	}
}

func (cs *clientSet) closeLegs() {
	cs.mu.Lock()
	legs := cs.legs
	cs.mu.Unlock()
	for _, l := range legs {
		if l.rtc != nil {
			l.rtc.close()
		}
	}
}

func (cs *clientSet) flowing() int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	k := 0
	for _, l := range cs.legs {
		if l.ctr.recv.Load() > 10 {
			k++
		}
	}
	return k
}

// fail ends the run: a leg failed for good (its DTLS handshake, which a
// caller does not retry).
func (cs *clientSet) fail(err error) {
	select {
	case cs.failed <- err:
	default:
	}
}

// progress counts the legs, those keyed (SRTP ready) and those flowing.
func (cs *clientSet) progress() (legs, ready, flowing int) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	legs = len(cs.legs)
	for _, l := range cs.legs {
		if l.ready.Load() {
			ready++
		}
		if l.ctr.recv.Load() > 10 {
			flowing++
		}
	}
	return legs, ready, flowing
}

// badTotal is how many packets failed to decrypt, over every leg.
func (cs *clientSet) badTotal() (n uint64) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for _, l := range cs.legs {
		n += l.bad.Load()
	}
	return n
}

func (cs *clientSet) totals() (recv, expect uint64) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for _, l := range cs.legs {
		recv += l.ctr.recv.Load()
		expect += l.ctr.highest.Load()
	}
	return
}

// udp makes one plain RTP leg per port of the loop.
func (cs *clientSet) udp(ports []int) error {
	for i, p := range ports {
		var r *rtcLeg
		if *flagAnchorSRTP {
			var err error
			if r, err = anchorLeg(); err != nil {
				return err
			}
		}
		l := cs.addLeg(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p}, uint32(i+1), r)
		l.ready.Store(true)
	}
	return nil
}

// answer makes a WebRTC leg for an offer from the relay and answers it.
func (cs *clientSet) answer(m msg) error {
	if m.Kind != "offer" {
		return nil
	}
	cs.rtcInit.Do(func() { cs.cert, cs.rtcErr = newRTCCert() })
	if cs.rtcErr != nil {
		return cs.rtcErr
	}
	sdp, err := cs.newRTCLeg(m.Call, m.SDP)
	if err != nil {
		return fmt.Errorf("party %s call %s: %w", m.Party, m.Call, err)
	}
	cs.out.send(msg{T: "signal", Party: m.Party, Call: m.Call, Kind: "answer", SDP: sdp})
	return nil
}
