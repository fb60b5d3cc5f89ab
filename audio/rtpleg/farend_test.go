package rtpleg

import (
	"net"
	"testing"

	"github.com/pion/rtp"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/g711"
)

// rawFar is a far end written by hand on a UDP socket: it sends PCMU
// packets with the sequence numbers it is told.
type rawFar struct {
	t    *testing.T
	conn *net.UDPConn
	to   *net.UDPAddr
	ts   uint32
}

func (f *rawFar) send(seq uint16) {
	f.t.Helper()
	pcm := make([]int16, 160)
	(&audio.Tone{Freqs: []float64{1000}, Amplitude: 0.3, Rate: 8000}).Fill(pcm)
	payload := make([]byte, 160)
	for i, s := range pcm {
		payload[i] = g711.EncodeUlaw(s)
	}
	b, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 0, SequenceNumber: seq, Timestamp: f.ts, SSRC: 0x1234}, Payload: payload}).Marshal()
	if err != nil {
		f.t.Fatal(err)
	}
	f.ts += 160
	if _, err := f.conn.WriteToUDP(b, f.to); err != nil {
		f.t.Fatal(err)
	}
}

// TestFarEndHoldIsNotLoss: the far end puts us on hold (inactive), stops
// sending, sends a few stray packets anyway, and on retrieve resumes with
// its sequence numbers 500 further on (as phones that keep counting
// through a hold do). None of it is counted as lost.
func TestFarEndHoldIsNotLoss(t *testing.T) {
	ports, err := Listen(loop)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	far := &rawFar{t: t, conn: conn, to: net.UDPAddrFromAddrPort(ports.RTP())}
	p := both(pcmu)
	p.Remote = conn.LocalAddr().(*net.UDPAddr).AddrPort()
	leg, err := Start(ports, p, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer leg.Close()
	for seq := uint16(100); seq < 150; seq++ {
		far.send(seq)
	}
	eventually(t, "50 packets", func() bool { return leg.Stats().Received == 50 })
	// Far end: re-INVITE with a=inactive.
	held := leg.Params()
	held.Sending, held.Receiving = false, false
	if err := leg.Update(held); err != nil {
		t.Fatal(err)
	}
	for seq := uint16(300); seq < 305; seq++ { // stray music on hold
		far.send(seq)
	}
	eventually(t, "strays dropped", func() bool { return leg.Stats().NotReceiving == 5 })
	// Retrieve: sendrecv, the stream resumes further on.
	if err := leg.Update(p); err != nil {
		t.Fatal(err)
	}
	for seq := uint16(650); seq < 700; seq++ {
		far.send(seq)
	}
	eventually(t, "100 packets", func() bool { return leg.Stats().Received == 100 })
	q := leg.Quality()
	if q.Lost != 0 || q.Loss != 0 || q.Expected != 100 {
		t.Fatalf("quality over a far-end hold: %+v", q)
	}
	// A real gap after the retrieve is loss.
	for seq := uint16(710); seq < 720; seq++ {
		far.send(seq)
	}
	eventually(t, "110 packets", func() bool { return leg.Stats().Received == 110 })
	if q := leg.Quality(); q.Lost != 10 {
		t.Fatalf("lost %d, want the 10 skipped after retrieve: %+v", q.Lost, q)
	}
}
