package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net"
	"sync"

	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/media"
	"github.com/agentty/agentty/vendors/local/proto"
)

// lockedEnc serialises lines to the child.
type lockedEnc struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func (l *lockedEnc) send(m msg) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.enc.Encode(m)
}

// webrtcRelay is the centre's media layer with n connected calls: its legs
// on a few shared sockets (as shipped: webrtc), each on its own UDP socket
// (perleg), that socket left unconnected (unlatched), or on its own
// socket with its SRTP left in pion's sessions (pion: the relay as it
// shipped before the legs' own SRTP).
type webrtcRelay struct{ m *media.Server }

func newWebRTCRelay(n int, enc *json.Encoder, mode string) (relay, error) {
	m, err := media.New(media.Config{Loopback: true, Codecs: []string{"PCMU"}, SocketPerLeg: mode != "webrtc",
		SharedSockets: *flagSharedSockets, Unlatched: mode == "unlatched", PionSRTP: mode == "pion"})
	if err != nil {
		return nil, err
	}
	out := &lockedEnc{enc: enc}
	m.Start(func(user string, s proto.Signal) {
		out.send(msg{T: "signal", Party: user, Call: s.CallID, Kind: s.Kind, SDP: s.SDP})
	})
	for i := range n {
		m.Op(acd.MediaOp{Kind: acd.MediaConnected, CallID: fmt.Sprintf("c%d", i),
			Legs: []string{fmt.Sprintf("k%d", i), fmt.Sprintf("a%d", i)}})
	}
	return &webrtcRelay{m: m}, nil
}

func (r *webrtcRelay) signal(m msg) {
	r.m.Signal(m.Party, proto.Signal{CallID: m.Call, Kind: m.Kind, SDP: m.SDP})
}

func (r *webrtcRelay) close() {
	st := r.m.Stats()
	if l := st.Latch; l.Latches > 0 {
		log.Printf("relay legs' sockets: %d latched to their callers, %d let go, %d ICMP refusals hidden", l.Latches, l.Unlatches, l.Refused)
	}
	if st.OwnLegs > 0 {
		log.Printf("relay legs' own SRTP: %d of %d legs armed (%d AES-GCM); %d packets decrypted, %d encrypted, %d rejected",
			st.OwnLegs, st.Legs, st.OwnGCMLegs, st.OwnIn, st.OwnOut, st.OwnRejected)
	}
	if s := st.Sockets; s.ReadCalls > 0 {
		log.Printf("relay sockets: %.1f datagrams a read call; %d writes, %d of them waited for room, %d refused; %d sent from the taps' queues, %.1f a system call",
			float64(s.Reads)/float64(s.ReadCalls), s.Writes, s.WaitedWrites, s.WriteErrs, s.Queued, float64(s.Queued)/float64(max(1, s.QueueCalls)))
	}
	r.m.Close()
}

// udpRelay is the anchor: per call two sockets, each forwarding what it
// receives to the address last seen on the other.
type udpRelay struct {
	conns []*net.UDPConn
	wg    sync.WaitGroup
}

func newUDPRelay(n int, enc *json.Encoder) (relay, error) {
	r := &udpRelay{}
	var ports []int
	for range 2 * n {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			r.close()
			return nil, err
		}
		r.conns = append(r.conns, c)
		ports = append(ports, c.LocalAddr().(*net.UDPAddr).Port)
	}
	for i := 0; i < 2*n; i += 2 {
		a, b := r.conns[i], r.conns[i+1]
		var mu sync.Mutex
		var peer [2]*net.UDPAddr
		fwd := func(side int, in, out *net.UDPConn) {
			defer r.wg.Done()
			buf := make([]byte, 1500)
			for {
				k, from, err := in.ReadFromUDP(buf)
				if err != nil {
					return
				}
				mu.Lock()
				peer[side] = from
				to := peer[1-side]
				mu.Unlock()
				if to != nil {
					out.WriteToUDP(buf[:k], to)
				}
			}
		}
		r.wg.Add(2)
		go fwd(0, a, b)
		go fwd(1, b, a)
	}
	(&lockedEnc{enc: enc}).send(msg{T: "addr", Addrs: ports})
	return r, nil
}

func (r *udpRelay) signal(msg) {}

func (r *udpRelay) close() {
	for _, c := range r.conns {
		c.Close()
	}
	r.wg.Wait()
}
