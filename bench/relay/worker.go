package main

import (
	"encoding/binary"
	"log"
	"time"
)

// in demultiplexes one received packet (RFC 7983).
func (l *cleg) in(p []byte, scratch []byte) {
	if len(p) < 12 {
		return
	}
	switch b := p[0]; {
	case b < 4:
		if l.rtc != nil {
			l.rtc.stun(l, p)
		}
	case b >= 20 && b < 64:
		if l.rtc != nil {
			l.rtc.conn.push(p)
		}
	case b >= 128 && b < 192:
		if !l.ready.Load() {
			return
		}
		if pt := p[1] & 0x7f; pt >= 64 && pt < 96 { // RTCP (RFC 5761)
			l.rtcp.Add(1)
			return
		}
		if l.rtc != nil {
			if _, err := l.rtc.rx.DecryptRTP(scratch[:0], p, &l.rtc.rxHdr); err != nil {
				l.bad.Add(1)
				return
			}
		}
		l.ctr.see(binary.BigEndian.Uint16(p[2:4]))
	}
}

// work is a socket's worker: every millisecond it takes in what has
// arrived, then sends the packets of the slots due, a slot it is late for
// as soon as it can (counted as late when a period or more behind).
func (cs *clientSet) work(s *csock, stop chan struct{}) {
	rx := newMmsgs(batch, 1500)
	tx := newMmsgs(batch, 256)
	scratch := make([]byte, 1500)
	plain := make([]byte, 256)
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	start := time.Now()
	next := 0 // the next slot tick to send
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		cs.receive(s, rx, scratch)
		due := int(time.Since(start) / time.Millisecond)
		for ; next <= due; next++ {
			s.mu.Lock()
			legs := s.slots[next%slots]
			s.mu.Unlock()
			n, k := 0, 0
			for _, l := range legs {
				if !l.ready.Load() {
					continue
				}
				if !l.packet(tx, n, plain) {
					continue
				}
				n++
				if n == batch {
					k += cs.flush(s, tx, n)
					n = 0
				}
			}
			k += cs.flush(s, tx, n)
			cs.sent.Add(uint64(k))
			if due-next >= slots {
				cs.late.Add(uint64(k))
			}
			if next%4 == 0 && next < due {
				cs.receive(s, rx, scratch) // keep up with the socket while catching up
			}
		}
	}
}

// receive takes in every packet waiting on the socket.
func (cs *clientSet) receive(s *csock, m *mmsgs, scratch []byte) {
	for {
		n, err := s.recv(m)
		if err != nil {
			log.Printf("relay clients: receive: %v", err)
			return
		}
		for i := range n {
			if l := cs.byAddr[legIndex(m.Local[i])].Load(); l != nil && l.sock == s && l.addr == m.Local[i] {
				l.in(m.Bufs[i], scratch)
			}
		}
		if n < len(m.Bufs) {
			return
		}
	}
}

func (cs *clientSet) flush(s *csock, m *mmsgs, n int) int {
	if n == 0 {
		return 0
	}
	k, err := s.send(m, n)
	if k < n {
		cs.unsent.Add(uint64(n - k))
		if cs.unsent.Load() == uint64(n-k) {
			log.Printf("relay clients: send: %v", err)
		}
	}
	return k
}

// packet makes the leg's next packet the i-th of m.
func (l *cleg) packet(m *mmsgs, i int, plain []byte) bool {
	h := rtpHeader(l.seq, l.ts, l.ssrc)
	h[1] = l.pt
	c := &l.cs.codec
	payload := c.frames[int(l.seq)%len(c.frames)]
	l.seq++
	l.ts += c.step
	buf := m.Bufs[i][:0]
	if l.rtc != nil {
		n := copy(plain, h[:])
		n += copy(plain[n:], payload)
		out, err := l.rtc.tx.EncryptRTP(buf, plain[:n], &l.rtc.txHdr)
		if err != nil {
			return false
		}
		buf = out
	} else {
		buf = append(append(buf, h[:]...), payload...)
	}
	m.Bufs[i] = buf
	m.Ports[i] = l.remote.Port
	m.Local[i] = l.addr
	return true
}

func rtpHeader(seq uint16, ts, ssrc uint32) (h [12]byte) {
	h[0] = 0x80 // version 2; payload type 0 (PCMU) unless the leg sets another
	binary.BigEndian.PutUint16(h[2:], seq)
	binary.BigEndian.PutUint32(h[4:], ts)
	binary.BigEndian.PutUint32(h[8:], ssrc)
	return h
}
