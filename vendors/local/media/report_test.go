package media

import (
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/quality"
)

// sentRTP records what a relay track writes.
type sentRTP struct{ hdrs []rtp.Header }

func (w *sentRTP) WriteRTP(h *rtp.Header, _ []byte) (int, error) {
	w.hdrs = append(w.hdrs, *h)
	return 0, nil
}

func (w *sentRTP) Write(b []byte) (int, error) { return len(b), nil }

// boundTrack is a relay track bound to PCMU as Bind would bind it.
func boundTrack(w *sentRTP) *relayTrack {
	t := newRelayTrack(nil, nil)
	t.bind(w, 0xc0ffee, 0, "PCMU", 8000)
	t.telPT, t.haveTel = 101, true
	return t
}

// TestRelayTrackSenderReport: the leg's own sender report (which took the
// place of pion's sender report interceptor) counts what the track sent
// and gives the RTP timestamp of the report's time, extrapolated from the
// newest audio packet on the stream's clock (RFC 3550 6.4.1); nothing sent
// since the last report, no sender report.
func TestRelayTrackSenderReport(t *testing.T) {
	var w sentRTP
	tr := boundTrack(&w)
	t0 := time.Unix(1_700_000_000, 0)
	if _, ok := tr.senderReport(t0, nil); ok {
		t.Fatal("a sender report before anything was sent")
	}
	payload := make([]byte, 80)
	for i := range 5 {
		h := &rtp.Header{SequenceNumber: uint16(100 + i), Timestamp: uint32(1000 + 80*i)}
		if err := tr.write(7, false, h, payload, t0.Add(time.Duration(i)*10*time.Millisecond), nil); err != nil {
			t.Fatal(err)
		}
	}
	// A telephone-event packet counts as sent but does not move the
	// stream's clock.
	if err := tr.write(7, true, &rtp.Header{SequenceNumber: 105, Timestamp: 1320}, payload[:4], t0.Add(50*time.Millisecond), nil); err != nil {
		t.Fatal(err)
	}
	blocks := []rtcp.ReceptionReport{{SSRC: 9, FractionLost: 3}}
	at := t0.Add(250 * time.Millisecond)
	sr, ok := tr.senderReport(at, blocks)
	if !ok {
		t.Fatal("no sender report after six packets")
	}
	last := w.hdrs[4]
	want := rtcp.SenderReport{SSRC: 0xc0ffee, NTPTime: quality.NTPTime(at),
		RTPTime: last.Timestamp + 8000*210/1000, PacketCount: 6, OctetCount: 5*80 + 4, Reports: blocks}
	if sr.SSRC != want.SSRC || sr.NTPTime != want.NTPTime || sr.RTPTime != want.RTPTime ||
		sr.PacketCount != want.PacketCount || sr.OctetCount != want.OctetCount || len(sr.Reports) != 1 || sr.Reports[0] != blocks[0] {
		t.Errorf("sender report\n got %+v\nwant %+v", *sr, want)
	}
	if _, ok := tr.senderReport(at.Add(time.Second), nil); ok {
		t.Error("a sender report with nothing sent since the last")
	}
	tr.write(7, false, &rtp.Header{SequenceNumber: 106, Timestamp: 1480}, payload, at.Add(time.Second), nil)
	if sr, ok := tr.senderReport(at.Add(time.Second), nil); !ok || sr.PacketCount != 7 || sr.RTPTime != w.hdrs[6].Timestamp {
		t.Errorf("next sender report %+v, %v: want 7 packets, RTP time %d", sr, ok, w.hdrs[6].Timestamp)
	}
}

// TestRelayTrackUsesCallersClock: the track takes the time of a write
// from its caller (one clock reading a forwarded packet, onPacket's),
// not the clock: a new source after a silence continues the timestamps
// by the silence as the caller timed it.
func TestRelayTrackUsesCallersClock(t *testing.T) {
	var w sentRTP
	tr := boundTrack(&w)
	t0 := time.Unix(1_700_000_000, 0) // long ago: the wall clock would see decades of silence
	tr.write(1, false, &rtp.Header{SequenceNumber: 10, Timestamp: 800}, nil, t0, nil)
	silence := 30 * audio.FrameDuration
	tr.write(2, false, &rtp.Header{SequenceNumber: 5000, Timestamp: 99999}, nil, t0.Add(silence), nil)
	got := w.hdrs[1]
	if got.SequenceNumber != w.hdrs[0].SequenceNumber+1 {
		t.Errorf("sequence number %d after %d", got.SequenceNumber, w.hdrs[0].SequenceNumber)
	}
	// 300 ms at 8 kHz (the step of a frame was once 20 ms, a frame's
	// length before frames were 10 ms: twice the silence).
	if gap := got.Timestamp - w.hdrs[0].Timestamp; gap != 2400 {
		t.Errorf("timestamp gap %d for %v of silence, want 2400", gap, silence)
	}
}

// TestLegReport: a leg that sent reports with a sender report carrying
// the reception report of what it received; one that only received,
// with a receiver report; one with neither, nothing.
func TestLegReport(t *testing.T) {
	var w sentRTP
	l := &leg{out: boundTrack(&w)}
	t0 := time.Unix(1_700_000_000, 0)
	if p := l.report(t0); p != nil {
		t.Fatalf("report %+v from a leg that neither sent nor received", p)
	}
	pcmu := ptCodec{name: "PCMU", clock: 8000}
	for i := range 10 {
		l.rx.stats.see(&rtp.Header{SSRC: 42, SequenceNumber: uint16(i), Timestamp: uint32(i) * 80}, pcmu, t0.Add(time.Duration(i)*10*time.Millisecond))
	}
	rr, ok := l.report(t0.Add(time.Second)).(*rtcp.ReceiverReport)
	if !ok || rr.SSRC != 0xc0ffee || len(rr.Reports) != 1 || rr.Reports[0].SSRC != 42 {
		t.Fatalf("receive only: %+v, want a receiver report about SSRC 42", rr)
	}
	l.out.write(1, false, &rtp.Header{SequenceNumber: 1, Timestamp: 80}, make([]byte, 80), t0.Add(time.Second), nil)
	l.rx.stats.see(&rtp.Header{SSRC: 42, SequenceNumber: 10, Timestamp: 800}, pcmu, t0.Add(time.Second))
	sr, ok := l.report(t0.Add(2 * time.Second)).(*rtcp.SenderReport)
	if !ok || sr.PacketCount != 1 || len(sr.Reports) != 1 || sr.Reports[0].SSRC != 42 {
		t.Fatalf("send and receive: %+v, want a sender report of 1 packet with the report about SSRC 42", sr)
	}
}
