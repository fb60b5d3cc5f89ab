package media

import (
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/transport/v4/packetio"
	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio/quality"
	"github.com/agentty/agentty/audio/rtc"
	"github.com/agentty/agentty/audio/rtc/udpbatch"
)

// The receive path. pion's SRTP session decrypts each incoming packet on
// its own goroutine and writes it to the read stream's buffer, which the
// application drains through TrackRemote.Read and the interceptors: three
// goroutine hand-offs (socket, DTLS/SRTP demux, SRTP) before the relay
// sees a packet, then a fourth. The relay supplies that buffer instead
// (SettingEngine.BufferFactory): its Write is the leg's onRTP, which
// forwards, decodes for the mixer and keeps the receiver statistics on the
// SRTP goroutine itself. As nothing reads the TrackRemote, pion's receiver
// report interceptor would see no packets: the leg sends its own receiver
// reports (RFC 3550 6.4.2, A.3, A.8) from those statistics.

// ptCodec is what an incoming payload type carries.
type ptCodec struct {
	name  string // codec name as in Config.Codecs; "" for unknown types
	clock uint32
	tel   bool // RFC 4733 telephone-event
}

// payloadTypes maps the payload types of the centre's offer (every leg's
// media engine registers ps) to codecs. The far end sends with the
// numbers of the offer (RFC 3264 6.1), so the table holds for every leg.
func payloadTypes(ps []webrtc.RTPCodecParameters) *[128]ptCodec {
	var t [128]ptCodec
	for _, p := range ps {
		t[p.PayloadType&0x7f] = ptCodec{name: rtc.CodecName(p.MimeType), clock: p.ClockRate,
			tel: strings.EqualFold(p.MimeType, rtc.MimeTelephoneEvent)}
	}
	return &t
}

// noInterceptors registers none: the centre's legs write their own
// sender and receiver reports, one compound packet every reportEvery
// (reportLoop), and need no NACK, congestion control or stats
// interceptors. pion's sender report interceptor read the clock and took
// a lock for every packet sent, and sent its reports apart from the
// receiver reports: two RTCP packets a second a leg, each an SRTCP
// encryption and a system call.
func noInterceptors(*webrtc.MediaEngine, *interceptor.Registry) error { return nil }

// srtcpBufferSize is pion's own limit for an SRTCP read stream's buffer.
const srtcpBufferSize = 100 * 1000

// bufferFactory is the leg's SettingEngine.BufferFactory: RTP streams
// go to the leg, RTCP streams to an ordinary buffer the leg's RTCP
// readers drain.
func (l *leg) bufferFactory(kind packetio.BufferPacketType, _ uint32) io.ReadWriteCloser {
	if kind == packetio.RTPBufferPacket {
		return &rxBuffer{l: l, closed: make(chan struct{})}
	}
	b := packetio.NewBuffer()
	b.SetLimitSize(srtcpBufferSize)
	return b
}

// rxBuffer is an SRTP read stream's buffer that hands each packet to its
// leg as it is written. Its Read blocks until Close: nothing reads the
// TrackRemote (OnTrack fires before the first packet, so pion does not
// peek at one either).
type rxBuffer struct {
	l      *leg
	once   sync.Once
	closed chan struct{}
}

// Write is called by pion's SRTP session goroutine with one decrypted
// packet, valid until it returns.
func (b *rxBuffer) Write(p []byte) (int, error) {
	b.l.rxMu.Lock()
	defer b.l.rxMu.Unlock()
	b.l.onRTP(p)
	return len(p), nil
}

func (b *rxBuffer) Read([]byte) (int, error) {
	<-b.closed
	return 0, io.EOF
}

func (b *rxBuffer) Close() error {
	b.once.Do(func() { close(b.closed) })
	return nil
}

// rx is the state of a leg's receive path; only the SRTP goroutine
// touches it, except stats.
type rx struct {
	queue *udpbatch.Queue // a shared socket's tap's, during onRTP (fast.go); nil: none
	hdr   rtp.Header
	named bool // the leg's incoming codec is known
	stats rxStats
	slot  rtc.MediaTime // places telephone-event slots on the media timeline
}

// onRTP forwards or decodes one packet of the leg's party. It runs on
// pion's SRTP goroutine for the leg (one at a time) and allocates nothing.
func (l *leg) onRTP(p []byte) {
	r := &l.rx
	n, err := r.hdr.Unmarshal(p)
	if err != nil {
		return
	}
	end := len(p)
	if r.hdr.Padding {
		if end <= n || int(p[end-1]) > end-n {
			return
		}
		end -= int(p[end-1])
	}
	l.onPacket(&r.hdr, p[n:end])
}

