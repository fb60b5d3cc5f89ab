package rtc

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
)

// deadSource fails every read at once, like a closed device.
type deadSource struct{ reads atomic.Int64 }

func (d *deadSource) ReadFrame(context.Context, []int16) error {
	d.reads.Add(1)
	return errors.New("gone")
}

// TestDeadSourceDoesNotSpin: an unpaced source that keeps failing is
// reported once and read at most about once per frame period.
func TestDeadSourceDoesNotSpin(t *testing.T) {
	api, err := NewAPI(APIConfig{Codecs: []string{audio.NamePCMU}, LoopbackOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	pcA, _ := api.NewPeerConnection(webrtc.Configuration{})
	defer pcA.Close()
	pcB, _ := api.NewPeerConnection(webrtc.Configuration{})
	defer pcB.Close()
	src := &deadSource{}
	var reports atomic.Int64
	out, err := AttachOutbound(pcA, OutboundConfig{Source: src, OnError: func(error) { reports.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	pcB.AddTransceiverFromKind(webrtc.RTPCodecTypeAudio, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly})
	signal(t, pcA, pcB)
	start := time.Now()
	eventually(t, "ten failed reads", func() bool { return src.reads.Load() >= 10 })
	out.Close()
	elapsed := time.Since(start)
	if n := src.reads.Load(); float64(n) > elapsed.Seconds()*50*2+5 {
		t.Fatalf("%d reads in %v: spinning", n, elapsed)
	}
	if reports.Load() != 1 {
		t.Fatalf("%d reports, want 1", reports.Load())
	}
}
