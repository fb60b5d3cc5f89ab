package rtpleg

import (
	"errors"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/rtp"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
	"github.com/agentty/agentty/audio/stream"
)

var (
	pcmu   = stream.Codec{PT: 0, Name: "PCMU", Clock: 8000}
	pcma   = stream.Codec{PT: 8, Name: "PCMA", Clock: 8000}
	tel8k  = stream.Codec{PT: 101, Name: stream.TelephoneEvent, Clock: 8000, Fmtp: "0-16"}
	loop   = netip.MustParseAddr("127.0.0.1")
	digits = func() chan rune { return make(chan rune, 16) }
)

// toneDevice is a paced WAV device whose microphone plays freq for secs
// and whose speaker records.
func toneDevice(t *testing.T, freq float64, secs int) *device.WAV {
	t.Helper()
	tone := make([]int16, secs*audio.SampleRate)
	(&audio.Tone{Freqs: []float64{freq}, Amplitude: 0.3}).Fill(tone)
	d, err := device.NewWAV(device.WAVConfig{In: tone, PadSilence: true, Paced: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// pair is two legs on loopback, a and b, started with the given params
// templates (Remote filled in).
type pair struct {
	a, b       *Leg
	devA, devB *device.WAV
	digA, digB chan rune
}

func newPair(t *testing.T, pa, pb Params, keyed bool) *pair {
	t.Helper()
	portsA, err := Listen(loop)
	if err != nil {
		t.Fatal(err)
	}
	portsB, err := Listen(loop)
	if err != nil {
		t.Fatal(err)
	}
	if keyed {
		ka, kb := key(1), key(2)
		pa.SRTP = &SRTP{Suite: SuiteAES128SHA80, Local: ka, Remote: kb}
		pb.SRTP = &SRTP{Suite: SuiteAES128SHA80, Local: kb, Remote: ka}
	}
	pa.Remote = portsB.RTP()
	// B learns where A is only from A's packets (symmetric RTP): its SDP
	// address is wrong, as behind a NAT.
	pb.Remote = netip.AddrPortFrom(loop, 9)
	pb.RemoteRTCP = netip.AddrPortFrom(loop, 9)
	p := &pair{devA: toneDevice(t, 600, 30), devB: toneDevice(t, 1400, 30), digA: digits(), digB: digits()}
	p.a, err = Start(portsA, pa, Config{Device: p.devA, OnDigit: func(d rune) { p.digA <- d }, ReportEvery: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.a.Close() })
	p.b, err = Start(portsB, pb, Config{Device: p.devB, OnDigit: func(d rune) { p.digB <- d }, ReportEvery: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.b.Close() })
	return p
}

func key(seed byte) []byte {
	k := make([]byte, 30)
	for i := range k {
		k[i] = seed + byte(i)
	}
	return k
}

func both(send stream.Codec) Params {
	return Params{Send: send, Tel: tel8k, Recv: []stream.Codec{pcmu, pcma, tel8k}, Sending: true, Receiving: true}
}

// eventually polls cond every 10 ms until it holds or 5 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(5 * time.Second)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// hears reports whether the last half second dev recorded holds freq.
func hears(dev *device.WAV, freq float64) bool {
	rec := dev.Recorded()
	if len(rec) < audio.SampleRate/2 {
		return false
	}
	return dtmf.Power(rec[len(rec)-audio.SampleRate/2:], freq, audio.SampleRate) > 0.001
}

// recordedSince returns how many samples dev recorded after mark.
func grows(dev *device.WAV, mark int, freq float64) func() bool {
	return func() bool {
		rec := dev.Recorded()
		if len(rec) < mark+audio.SampleRate/2 {
			return false
		}
		return dtmf.Power(rec[len(rec)-audio.SampleRate/2:], freq, audio.SampleRate) > 0.001
	}
}

func waitDigits(t *testing.T, ch chan rune, want string) {
	t.Helper()
	got := ""
	deadline := time.After(5 * time.Second)
	for len(got) < len(want) {
		select {
		case d := <-ch:
			got += string(d)
		case <-deadline:
			t.Fatalf("digits %q, want %q", got, want)
		}
	}
	if got != want {
		t.Fatalf("digits %q, want %q", got, want)
	}
}

// TestTonesAndDigitsBothWays: two legs on loopback, one sending PCMU and
// the other PCMA, each hears the other's tone (Goertzel), digits cross
// both ways as RFC 4733 events, B latches onto A's address, and RTCP
// gives both a round-trip time.
func TestTonesAndDigitsBothWays(t *testing.T) {
	p := newPair(t, both(pcmu), both(pcma), false)
	eventually(t, "B hears A's 600 Hz", func() bool { return hears(p.devB, 600) })
	eventually(t, "A hears B's 1400 Hz", func() bool { return hears(p.devA, 1400) })
	if err := p.a.SendDTMF("19#"); err != nil {
		t.Fatal(err)
	}
	if err := p.b.SendDTMF("*0"); err != nil {
		t.Fatal(err)
	}
	waitDigits(t, p.digB, "19#")
	waitDigits(t, p.digA, "*0")
	if got := p.b.Remote(); got != p.a.ports.RTP() {
		t.Errorf("B sends to %v, want A's %v (symmetric RTP)", got, p.a.ports.RTP())
	}
	eventually(t, "RTT on both", func() bool { return p.a.Quality().RTT > 0 && p.b.Quality().RTT > 0 })
	for name, l := range map[string]*Leg{"A": p.a, "B": p.b} {
		q := l.Quality()
		if q.Loss != 0 || q.MOS < 4 {
			t.Errorf("%s quality %+v", name, q)
		}
		t.Logf("%s: %+v stats %+v", name, q, l.Stats())
	}
	if q := p.a.Quality(); q.Codec != "PCMU" {
		t.Errorf("A sends %q", q.Codec)
	}
	// The speaker's level is the frame just played: a digit's slots play
	// as silence, and B may still be playing them.
	eventually(t, "B's levels", func() bool {
		l := p.b.Levels()
		return l.Speaker.PeakDBFS >= -30 && l.Mic.PeakDBFS >= -30
	})
	p.a.SetMuted(true)
	eventually(t, "B hears A muted", func() bool { return !hears(p.devB, 600) })
	if p.b.ByeReceived() {
		t.Fatal("BYE before A closed")
	}
	if err := p.a.Close(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "B gets A's RTCP BYE", p.b.ByeReceived)
}

// TestSRTPBothWays: SDES-keyed legs hear each other; a leg with the wrong
// key hears nothing and counts the packets as undecryptable.
func TestSRTPBothWays(t *testing.T) {
	p := newPair(t, both(pcmu), both(pcmu), true)
	eventually(t, "B hears A over SRTP", func() bool { return hears(p.devB, 600) })
	eventually(t, "A hears B over SRTP", func() bool { return hears(p.devA, 1400) })
	if err := p.a.SendDTMF("7"); err != nil {
		t.Fatal(err)
	}
	waitDigits(t, p.digB, "7")
	eventually(t, "RTT over SRTCP", func() bool { return p.a.Quality().RTT > 0 })
	// B re-keyed wrongly: A's packets fail authentication.
	bad := p.b.Params()
	bad.SRTP = &SRTP{Suite: SuiteAES128SHA80, Local: key(2), Remote: key(9)}
	if err := p.b.Update(bad); err != nil {
		t.Fatal(err)
	}
	eventually(t, "undecryptable counted", func() bool { return p.b.Stats().Undecryptable > 10 })
	if s := p.a.Stats(); s.Undecryptable != 0 {
		t.Errorf("A undecryptable %d", s.Undecryptable)
	}
}

// TestHoldAndRetrieve: A holds B (A sendonly, B recvonly): B stops
// sending; on retrieve both hear each other again and neither counts the
// hold as loss.
func TestHoldAndRetrieve(t *testing.T) {
	p := newPair(t, both(pcmu), both(pcmu), false)
	eventually(t, "A hears B", func() bool { return hears(p.devA, 1400) })
	pa, pb := p.a.Params(), p.b.Params()
	pa.Receiving, pb.Sending = false, false // A: sendonly; B: recvonly
	if err := p.a.Update(pa); err != nil {
		t.Fatal(err)
	}
	if err := p.b.Update(pb); err != nil {
		t.Fatal(err)
	}
	eventually(t, "A hears silence", func() bool { return !hears(p.devA, 1400) })
	sent := p.b.Stats().Sent
	mark := len(p.devB.Recorded())
	eventually(t, "B still hears A while held", grows(p.devB, mark, 600))
	if s := p.b.Stats().Sent; s != sent {
		t.Errorf("B sent %d packets while held", s-sent)
	}
	pa.Receiving, pb.Sending = true, true
	if err := p.a.Update(pa); err != nil {
		t.Fatal(err)
	}
	if err := p.b.Update(pb); err != nil {
		t.Fatal(err)
	}
	mark = len(p.devA.Recorded())
	eventually(t, "A hears B after retrieve", grows(p.devA, mark, 1400))
	for name, l := range map[string]*Leg{"A": p.a, "B": p.b} {
		if q := l.Quality(); q.Lost != 0 {
			t.Errorf("%s counted %d lost over the hold: %+v", name, q.Lost, q)
		}
	}
}

// TestOpusBothWays: an Opus leg pair (48 kHz clock, telephone-event at
// 48 kHz) hears both tones and passes digits.
func TestOpusBothWays(t *testing.T) {
	if !audio.OpusAvailable {
		t.Skip("opus not built in (needs -tags nolibopusfile)")
	}
	opus := stream.Codec{PT: 111, Name: "opus", Clock: 48000, Channels: 2, Fmtp: "minptime=20;useinbandfec=1"}
	tel48 := stream.Codec{PT: 110, Name: stream.TelephoneEvent, Clock: 48000, Fmtp: "0-16"}
	pp := Params{Send: opus, Tel: tel48, Recv: []stream.Codec{opus, tel48}, Sending: true, Receiving: true}
	p := newPair(t, pp, pp, true)
	eventually(t, "B hears A over Opus", func() bool { return hears(p.devB, 600) })
	eventually(t, "A hears B over Opus", func() bool { return hears(p.devA, 1400) })
	if err := p.b.SendDTMF("5"); err != nil {
		t.Fatal(err)
	}
	waitDigits(t, p.digA, "5")
	if q := p.a.Quality(); q.Codec != "opus" || q.Loss != 0 {
		t.Errorf("quality %+v", q)
	}
}

// TestRelayLeg: a relay leg (OnRTP) hands A's packets over undecoded,
// decrypted, and sends what its owner writes; A hears it.
func TestRelayLeg(t *testing.T) {
	portsA, err := Listen(loop)
	if err != nil {
		t.Fatal(err)
	}
	portsR, err := Listen(loop)
	if err != nil {
		t.Fatal(err)
	}
	ka, kr := key(1), key(2)
	pa, pr := both(pcmu), both(pcmu)
	pa.Remote, pr.Remote = portsR.RTP(), portsA.RTP()
	pa.SRTP = &SRTP{Suite: SuiteAES128SHA80, Local: ka, Remote: kr}
	pr.SRTP = &SRTP{Suite: SuiteAES128SHA80, Local: kr, Remote: ka}
	devA := toneDevice(t, 600, 30)
	a, err := Start(portsA, pa, Config{Device: devA})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	got := make(chan []byte, 512)
	var rp atomic.Pointer[Leg]
	// The relay echoes what it receives back, as a bridge to a leg that
	// repeats A would.
	r, err := Start(portsR, pr, Config{OnRTP: func(pkt *rtp.Packet) {
		select {
		case got <- append([]byte(nil), pkt.Payload...):
		default:
		}
		if r := rp.Load(); r != nil {
			// A packet handed over as the test closes the leg meets a
			// closed socket; any other error is the leg's.
			if err := r.WriteRTP(&pkt.Header, pkt.Payload); err != nil && !errors.Is(err, net.ErrClosed) {
				t.Error(err)
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	rp.Store(r)
	defer r.Close()
	select {
	case b := <-got:
		if want := int(audio.FrameTicks(8000)); len(b) != want {
			t.Fatalf("payload %d bytes, want %d (PCMU, decrypted)", len(b), want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no packet relayed")
	}
	eventually(t, "A hears itself through the relay", func() bool { return hears(devA, 600) })
	if s := r.Stats(); s.Sent == 0 || s.Received == 0 {
		t.Errorf("relay stats %+v", s)
	}
	if q := r.Quality(); q.Received == 0 || q.Codec != "PCMU" {
		t.Errorf("relay quality %+v", q)
	}
}
