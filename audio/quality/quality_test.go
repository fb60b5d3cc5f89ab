package quality

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pion/rtcp"
)

var t0 = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func TestLossAndJitter(t *testing.T) {
	m := NewMonitor("PCMU", 8000)
	rng := rand.New(rand.NewPCG(1, 1))
	lost := 0
	for i := 0; i < 2000; i++ {
		if i > 0 && i < 1999 && rng.Float64() < 0.05 {
			lost++
			continue
		}
		// +-10 ms uniform jitter around a 20 ms cadence, sequence wrapping.
		at := t0.Add(time.Duration(i)*20*time.Millisecond + time.Duration(rng.IntN(20))*time.Millisecond)
		m.OnRTP(uint16(65000+i), uint32(i*160), at)
	}
	s := m.Snapshot()
	if s.Expected != 2000 || s.Lost != int64(lost) {
		t.Fatalf("expected %d lost %d, want 2000 and %d", s.Expected, s.Lost, lost)
	}
	// Uniform 0..19 ms delays: E|D1-D2| is about 6.7 ms.
	if s.Jitter < 4500*time.Microsecond || s.Jitter > 9*time.Millisecond {
		t.Fatalf("jitter %v, want about 6.7 ms", s.Jitter)
	}
	t.Logf("%+v", s)
}

func TestSteadyJitterIsZero(t *testing.T) {
	m := NewMonitor("opus", 48000)
	for i := 0; i < 100; i++ {
		m.OnRTP(uint16(i), uint32(i*960), t0.Add(time.Duration(i)*20*time.Millisecond))
	}
	if s := m.Snapshot(); s.Jitter > time.Microsecond || s.Lost != 0 {
		t.Fatalf("%+v", s)
	}
}

func TestRTTFromReceptionReport(t *testing.T) {
	sent := t0
	lsr := uint32(NTPTime(sent) >> 16)
	now := sent.Add(130 * time.Millisecond)
	rr := rtcp.ReceptionReport{LastSenderReport: lsr, Delay: uint32(50 * 65536 / 1000)} // held 50 ms
	rtt, ok := RTT(rr, now)
	if !ok || rtt < 79*time.Millisecond || rtt > 81*time.Millisecond {
		t.Fatalf("rtt %v %v, want 80 ms", rtt, ok)
	}
	if _, ok := RTT(rtcp.ReceptionReport{}, now); ok {
		t.Fatal("rtt without LSR")
	}
	// A far end with a millisecond clock overstates its hold a little: on
	// loopback the difference is zero or under, a round trip too short
	// for it to measure, not an unknown one (baresip, sip/sdp's test).
	for _, over := range []time.Duration{130 * time.Millisecond, 131 * time.Millisecond, 132 * time.Millisecond} {
		held := uint32(over.Seconds() * 65536)
		if rtt, ok := RTT(rtcp.ReceptionReport{LastSenderReport: lsr, Delay: held}, now); !ok || rtt != MinRTT {
			t.Errorf("held %v of a 130 ms wait: rtt %v %v, want %v", over, rtt, ok, MinRTT)
		}
	}
	if rtt, ok := RTT(rtcp.ReceptionReport{LastSenderReport: lsr, Delay: 200 * 65536 / 1000}, now); ok {
		t.Errorf("held 200 ms of a 130 ms wait: rtt %v, want none", rtt)
	}
	m := NewMonitor("PCMU", 8000)
	m.OnRTCP([]rtcp.Packet{&rtcp.ReceiverReport{Reports: []rtcp.ReceptionReport{{LastSenderReport: lsr, Delay: rr.Delay, FractionLost: 64}}}}, now)
	s := m.Snapshot()
	if s.RTT < 79*time.Millisecond || s.RemoteLoss != 0.25 {
		t.Fatalf("monitor %+v", s)
	}
}

func TestEModel(t *testing.T) {
	cases := []struct {
		name      string
		delay     time.Duration
		loss      float64
		min, max  float64
		codecName string
	}{
		{"clean g711 is toll quality", 40 * time.Millisecond, 0, 4.3, 4.45, "PCMU"},
		{"1% loss still good", 40 * time.Millisecond, 1, 4.0, 4.35, "PCMA"},
		{"5% loss fair", 60 * time.Millisecond, 5, 3.3, 3.9, "PCMU"},
		{"20% loss poor", 60 * time.Millisecond, 20, 1.5, 2.6, "PCMU"},
		{"400 ms delay hurts", 400 * time.Millisecond, 0, 3.0, 3.8, "PCMU"},
		{"opus tolerates loss better", 60 * time.Millisecond, 5, 3.5, 4.1, "opus"},
	}
	for _, c := range cases {
		r, mos := EModel(c.codecName, c.delay, c.loss)
		if mos < c.min || mos > c.max {
			t.Errorf("%s: R %.1f MOS %.2f, want %.2f..%.2f", c.name, r, mos, c.min, c.max)
		}
	}
	if MOS(-5) != 1 || MOS(120) != 4.5 || math.Abs(MOS(93.2)-4.41) > 0.01 {
		t.Errorf("MOS edges %v %v %v", MOS(-5), MOS(120), MOS(93.2))
	}
}

func TestDegraded(t *testing.T) {
	th := DefaultThresholds
	good := Stats{Received: 100, MOS: 4.3, Loss: 0.01, Jitter: 5 * time.Millisecond, RTT: 40 * time.Millisecond}
	if bad, why := th.Degraded(good); bad {
		t.Fatalf("good call degraded: %s", why)
	}
	bad := Stats{Received: 100, MOS: 3.1, Loss: 0.08, Jitter: 80 * time.Millisecond, RTT: 40 * time.Millisecond}
	ok, why := th.Degraded(bad)
	if !ok || why != "mos 3.1, loss 8.0%, jitter 80 ms" {
		t.Fatalf("degraded=%v %q", ok, why)
	}
}
