package media

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/agentty/agentty/audio/rtpleg"
	"github.com/agentty/agentty/audio/stream"
	"github.com/agentty/agentty/vendors/local/acd"
)

// startRTPLeg starts a relay-kind rtpleg leg on loopback for an RTPLeg.
func startRTPLeg(t *testing.T) *RTPLeg {
	t.Helper()
	lo := netip.MustParseAddr("127.0.0.1")
	ports, err := rtpleg.Listen(lo)
	if err != nil {
		t.Fatal(err)
	}
	pcmu := stream.Codec{PT: 0, Name: "PCMU", Clock: 8000}
	r := NewRTPLeg()
	leg, err := rtpleg.Start(ports, rtpleg.Params{Remote: netip.AddrPortFrom(lo, 9), Send: pcmu, Recv: []stream.Codec{pcmu},
		Sending: true, Receiving: true}, rtpleg.Config{OnRTP: r.Deliver})
	if err != nil {
		ports.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { leg.Close() })
	r.SetLeg(leg)
	return r
}

// TestDetachRTPLegLeavesAnotherCallsLeg: two calls dial the same number
// (party ext:2002 in both); the end of the first detaches its own leg
// only: the second call keeps carrying its leg.
func TestDetachRTPLegLeavesAnotherCallsLeg(t *testing.T) {
	s, err := New(Config{Loopback: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r1, r2 := startRTPLeg(t), startRTPLeg(t)
	s.AttachRTP("ext:2002", r1)
	s.Op(acd.MediaOp{Kind: acd.MediaConnected, CallID: "c1", Legs: []string{"ext:2002"}})
	s.AttachRTP("ext:2002", r2)
	s.Op(acd.MediaOp{Kind: acd.MediaConnected, CallID: "c2", Legs: []string{"ext:2002"}})
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := s.Stats().RTPLegs; n != 2 {
		t.Fatalf("%d RTP legs, want one in each call", n)
	}
	s.DetachRTPLeg("ext:2002", r1)
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got := make(chan *RTPLeg, 2)
	s.post(func() {
		for _, id := range []string{"c1", "c2"} {
			if l := s.calls[id].legs["ext:2002"]; l != nil {
				got <- l.rtp
			} else {
				got <- nil
			}
		}
	})
	if c1, c2 := <-got, <-got; c1 != nil || c2 != r2 {
		t.Errorf("after the first call's detach: c1 carries %p, c2 %p; want none and the second leg (%p)", c1, c2, r2)
	}
	if n := s.Stats().RTPLegs; n != 1 {
		t.Errorf("%d RTP legs after one detach, want 1", n)
	}
	s.DetachRTPLeg("ext:2002", r2)
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := s.Stats().RTPLegs; n != 0 {
		t.Errorf("%d RTP legs after both detached", n)
	}
}
