package rtpleg

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"

	"github.com/agentty/agentty/audio/quality"
)

// maxPacket bounds a received datagram.
const maxPacket = 1500

// writeRTP is the sender's Writer: marshal, encrypt when keyed, send to
// the (latched) far end, with no allocation per packet. One goroutine at
// a time: the sender's, or a relay leg's WriteRTP under relayMu.
func (l *Leg) writeRTP(h *rtp.Header, payload []byte) error {
	l.mu.Lock()
	to, c := l.remote, l.cipher
	l.mu.Unlock()
	if !to.IsValid() || to.Addr().IsUnspecified() || to.Port() == 0 {
		return nil // nowhere to send yet (hold with c=0.0.0.0, or waiting to latch)
	}
	b, err := l.marshal(h, payload)
	if err != nil {
		return err
	}
	if c != nil {
		if b, err = c.encryptRTP(l.txSRTP[:0], b, nil); err != nil {
			return fmt.Errorf("rtpleg: srtp: %w", err)
		}
		l.txSRTP = b[:0]
	}
	if _, err := l.ports.rtp.WriteToUDPAddrPort(b, to); err != nil {
		return err
	}
	now := l.cfg.Now()
	l.mu.Lock()
	l.sentPackets++
	l.sentOctets += uint32(len(payload))
	l.lastTS, l.lastTSAt, l.sentSince = h.Timestamp, now, true
	l.mu.Unlock()
	return nil
}

// marshal writes the packet into the leg's send buffer (allocated once;
// a packet with padding takes pion's own path). The sending goroutine
// only, as writeRTP.
func (l *Leg) marshal(h *rtp.Header, payload []byte) ([]byte, error) {
	if h.Padding {
		pkt := rtp.Packet{Header: *h, Payload: payload}
		return pkt.Marshal()
	}
	n := h.MarshalSize() + len(payload)
	if cap(l.txBuf) < n {
		l.txBuf = make([]byte, max(n, maxPacket))
	}
	b := l.txBuf[:n]
	k, err := h.MarshalTo(b)
	if err != nil {
		return nil, err
	}
	copy(b[k:], payload)
	return b, nil
}

// isRTCP tells RTCP from RTP on a muxed port (RFC 5761 4: payload types
// 64-95 after the marker bit are RTCP's 192-223).
func isRTCP(b []byte) bool {
	return len(b) >= 2 && b[1]&0x7f >= 64 && b[1]&0x7f <= 95
}

// readRTP reads the RTP socket until it is closed. Owned by the leg.
func (l *Leg) readRTP() {
	defer l.wg.Done()
	buf := make([]byte, maxPacket)
	for {
		n, from, err := l.ports.rtp.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if isRTCP(buf[:n]) {
			l.handleRTCP(buf[:n], from)
			continue
		}
		l.handleRTP(buf[:n], from)
	}
}

// handleRTP takes one datagram from the RTP socket. Reader goroutine.
func (l *Leg) handleRTP(b []byte, from netip.AddrPort) {
	from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
	pkt := &l.rxPkt // the reader goroutine's: a local would escape (OnRTP, Push)
	if err := pkt.Unmarshal(b); err != nil || pkt.Version != 2 {
		l.malformed.Add(1)
		return
	}
	l.mu.Lock()
	c, codec, ok := l.cipher, l.recv[pkt.PayloadType], true
	if _, known := l.recv[pkt.PayloadType]; !known {
		ok = false
	}
	foreign := l.latched && from != l.remote || l.cfg.NoLatch && from != l.p.Remote
	receiving := l.p.Receiving
	l.mu.Unlock()
	if foreign {
		l.foreign.Add(1)
		return
	}
	if c != nil {
		plain, err := c.decryptRTP(l.rxSRTP[:0], b, nil)
		if err != nil {
			l.undecryptable.Add(1)
			return
		}
		l.rxSRTP = plain[:0]
		if err := pkt.Unmarshal(plain); err != nil {
			l.malformed.Add(1)
			return
		}
	}
	now := l.cfg.Now()
	l.mu.Lock()
	if !l.latched && !l.cfg.NoLatch {
		// Symmetric RTP: answer where the far end's packets come from
		// (its NAT's address, not the one in its SDP).
		l.remote, l.latched = from, true
	}
	if receiving {
		l.lastRTP = now
	}
	l.mu.Unlock()
	if !receiving {
		l.notReceiving.Add(1)
		return
	}
	if !ok {
		return // a payload type we did not negotiate (comfort noise, video)
	}
	l.received.Add(1)
	l.rx.Packet(pkt.SSRC, pkt.SequenceNumber, pkt.Timestamp, codec.Clock, !codec.IsTelephoneEvent(), now)
	if l.cfg.OnRTP != nil {
		// Time an event's packets as the media slots they take, as the
		// player does.
		ts := pkt.Timestamp
		if codec.IsTelephoneEvent() {
			ts = l.slots.SlotTS(pkt.SequenceNumber, codec.Clock)
		} else {
			l.slots.Media(pkt.SequenceNumber, pkt.Timestamp)
		}
		l.q.OnRTP(pkt.SequenceNumber, ts, now)
		l.cfg.OnRTP(pkt)
		return
	}
	l.player.Push(pkt, now)
}

