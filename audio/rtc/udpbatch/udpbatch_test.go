package udpbatch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func listen(t *testing.T) *Conn {
	t.Helper()
	c, err := Listen("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func addrOf(c net.PacketConn) netip.AddrPort { return c.LocalAddr().(*net.UDPAddr).AddrPort() }

// Every datagram that concurrent writers send arrives whole, once, from the
// writer's socket; on Linux reads take fewer system calls than datagrams.
func TestConcurrentWritesArriveBatched(t *testing.T) {
	tx, rx := listen(t), listen(t)
	rx.SetReadBuffer(4 << 20) // the reader may fall behind the writers for a while
	const writers, each = 8, 500
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := make([]byte, 172)
			for i := range each {
				binary.BigEndian.PutUint32(p, uint32(w<<16|i))
				if _, err := tx.WriteToAddrPort(p, addrOf(rx)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	seen := map[uint32]bool{}
	buf := make([]byte, 2000)
	rx.SetReadDeadline(time.Now().Add(10 * time.Second))
	for len(seen) < writers*each {
		n, from, err := rx.ReadFromAddrPort(buf)
		if err != nil {
			t.Fatalf("after %d datagrams: %v", len(seen), err)
		}
		if n != 172 || from != addrOf(tx) {
			t.Fatalf("datagram of %d bytes from %v, want 172 from %v", n, from, addrOf(tx))
		}
		k := binary.BigEndian.Uint32(buf)
		if seen[k] {
			t.Fatalf("datagram %x twice", k)
		}
		seen[k] = true
	}
	wg.Wait()
	ts, rs := tx.Stats(), rx.Stats()
	t.Logf("sender %+v, receiver %+v", ts, rs)
	if ts.Writes != writers*each || ts.WriteErrs != 0 {
		t.Errorf("sender stats %+v, want %d writes and no errors", ts, writers*each)
	}
	if runtime.GOOS == "linux" && rs.ReadCalls >= rs.Reads {
		t.Errorf("receiver: %d read calls for %d datagrams: no batch", rs.ReadCalls, rs.Reads)
	}
}

// Datagrams waiting in the socket are read in one system call, and in
// order, to a caller's buffer of any size.
func TestReadBatchFromWaitingDatagrams(t *testing.T) {
	rx := listen(t)
	tx, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	const n = 100
	for i := range n {
		if _, err := tx.WriteToUDPAddrPort([]byte{byte(i), 1, 2, 3}, addrOf(rx)); err != nil {
			t.Fatal(err)
		}
	}
	rx.SetReadDeadline(time.Now().Add(5 * time.Second))
	small := make([]byte, 2)
	for i := range n {
		k, _, err := rx.ReadFrom(small)
		if err != nil {
			t.Fatal(err)
		}
		if k != 2 || small[0] != byte(i) {
			t.Fatalf("datagram %d: %d bytes %v", i, k, small[:k])
		}
	}
	if s := rx.Stats(); runtime.GOOS == "linux" && s.ReadCalls > 4 {
		t.Errorf("%d read calls for %d waiting datagrams", s.ReadCalls, n)
	}
}

// Close unblocks a read that waits, with net.ErrClosed; writes after Close
// fail.
func TestCloseUnblocksRead(t *testing.T) {
	c, err := Listen("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		_, _, err := c.ReadFrom(make([]byte, 100))
		got <- err
	}()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if !errors.Is(err, net.ErrClosed) {
			t.Fatalf("read after close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("read still blocked after Close")
	}
	if _, err := c.WriteTo([]byte{1}, c.LocalAddr()); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write after close: %v", err)
	}
	if err := c.Close(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("second close: %v", err)
	}
}

// A read deadline ends a waiting read with a timeout.
func TestReadDeadline(t *testing.T) {
	c := listen(t)
	c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, _, err := c.ReadFrom(make([]byte, 100))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("got %v, want a deadline error", err)
	}
}

// A datagram the kernel refuses (port 0) is counted and does not stop the
// ones after it; a non-UDP address and an oversized datagram are handled
// alone.
func TestWriteErrors(t *testing.T) {
	tx, rx := listen(t), listen(t)
	if _, err := tx.WriteToAddrPort([]byte("x"), netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), 0)); err == nil {
		t.Fatal("a write to port 0: no error")
	}
	if _, err := tx.WriteToAddrPort([]byte("after"), addrOf(rx)); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.WriteTo([]byte("x"), &net.IPAddr{IP: net.IPv4(127, 0, 0, 1)}); err == nil {
		t.Fatal("write to an IP address: no error")
	}
	big := bytes.Repeat([]byte{7}, 4000)
	if n, err := tx.WriteTo(big, rx.LocalAddr()); err != nil || n != len(big) {
		t.Fatalf("big write: %d, %v", n, err)
	}
	rx.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 5000)
	n, _, err := rx.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "after" {
		t.Fatalf("read %q, %v; want after", buf[:n], err)
	}
	n, _, err = rx.ReadFrom(buf)
	if err != nil || n != maxDatagram {
		t.Fatalf("big datagram read as %d bytes (%v), want the read buffer's %d", n, err, maxDatagram)
	}
	if s := tx.Stats(); s.WriteErrs != 1 {
		t.Errorf("stats %+v, want one write error", s)
	}
}

