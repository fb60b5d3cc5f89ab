package srtpgcm

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
)

func keys(t testing.TB, p srtp.ProtectionProfile) (key, salt []byte) {
	kl, _ := p.KeyLen()
	sl, _ := p.SaltLen()
	key, salt = make([]byte, kl), make([]byte, sl)
	rand.Read(key)
	rand.Read(salt)
	return key, salt
}

func pair(t testing.TB, p srtp.ProtectionProfile) (ours *Context, pions *srtp.Context) {
	t.Helper()
	key, salt := keys(t, p)
	ours, err := New(p, key, salt)
	if err != nil {
		t.Fatal(err)
	}
	pions, err = srtp.CreateContext(key, salt, p, srtp.SRTPReplayProtection(ReplayWindow))
	if err != nil {
		t.Fatal(err)
	}
	return ours, pions
}

var profiles = []srtp.ProtectionProfile{srtp.ProtectionProfileAeadAes128Gcm, srtp.ProtectionProfileAeadAes256Gcm}

// header is a packet's header, with CSRCs and an extension on some, so
// that the additional data covers them.
func header(seq uint16, ssrc uint32) rtp.Header {
	h := rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: seq, Timestamp: uint32(seq) * 960, SSRC: ssrc, Marker: seq%7 == 0}
	if seq%5 == 0 {
		h.CSRC = []uint32{1, 2}
	}
	if seq%3 == 0 {
		h.Extension, h.ExtensionProfile = true, rtp.ExtensionProfileOneByte
		if err := h.SetExtension(1, []byte{seq8(seq)}); err != nil {
			panic(err)
		}
	}
	return h
}

func seq8(s uint16) byte { return byte(s) }

// TestSealOpensWithPion: what Seal makes, pion's context opens, across a
// sequence number wrap (the rollover counter), for both profiles.
func TestSealOpensWithPion(t *testing.T) {
	for _, p := range profiles {
		ours, pions := pair(t, p)
		var buf []byte
		for k := range 300 {
			seq := uint16(65400 + k) // wraps at k = 136
			h := header(seq, 0xcafe)
			payload := bytes.Repeat([]byte{byte(k)}, 20+k%50)
			sealed, err := ours.Seal(buf, &h, payload)
			if err != nil {
				t.Fatal(err)
			}
			buf = sealed
			plain, err := pions.DecryptRTP(nil, sealed, nil)
			if err != nil {
				t.Fatalf("%v: packet %d (seq %d): pion: %v", p, k, seq, err)
			}
			var got rtp.Packet
			if err := got.Unmarshal(plain); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Payload, payload) || got.SequenceNumber != seq {
				t.Fatalf("%v: packet %d: got seq %d payload %x", p, k, got.SequenceNumber, got.Payload)
			}
		}
	}
}

// TestOpenWhatPionSeals: what pion's context seals, Open opens, across a
// wrap, in order and a little out of it, and refuses a second time.
func TestOpenWhatPionSeals(t *testing.T) {
	for _, p := range profiles {
		ours, pions := pair(t, p)
		var sealed [][]byte
		var want [][]byte
		for k := range 300 {
			h := header(uint16(65400+k), 0xbeef)
			plain, err := (&rtp.Packet{Header: h, Payload: bytes.Repeat([]byte{byte(k)}, 30)}).Marshal()
			if err != nil {
				t.Fatal(err)
			}
			s, err := pions.EncryptRTP(nil, plain, nil)
			if err != nil {
				t.Fatal(err)
			}
			sealed, want = append(sealed, s), append(want, plain)
		}
		// Swap neighbours now and then: reordered within the window.
		order := make([]int, len(sealed))
		for k := range order {
			order[k] = k
		}
		for k := 10; k+1 < len(order); k += 17 {
			order[k], order[k+1] = order[k+1], order[k]
		}
		buf := make([]byte, 0, 1500)
		for n, k := range order {
			in, dst := sealed[k], buf
			if n%2 == 1 { // in place
				in = append([]byte(nil), sealed[k]...)
				dst = in[:0]
			}
			got, err := ours.Open(dst, in)
			if err != nil {
				t.Fatalf("%v: packet %d: %v", p, k, err)
			}
			if !bytes.Equal(got, want[k]) {
				t.Fatalf("%v: packet %d: opened %x\nwant %x", p, k, got, want[k])
			}
		}
		for _, k := range []int{0, 250, 299} {
			if _, err := ours.Open(buf, sealed[k]); !errors.Is(err, ErrReplay) {
				t.Fatalf("%v: packet %d again: %v, want ErrReplay", p, k, err)
			}
		}
	}
}