// readRTCP reads the RTCP socket until it is closed. Owned by the leg.
func (l *Leg) readRTCP() {
	defer l.wg.Done()
	buf := make([]byte, maxPacket)
	for {
		n, from, err := l.ports.rtcp.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		l.handleRTCP(buf[:n], from)
	}
}

// handleRTCP takes one RTCP datagram (from either socket: rtcp-mux).
func (l *Leg) handleRTCP(b []byte, from netip.AddrPort) {
	from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
	l.mu.Lock()
	c := l.cipher
	l.mu.Unlock()
	if c != nil {
		plain, err := c.decryptRTCP(nil, b)
		if err != nil {
			l.undecryptable.Add(1)
			return
		}
		b = plain
	}
	pkts, err := rtcp.Unmarshal(b)
	if err != nil {
		l.malformed.Add(1)
		return
	}
	now := l.cfg.Now()
	l.mu.Lock()
	if !l.rtcpLatch && !l.cfg.NoLatch {
		l.remoteRTCP, l.rtcpLatch = from, true
	}
	l.mu.Unlock()
	for _, p := range pkts {
		switch p := p.(type) {
		case *rtcp.SenderReport:
			l.rx.SenderReport(p, now)
		case *rtcp.Goodbye:
			l.bye.Store(true)
		}
	}
	l.q.OnRTCP(pkts, now)
}

// reportLoop sends a sender report (while we send) or a receiver report
// every ReportEvery. Owned by the leg.
func (l *Leg) reportLoop(ctx context.Context) {
	defer l.wg.Done()
	t := time.NewTicker(l.cfg.ReportEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := l.sendReport(time.Now(), false); err != nil && ctx.Err() == nil {
			l.report(fmt.Errorf("rtpleg: rtcp report: %w", err))
		}
	}
}

// sendReport builds and sends one compound report, ending with a BYE
// when bye is set.
func (l *Leg) sendReport(now time.Time, bye bool) error {
	var reports []rtcp.ReceptionReport
	if rr, ok := l.rx.Report(now); ok {
		reports = append(reports, rr)
	}
	l.mu.Lock()
	to, c := l.remoteRTCP, l.cipher
	sent := l.sentSince
	clock := l.p.Send.Clock
	ts := l.lastTS + uint32(now.Sub(l.lastTSAt).Seconds()*float64(clock))
	pc, oc := l.sentPackets, l.sentOctets
	l.sentSince = false
	l.mu.Unlock()
	if !to.IsValid() || to.Addr().IsUnspecified() || to.Port() == 0 {
		return nil
	}
	var first rtcp.Packet
	if sent {
		first = &rtcp.SenderReport{SSRC: l.ssrc, NTPTime: quality.NTPTime(now), RTPTime: ts,
			PacketCount: pc, OctetCount: oc, Reports: reports}
	} else {
		first = &rtcp.ReceiverReport{SSRC: l.ssrc, Reports: reports}
	}
	pkts := []rtcp.Packet{first, &rtcp.SourceDescription{Chunks: []rtcp.SourceDescriptionChunk{{
		Source: l.ssrc, Items: []rtcp.SourceDescriptionItem{{Type: rtcp.SDESCNAME, Text: "agentty"}}}}}}
	if bye {
		pkts = append(pkts, &rtcp.Goodbye{Sources: []uint32{l.ssrc}})
	}
	b, err := rtcp.Marshal(pkts)
	if err != nil {
		return err
	}
	if c != nil {
		if b, err = c.encryptRTCP(nil, b); err != nil {
			return err
		}
	}
	sock := l.ports.rtcp
	if to == l.remoteOf() {
		sock = l.ports.rtp // rtcp-mux: from the RTP port too
	}
	_, err = sock.WriteToUDPAddrPort(b, to)
	return err
}

// remoteOf returns where RTP goes, to tell a muxed RTCP address.
func (l *Leg) remoteOf() netip.AddrPort {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.remote
}