// IPv6 sockets send to and read from IPv4-mapped and IPv6 peers.
func TestIPv6(t *testing.T) {
	a, err := Listen("udp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	defer a.Close()
	b := listen6(t)
	if _, err := a.WriteToAddrPort([]byte("six"), addrOf(b)); err != nil {
		t.Fatal(err)
	}
	b.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 10)
	n, from, err := b.ReadFromAddrPort(buf)
	if err != nil || string(buf[:n]) != "six" || from != addrOf(a) {
		t.Fatalf("read %q from %v (%v), want six from %v", buf[:n], from, err, addrOf(a))
	}
}

func listen6(t *testing.T) *Conn {
	c, err := Listen("udp6", "[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func FuzzSockaddr(f *testing.F) {
	b := make([]byte, 28)
	f.Add(b[:encodeSockaddr(b, netip.MustParseAddrPort("127.0.0.1:5000"), false)])
	f.Add(b[:encodeSockaddr(b, netip.MustParseAddrPort("[2001:db8::1]:443"), false)])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		a := decodeSockaddr(raw)
		if !a.IsValid() {
			return
		}
		out := make([]byte, 28)
		n := encodeSockaddr(out, a, false)
		if got := decodeSockaddr(out[:n]); got != a {
			t.Fatalf("%x decodes to %v, re-encoded to %v", raw, a, got)
		}
	})
}

// The tap takes the datagrams it wants, whole, in order, within a batch;
// the reader gets the rest in order, and all of them once the tap goes.
func TestTapTakesDatagrams(t *testing.T) {
	rx := listen(t)
	tx, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	var taken []byte
	rx.SetTap(func(p []byte, from netip.AddrPort, _ *Queue) bool {
		if from != addrOf(tx) || len(p) != 4 || p[0]%2 == 0 {
			return false
		}
		taken = append(taken, p[0])
		return true
	})
	const n = 20
	for i := range n {
		if _, err := tx.WriteToUDPAddrPort([]byte{byte(i), 1, 2, 3}, addrOf(rx)); err != nil {
			t.Fatal(err)
		}
	}
	rx.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 16)
	for i := 0; i < n; i += 2 {
		k, _, err := rx.ReadFrom(buf)
		if err != nil {
			t.Fatal(err)
		}
		if k != 4 || buf[0] != byte(i) {
			t.Fatalf("the reader's datagram %d: %v, want %d first", i/2, buf[:k], i)
		}
	}
	// The reader has had every even datagram, so the tap every odd one
	// before the last of them.
	for i, b := range taken {
		if b != byte(2*i+1) {
			t.Fatalf("the tap took %v, want the odd ones in order", taken)
		}
	}
	if len(taken) < n/2-1 {
		t.Fatalf("the tap took %v, want the odd ones", taken)
	}
	rx.SetTap(nil)
	if _, err := tx.WriteToUDPAddrPort([]byte{99, 1, 2, 3}, addrOf(rx)); err != nil {
		t.Fatal(err)
	}
	for {
		k, _, err := rx.ReadFrom(buf)
		if err != nil {
			t.Fatal(err)
		}
		if buf[0] == 99 && k == 4 {
			break
		}
		if buf[0]%2 == 0 {
			t.Fatalf("the reader got %v twice", buf[:k])
		}
	}
}

func TestWarmSeesABatchBeforeItsTap(t *testing.T) {
	rx := listen(t)
	var txs []*net.UDPConn
	for range 2 {
		tx, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Close()
		txs = append(txs, tx)
	}
	// warmed holds the senders warm was given and the tap has not seen
	// yet: the tap must find each datagram's sender there, in order.
	var warmed []netip.AddrPort
	var warms, taps int
	rx.SetWarm(func(from []netip.AddrPort) uintptr {
		if len(warmed) != 0 {
			t.Errorf("warm called with %d datagrams of the last batch not tapped", len(warmed))
		}
		warmed = append(warmed[:0], from...)
		warms++
		return uintptr(len(from))
	})
	rx.SetTap(func(p []byte, from netip.AddrPort, _ *Queue) bool {
		if len(warmed) == 0 || warmed[0] != from {
			t.Errorf("tap: a datagram from %v, warm gave %v", from, warmed)
			return false
		}
		warmed = warmed[1:]
		taps++
		return p[0] != 99 // the last: the reader's
	})
	const n = 30
	for i := range n {
		if _, err := txs[i%2].WriteToUDPAddrPort([]byte{byte(i), 1, 2, 3}, addrOf(rx)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := txs[0].WriteToUDPAddrPort([]byte{99, 1, 2, 3}, addrOf(rx)); err != nil {
		t.Fatal(err)
	}
	rx.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 16)
	k, from, err := rx.ReadFromAddrPort(buf)
	if err != nil {
		t.Fatal(err)
	}
	if k != 4 || buf[0] != 99 || from != addrOf(txs[0]) {
		t.Fatalf("the reader got %v from %v, want the last datagram", buf[:k], from)
	}
	if taps != n+1 || warms == 0 || warms > taps {
		t.Fatalf("%d warms, %d taps; want 1 to %d warms and %d taps", warms, taps, n+1, n+1)
	}
	t.Logf("%d datagrams in %d batches", taps, warms)
}