// TestOpenRefuses: a tampered packet, a short one, another key's; none
// changes the state (the next good packet still opens).
func TestOpenRefuses(t *testing.T) {
	p := srtp.ProtectionProfileAeadAes128Gcm
	other, _ := pair(t, p)
	seal := func(seq uint16, c *Context) []byte {
		h := header(seq, 7)
		b, err := c.Seal(nil, &h, []byte("payload"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if _, err := New(p, nil, nil); err == nil {
		t.Fatal("New took an empty key")
	}
	key, salt := keys(t, p)
	tx, err := New(p, key, salt)
	if err != nil {
		t.Fatal(err)
	}
	rx, err := New(p, key, salt)
	if err != nil {
		t.Fatal(err)
	}
	good := seal(1, tx)
	tampered := append([]byte(nil), good...)
	tampered[len(tampered)-1] ^= 1
	if _, err := rx.Open(nil, tampered); !errors.Is(err, ErrAuth) {
		t.Fatalf("tampered: %v, want ErrAuth", err)
	}
	if _, err := rx.Open(nil, good[:12]); !errors.Is(err, ErrShort) {
		t.Fatalf("short: %v, want ErrShort", err)
	}
	if _, err := rx.Open(nil, seal(1, other)); !errors.Is(err, ErrAuth) {
		t.Fatalf("another key's: %v, want ErrAuth", err)
	}
	if _, err := rx.Open(nil, good); err != nil {
		t.Fatalf("the good packet after the bad ones: %v", err)
	}
	if len(rx.more) != 1 {
		t.Fatalf("%d streams kept, want 1 (failed packets keep none)", len(rx.more))
	}
}

// TestNoAllocation: a packet sealed and opened in place allocates
// nothing.
func TestNoAllocation(t *testing.T) {
	p := srtp.ProtectionProfileAeadAes128Gcm
	key, salt := keys(t, p)
	tx, _ := New(p, key, salt)
	rx, _ := New(p, key, salt)
	payload := make([]byte, 160)
	buf := make([]byte, 0, 1500)
	var seq uint16
	allocs := testing.AllocsPerRun(100, func() {
		seq++
		h := rtp.Header{Version: 2, SequenceNumber: seq, Timestamp: uint32(seq) * 160, SSRC: 3}
		sealed, err := tx.Seal(buf, &h, payload)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rx.Open(sealed[:0], sealed); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%.1f allocations a packet, want 0", allocs)
	}
}

// TestIndexEstimate follows RFC 3711's appendix A at the edges.
func TestIndexEstimate(t *testing.T) {
	s := &stream{}
	s.accept(s.index(65535))
	if i := s.index(0); i != 1<<16 {
		t.Fatalf("after 65535, seq 0 = index %#x, want 0x10000", i)
	}
	s.accept(1<<16 | 10)
	if i := s.index(65530); i != 65530 {
		t.Fatalf("late 65530 after ROC 1 seq 10 = %#x, want 65530 (ROC 0)", i)
	}
	if !s.fresh(65530) {
		t.Fatal("an index 16 behind the highest, never seen, is not fresh")
	}
	s.accept(65530)
	if s.fresh(65530) {
		t.Fatal("an index accepted is still fresh")
	}
	if s.fresh(1<<16 | 10 - ReplayWindow) {
		t.Fatal("an index a window behind the highest is fresh")
	}
	s = &stream{}
	s.accept(s.index(5))
	if i := s.index(65000); i != 65000 {
		t.Fatalf("ROC 0 cannot go back: %#x, want 65000", i)
	}
}

func FuzzOpen(f *testing.F) {
	p := srtp.ProtectionProfileAeadAes128Gcm
	key, salt := make([]byte, 16), make([]byte, 12)
	tx, _ := New(p, key, salt)
	for _, seq := range []uint16{1, 3, 5} {
		h := header(seq, 9)
		b, _ := tx.Seal(nil, &h, []byte("hello"))
		f.Add(b)
	}
	f.Add([]byte{0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 0xbe, 0xde, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		rx, _ := New(p, key, salt)
		out, err := rx.Open(nil, b)
		if err == nil && len(out) != len(b)-16 {
			t.Fatalf("opened %d bytes of %d", len(out), len(b))
		}
	})
}

func BenchmarkOpen(b *testing.B) {
	for _, tc := range []struct {
		name string
		open func(dst, p []byte) ([]byte, error)
	}{
		{"srtpgcm", nil}, {"pion", nil},
	} {
		b.Run(tc.name, func(b *testing.B) {
			p := srtp.ProtectionProfileAeadAes128Gcm
			key, salt := keys(b, p)
			tx, _ := New(p, key, salt)
			ours, _ := New(p, key, salt)
			pions, _ := srtp.CreateContext(key, salt, p, srtp.SRTPReplayProtection(ReplayWindow))
			pkts := make([][]byte, 1024)
			for k := range pkts {
				h := rtp.Header{Version: 2, PayloadType: 0, SequenceNumber: uint16(k), Timestamp: uint32(k) * 160, SSRC: 5}
				pkts[k], _ = tx.Seal(nil, &h, make([]byte, 160))
			}
			var hdr rtp.Header
			buf := make([]byte, 0, 1500)
			b.ResetTimer()
			for i := range b.N {
				if i%len(pkts) == 0 && i > 0 {
					// A fresh context for each round through the packets.
					ours, _ = New(p, key, salt)
					pions, _ = srtp.CreateContext(key, salt, p, srtp.SRTPReplayProtection(ReplayWindow))
				}
				var err error
				if tc.name == "pion" {
					_, err = pions.DecryptRTP(buf, pkts[i%len(pkts)], &hdr)
				} else {
					_, err = ours.Open(buf, pkts[i%len(pkts)])
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSeal(b *testing.B) {
	for _, name := range []string{"srtpgcm", "pion"} {
		b.Run(name, func(b *testing.B) {
			p := srtp.ProtectionProfileAeadAes128Gcm
			key, salt := keys(b, p)
			ours, _ := New(p, key, salt)
			pions, _ := srtp.CreateContext(key, salt, p)
			payload := make([]byte, 160)
			buf := make([]byte, 0, 1500)
			plain := make([]byte, 0, 1500)
			var hdr rtp.Header
			b.ResetTimer()
			for i := range b.N {
				h := rtp.Header{Version: 2, PayloadType: 0, SequenceNumber: uint16(i), Timestamp: uint32(i) * 160, SSRC: 5}
				var err error
				if name == "pion" {
					// As the relay used it: the header marshalled, the
					// payload copied after it.
					n := h.MarshalSize()
					plain = plain[:n+len(payload)]
					h.MarshalTo(plain)
					copy(plain[n:], payload)
					buf, err = pions.EncryptRTP(buf[:0], plain, &hdr)
				} else {
					buf, err = ours.Seal(buf, &h, payload)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestStreamsApart: packets of three SSRCs by turns, the first of them
// refused once (the Context keeps no stream for a packet that fails), each
// SSRC with its own index and replay window; Warm beside it all on
// another goroutine (go test -race).
func TestStreamsApart(t *testing.T) {
	ours, pions := pair(t, srtp.ProtectionProfileAeadAes128Gcm)
	stop := make(chan struct{})
	warmed := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				warmed <- n
				return
			default:
				n += ours.Warm()
			}
		}
	}()
	ssrcs := []uint32{7, 0xfeed, 1 << 31}
	var sealed [][]byte
	for k := range 90 {
		ssrc := ssrcs[k%3]
		seq := uint16(65500 + k/3*40) // each stream wraps
		plain, err := (&rtp.Packet{Header: header(seq, ssrc), Payload: []byte{byte(k), 1, 2}}).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		s, err := pions.EncryptRTP(nil, plain, nil)
		if err != nil {
			t.Fatal(err)
		}
		sealed = append(sealed, s)
	}
	forged := append([]byte(nil), sealed[0]...)
	forged[len(forged)-1] ^= 1
	if _, err := ours.Open(nil, forged); !errors.Is(err, ErrAuth) {
		t.Fatalf("forged first packet: %v, want ErrAuth", err)
	}
	for k, s := range sealed {
		if _, err := ours.Open(nil, s); err != nil {
			t.Fatalf("packet %d (SSRC %d): %v", k, ssrcs[k%3], err)
		}
	}
	for k := range 3 {
		if _, err := ours.Open(nil, sealed[len(sealed)-1-k]); !errors.Is(err, ErrReplay) {
			t.Fatalf("the last packet of SSRC %d again: %v, want ErrReplay", ssrcs[(len(sealed)-1-k)%3], err)
		}
	}
	close(stop)
	if n := <-warmed; n%16 != 0 {
		t.Fatalf("Warm summed %d, want the tag length's multiples", n)
	}
}
