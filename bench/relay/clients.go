package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/report"
	"github.com/pion/rtp"
	"github.com/pion/transport/v4/packetio"
	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio/rtc"
)

// counter follows one received stream.
type counter struct {
	recv    atomic.Uint64
	highest atomic.Uint64 // extended sequence number of the newest packet + 1
	base    uint64
	started bool
	last    uint16
	cycles  uint64
}

// see records one packet's sequence number; one goroutine per counter.
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

// sender is one stream to send at 50 packets/s.
type sender interface{ send(seq uint16, ts uint32) }

type clientSet struct {
	mu       sync.Mutex
	senders  []sender
	counters []*counter
	closers  []func()
	out      *lockedEnc
}

// clients runs the callers of n calls in mode and reports one window.
func clients(mode string, n int, window time.Duration) error {
	cs := &clientSet{out: &lockedEnc{enc: json.NewEncoder(os.Stdout)}}
	defer func() {
		for _, c := range cs.closers {
			c()
		}
	}()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(stop)
	wg.Add(1)
	go cs.sendLoop(stop, &wg)
	readyAt := 2 * n
	readySent := false
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
			case "start":
				var stopProfile func()
				if *flagProfile != "" {
					var err error
					if stopProfile, err = startProfile(*flagProfile); err != nil {
						return err
					}
				}
				r0, e0 := cs.totals()
				time.Sleep(window)
				r1, e1 := cs.totals()
				if stopProfile != nil {
					stopProfile()
				}
				cs.out.send(msg{T: "result", Recv: r1 - r0, Expect: e1 - e0})
			}
		case <-tick.C:
			if !readySent && cs.flowing() >= readyAt {
				readySent = true
				// Let the legs settle a second before the window.
				time.Sleep(time.Second)
				cs.out.send(msg{T: "ready"})
			}
		}
	}
}

func (cs *clientSet) flowing() int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	k := 0
	for _, c := range cs.counters {
		if c.recv.Load() > 10 {
			k++
		}
	}
	return k
}

func (cs *clientSet) totals() (recv, expect uint64) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for _, c := range cs.counters {
		recv += c.recv.Load()
		expect += c.highest.Load()
	}
	return
}

// sendLoop sends a packet on every stream every 20 ms, spread over one
// goroutine per CPU.
func (cs *clientSet) sendLoop(stop chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	var seq uint16
	var ts uint32
	workers := runtime.GOMAXPROCS(0)
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		cs.mu.Lock()
		ss := append([]sender(nil), cs.senders...)
		cs.mu.Unlock()
		var sw sync.WaitGroup
		for w := range workers {
			sw.Add(1)
			go func() {
				defer sw.Done()
				for i := w; i < len(ss); i += workers {
					ss[i].send(seq, ts)
				}
			}()
		}
		sw.Wait()
		seq++
		ts += 160
	}
}

var payload = func() []byte {
	b := make([]byte, 160)
	for i := range b {
		b[i] = 0xFF
	}
	return b
}()

// rtcSender sends one caller's stream; one goroutine at a time.
type rtcSender struct {
	tr  *webrtc.TrackLocalStaticRTP
	pkt rtp.Packet
}

func (s *rtcSender) send(seq uint16, ts uint32) {
	s.pkt.Header = rtp.Header{Version: 2, PayloadType: 0, SequenceNumber: seq, Timestamp: ts}
	s.pkt.Payload = payload
	s.tr.WriteRTP(&s.pkt)
}

// callerAPI is one caller's pion API. The caller is a real DTLS-SRTP peer
// made cheap where the measurement allows: only the sender report
// interceptor (the relay's receiver reports need our sender reports), and
// the received packets counted as pion's SRTP session decrypts them (an
// SRTP read buffer, like the relay's own), with no TrackRemote reader.
func callerAPI(c *counter) (*webrtc.API, error) {
	se := &webrtc.SettingEngine{}
	se.SetFireOnTrackBeforeFirstRTP(true)
	se.BufferFactory = func(kind packetio.BufferPacketType, _ uint32) io.ReadWriteCloser {
		if kind == packetio.RTPBufferPacket {
			return &countBuffer{c: c, closed: make(chan struct{})}
		}
		b := packetio.NewBuffer()
		b.SetLimitSize(100 * 1000)
		return b
	}
	return rtc.NewAPI(rtc.APIConfig{Codecs: []string{"PCMU"}, LoopbackOnly: true, SettingEngine: se,
		Interceptors: func(_ *webrtc.MediaEngine, ir *interceptor.Registry) error {
			f, err := report.NewSenderInterceptor()
			if err != nil {
				return err
			}
			ir.Add(f)
			return nil
		}})
}