// onPacket forwards or decodes one parsed packet: onRTP's for a WebRTC
// leg, the rtpleg reader goroutine's for a plain RTP leg (one at a time
// either way). hdr is valid only during the call.
func (l *leg) onPacket(hdr *rtp.Header, payload []byte) {
	r := &l.rx
	c := l.pts[hdr.PayloadType&0x7f]
	if c.name == "" {
		return
	}
	l.ctr.received.Add(1)
	at := time.Now()
	l.lastRx.Store(at.UnixNano())
	r.stats.see(hdr, c, at)
	if !c.tel && !r.named {
		r.named = true
		l.mu.Lock()
		l.in = c.name
		l.mu.Unlock()
		callID := l.call
		l.s.post(func() { l.s.rerouteCall(callID) })
	}
	rt := l.route.Load()
	src := uint64(hdr.SSRC)
	for _, d := range rt.fwd {
		if err := d.out.write(src, c.tel, hdr, payload, at, r.queue); err != nil {
			l.ctr.writeErrs.Add(1)
		} else {
			l.ctr.forwarded.Add(1)
		}
	}
	if !rt.decode {
		return
	}
	if c.tel {
		l.mixIn.event(hdr.Timestamp, hdr.Marker, payload)
		// Keep the event's slot in the mixer's jitter buffer, silent, so
		// that it is not concealed as a loss.
		l.mixIn.push(c, hdr.SequenceNumber, r.slot.SlotTS(hdr.SequenceNumber, c.clock), nil, at)
		return
	}
	if !equalFold(c.name, l.inCodecRx()) {
		return
	}
	r.slot.Media(hdr.SequenceNumber, hdr.Timestamp)
	l.mixIn.push(c, hdr.SequenceNumber, hdr.Timestamp, payload, at)
}

// inCodecRx is inCodec for the SRTP goroutine, which alone writes
// l.in: no lock needed to read it there.
func (l *leg) inCodecRx() string { return l.in }

// rxStats are the receiver statistics of the leg's incoming stream, for
// its receiver reports: quality.Receiver, which the plain RTP legs use
// too, fed with the leg's payload types.
type rxStats struct{ r quality.Receiver }

// see records one packet. A new SSRC starts the counts afresh; an
// event's packets all carry its start time: counted, not timed.
func (s *rxStats) see(h *rtp.Header, c ptCodec, now time.Time) {
	s.r.Packet(h.SSRC, h.SequenceNumber, h.Timestamp, c.clock, !c.tel, now)
}

// senderReport records the far end's sender report.
func (s *rxStats) senderReport(sr *rtcp.SenderReport, now time.Time) { s.r.SenderReport(sr, now) }

// report returns a reception report for the interval since the previous
// one; false before the first packet.
func (s *rxStats) report(now time.Time) (rtcp.ReceptionReport, bool) { return s.r.Report(now) }

// A leg sends its first report within reportFirst (so that the phone
// has its round trip early in the call), then one every reportEvery:
// RFC 3550's 5 s minimum (6.2), which the SIP trunk's legs use
// (rtpleg.Config.ReportEvery) and browsers use for audio. pion's report
// interceptors send one a second; at 1,000 relayed calls those reports
// were 5 % of the relay's CPU.
const (
	reportFirst = time.Second
	reportEvery = 5 * time.Second
)

// reportLoop sends the leg's receiver reports until the leg closes. Owned
// by the leg.
func (l *leg) reportLoop() {
	defer l.wg.Done()
	// Spread the legs' reports: the first at 0.5 to 1.5 reportFirst.
	first := time.NewTimer(reportFirst/2 + rand.N(reportFirst))
	defer first.Stop()
	select {
	case <-l.ctx.Done():
		return
	case <-first.C:
	}
	t := time.NewTicker(reportEvery)
	defer t.Stop()
	for {
		if pkt := l.report(time.Now()); pkt != nil {
			if err := l.pc.WriteRTCP([]rtcp.Packet{pkt}); err != nil && l.ctx.Err() == nil {
				l.s.cfg.Logger.Debug("media: report", "call", l.call, "party", l.party, "err", err)
			}
		}
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// report is the leg's RTCP report at now: a sender report when the leg
// sent since the last one, with the reception report of the party's
// stream when it has one; else a receiver report; nil when there is
// nothing to report.
func (l *leg) report(now time.Time) rtcp.Packet {
	var blocks []rtcp.ReceptionReport
	if rr, ok := l.rx.stats.report(now); ok {
		blocks = []rtcp.ReceptionReport{rr}
	}
	if sr, ok := l.out.senderReport(now, blocks); ok {
		return sr
	}
	if blocks == nil {
		return nil
	}
	return &rtcp.ReceiverReport{SSRC: l.out.localSSRC(), Reports: blocks}
}

// readReceiverRTCP drains the RTCP about the party's stream and keeps its
// sender reports for the receiver reports' round-trip fields. Owned by
// the leg.
func (l *leg) readReceiverRTCP(r *webrtc.RTPReceiver) {
	defer l.wg.Done()
	for {
		pkts, _, err := r.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range pkts {
			if sr, ok := p.(*rtcp.SenderReport); ok {
				l.rx.stats.senderReport(sr, time.Now())
			}
		}
	}
}
