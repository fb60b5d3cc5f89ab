package stream

import (
	"math"
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/jitter"
)

// TestUnpackAnyPacketDuration: packets of 10, 20 and 30 ms (a far end's
// ptime) come out as continuous frames, nothing cut and nothing padded;
// a lost packet is concealed for as long as the packets are.
func TestUnpackAnyPacketDuration(t *testing.T) {
	for _, ms := range []int{10, 20, 30} {
		enc, dec := pcmuPair(t)
		per := ms * audio.SampleRate / 1000
		tone := sine(per*40, 440, 0.3)
		var pops []jitter.Frame
		for i := 0; i+per <= len(tone); i += per {
			payload := make([]byte, per/6)
			n, err := enc.c.Encode(resample8k(tone[i:i+per]), payload)
			if err != nil {
				t.Fatal(err)
			}
			k := jitter.KindPacket
			if i/per == 20 {
				k = jitter.KindLost
			}
			pops = append(pops, jitter.Frame{Kind: k, Payload: payload[:n]})
		}
		up := NewUnpacker(dec)
		popped := 0
		var out []int16
		frame := make([]int16, audio.FrameSamples)
		for popped < len(pops) {
			up.Fill(frame, func() { popped++; up.Unpack(pops[popped-1]) })
			out = append(out, frame...)
		}
		if want := popped * per; len(out) <= want-per || len(out) > want {
			t.Fatalf("%d ms: %d samples out of %d packets, want about %d", ms, len(out), popped, want)
		}
		if up.PacketDuration() != time.Duration(ms)*time.Millisecond {
			t.Fatalf("%d ms: packet duration %v", ms, up.PacketDuration())
		}
		// Every 5 ms of the output (the concealed packet included, after
		// the resampler's start) carries the tone: no gap, no padding.
		for i := audio.SampleRate / 100; i+240 <= len(out); i += 240 {
			if rms(out[i:i+240]) < 0.1 {
				t.Fatalf("%d ms packets: silence at %.1f ms", ms, float64(i)*1000/audio.SampleRate)
			}
		}
	}
}

type pcmuEnc struct{ c audio.Codec }

func pcmuPair(t *testing.T) (pcmuEnc, *audio.FrameDecoder) {
	t.Helper()
	e, err := audio.NewCodec(audio.NamePCMU)
	if err != nil {
		t.Fatal(err)
	}
	d, err := audio.NewCodec(audio.NamePCMU)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close(); d.Close() })
	dec, err := audio.NewFrameDecoder(d)
	if err != nil {
		t.Fatal(err)
	}
	return pcmuEnc{e}, dec
}

func sine(n int, hz, amp float64) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(amp * 32767 * math.Sin(2*math.Pi*hz*float64(i)/audio.SampleRate))
	}
	return out
}

// resample8k takes every sixth sample: enough for a 440 Hz tone.
func resample8k(pcm []int16) []int16 {
	out := make([]int16, len(pcm)/6)
	for i := range out {
		out[i] = pcm[6*i]
	}
	return out
}

func rms(pcm []int16) float64 {
	var s float64
	for _, v := range pcm {
		f := float64(v) / 32768
		s += f * f
	}
	return math.Sqrt(s / float64(len(pcm)))
}

// TestTrimCutFromSeveralPackets: a trim longer than a 10 ms packet can
// give (audio.Shorten keeps most of it) is cut from the packets after it
// until it is all given back; an underrun forgets what is left.
func TestTrimCutFromSeveralPackets(t *testing.T) {
	enc, dec := pcmuPair(t)
	const per = audio.FrameSamples // 10 ms packets
	tone := sine(per, 440, 0.3)
	payload := make([]byte, per/6)
	n, err := enc.c.Encode(resample8k(tone), payload)
	if err != nil {
		t.Fatal(err)
	}
	pkt := jitter.Frame{Kind: jitter.KindPacket, Payload: payload[:n]}
	up := NewUnpacker(dec)
	played := func(f jitter.Frame) (int, time.Duration) {
		up.Unpack(f)
		return len(up.Take(up.Pending())), up.LastCut()
	}
	trimmed := pkt
	trimmed.Trim = 12 * time.Millisecond
	total, cuts := 0, 0
	for i := 0; i < 10; i++ {
		f := pkt
		if i == 0 {
			f = trimmed
		}
		got, cut := played(f)
		if cut > per*time.Second/audio.SampleRate/4 {
			t.Fatalf("packet %d: %v cut from 10 ms", i, cut)
		}
		if cut > 0 {
			cuts++
		}
		total += got
	}
	gone := time.Duration(10*per-total) * time.Second / audio.SampleRate
	if gone < 11*time.Millisecond || gone > 12*time.Millisecond || cuts < 5 {
		t.Fatalf("%v given back in %d packets, want 11 to 12 ms in at least 5", gone, cuts)
	}
	up.Cut(5 * time.Millisecond)
	played(jitter.Frame{Kind: jitter.KindUnderrun})
	if got, cut := played(pkt); got != per || cut != 0 {
		t.Fatalf("after an underrun: %d samples, %v cut", got, cut)
	}
}