// countBuffer counts the packets pion's SRTP session decrypted for one
// caller; Read blocks until Close (nothing reads the track).
type countBuffer struct {
	c      *counter
	once   sync.Once
	closed chan struct{}
}

func (b *countBuffer) Write(p []byte) (int, error) {
	if len(p) >= 4 {
		b.c.see(binary.BigEndian.Uint16(p[2:4]))
	}
	return len(p), nil
}

func (b *countBuffer) Read([]byte) (int, error) {
	<-b.closed
	return 0, io.EOF
}

func (b *countBuffer) Close() error {
	b.once.Do(func() { close(b.closed) })
	return nil
}

// answer creates a caller's leg for an offer from the relay.
func (cs *clientSet) answer(m msg) error {
	c := &counter{}
	api, err := callerAPI(c)
	if err != nil {
		return err
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return err
	}
	tr, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMU, ClockRate: 8000, Channels: 1}, "audio", "bench")
	if err != nil {
		return err
	}
	sender, err := pc.AddTrack(tr)
	if err != nil {
		return err
	}
	go func() { // drain the relay's reports; ends when the peer connection closes
		for {
			if _, _, err := sender.ReadRTCP(); err != nil {
				return
			}
		}
	}()
	pc.OnTrack(func(_ *webrtc.TrackRemote, r *webrtc.RTPReceiver) {
		go func() { // drain the relay's sender reports
			for {
				if _, _, err := r.ReadRTCP(); err != nil {
					return
				}
			}
		}()
	})
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: m.SDP}); err != nil {
		return err
	}
	ans, err := pc.CreateAnswer(nil)
	if err != nil {
		return err
	}
	done := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(ans); err != nil {
		return err
	}
	cs.mu.Lock()
	cs.senders = append(cs.senders, &rtcSender{tr: tr})
	cs.counters = append(cs.counters, c)
	cs.closers = append(cs.closers, func() { pc.Close() })
	cs.mu.Unlock()
	go func() {
		<-done
		cs.out.send(msg{T: "signal", Party: m.Party, Call: m.Call, Kind: "answer", SDP: pc.LocalDescription().SDP})
	}()
	return nil
}

type udpSender struct {
	c   *net.UDPConn
	buf []byte
}

func (s *udpSender) send(seq uint16, ts uint32) {
	s.buf[0] = 0x80
	binary.BigEndian.PutUint16(s.buf[2:], seq)
	binary.BigEndian.PutUint32(s.buf[4:], ts)
	s.c.Write(s.buf)
}

// udp opens one socket per relay port and starts its reader.
func (cs *clientSet) udp(ports []int) error {
	for _, p := range ports {
		c, err := net.DialUDP("udp4", nil, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p})
		if err != nil {
			return fmt.Errorf("udp: %w", err)
		}
		ctr := &counter{}
		go func() { // ends when the socket closes
			buf := make([]byte, 1500)
			for {
				k, err := c.Read(buf)
				if err != nil {
					return
				}
				if k >= 4 {
					ctr.see(binary.BigEndian.Uint16(buf[2:4]))
				}
			}
		}()
		s := &udpSender{c: c, buf: make([]byte, 12+len(payload))}
		copy(s.buf[12:], payload)
		cs.mu.Lock()
		cs.senders = append(cs.senders, s)
		cs.counters = append(cs.counters, ctr)
		cs.closers = append(cs.closers, func() { c.Close() })
		cs.mu.Unlock()
	}
	return nil
}
