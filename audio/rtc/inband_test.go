package rtc

import (
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
)

// TestInbandDTMF sends digits as tones inside PCMU audio (as some SIP
// phones do) and detects them at the receiver with Goertzel.
func TestInbandDTMF(t *testing.T) {
	const digits = "852"
	var sig []int16
	for _, d := range digits {
		tone := make([]int16, audio.SampleRate/10) // 100 ms on
		if err := dtmf.Generate(tone, d, audio.SampleRate, 0.25, 0); err != nil {
			t.Fatal(err)
		}
		sig = append(sig, tone...)
		sig = append(sig, make([]int16, audio.SampleRate/10)...) // 100 ms off
	}
	api, err := NewAPI(APIConfig{Codecs: []string{audio.NamePCMU}, LoopbackOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	pcA, _ := api.NewPeerConnection(webrtc.Configuration{})
	defer pcA.Close()
	pcB, _ := api.NewPeerConnection(webrtc.Configuration{})
	defer pcB.Close()
	src, _ := device.NewWAV(device.WAVConfig{In: sig})
	out, err := AttachOutbound(pcA, OutboundConfig{Source: src, Pace: true})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	pcB.AddTransceiverFromKind(webrtc.RTPCodecTypeAudio, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly})
	tracks := make(chan *webrtc.TrackRemote, 1)
	recvs := make(chan *webrtc.RTPReceiver, 1)
	pcB.OnTrack(func(tr *webrtc.TrackRemote, r *webrtc.RTPReceiver) { tracks <- tr; recvs <- r })
	signal(t, pcA, pcB)
	var tr *webrtc.TrackRemote
	select {
	case tr = <-tracks:
	case <-time.After(10 * time.Second):
		t.Fatal("no track")
	}
	got := make(chan rune, 8)
	in, err := NewInbound(tr, <-recvs, InboundConfig{InbandDTMF: true, OnDigit: func(d rune) { got <- d }})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	heard := ""
	deadline := time.After(10 * time.Second)
	for len(heard) < len(digits) {
		select {
		case d := <-got:
			heard += string(d)
		case <-deadline:
			t.Fatalf("heard %q, want %q", heard, digits)
		}
	}
	if heard != digits {
		t.Fatalf("heard %q, want %q", heard, digits)
	}
}
