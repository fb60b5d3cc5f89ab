package udplatch

import (
	"net"
	"net/netip"
	"runtime"
	"testing"
	"time"
)

// datagram is one read from a socket.
type datagram struct {
	b    string
	from netip.AddrPort
}

// reader reads c (the way pion's candidate loop does) until it is closed
// and hands each datagram over; the channel closes at the first error.
func reader(read func([]byte) (int, netip.AddrPort, error)) <-chan datagram {
	ch := make(chan datagram, 4*Run)
	go func() {
		defer close(ch)
		buf := make([]byte, 1500)
		for {
			n, from, err := read(buf)
			if err != nil {
				return
			}
			ch <- datagram{string(buf[:n]), from}
		}
	}()
	return ch
}

func recv(t *testing.T, ch <-chan datagram, what string) datagram {
	t.Helper()
	select {
	case d, ok := <-ch:
		if !ok {
			t.Fatalf("%s: the reader ended", what)
		}
		return d
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: nothing within 5 s", what)
	}
	return datagram{}
}

type peer struct {
	c  *net.UDPConn
	ch <-chan datagram
}

func newPeer(t *testing.T) *peer {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &peer{c: c, ch: reader(c.ReadFromUDPAddrPort)}
}

func (p *peer) addr() netip.AddrPort { return p.c.LocalAddr().(*net.UDPAddr).AddrPort() }

func (p *peer) send(t *testing.T, to netip.AddrPort, b string) {
	t.Helper()
	if _, err := p.c.WriteToUDPAddrPort([]byte(b), to); err != nil {
		t.Fatal(err)
	}
}

type latched struct {
	n  *Net
	c  *Conn
	ch <-chan datagram
}

// listenLoopback opens a Conn on 127.0.0.1 through a new Net; it closes
// at the test's end.
func listenLoopback(tb testing.TB) (*Net, *Conn) {
	tb.Helper()
	n, err := NewNet()
	if err != nil {
		tb.Fatal(err)
	}
	uc, err := n.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		tb.Fatal(err)
	}
	c := uc.(*Conn)
	tb.Cleanup(func() { c.Close() })
	return n, c
}

func newLatched(t *testing.T) *latched {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("latching is Linux's")
	}
	n, c := listenLoopback(t)
	if c.never {
		t.Fatal("the port was the kernel's choice: this socket can never latch")
	}
	return &latched{n: n, c: c, ch: reader(c.ReadFromAddrPort)}
}

func (l *latched) addr() netip.AddrPort { return l.c.LocalAddr().(*net.UDPAddr).AddrPort() }

// write sends k datagrams to to, each received there.
func (l *latched) write(t *testing.T, p *peer, k int) {
	t.Helper()
	for i := range k {
		if _, err := l.c.WriteToAddrPort([]byte("m"), p.addr()); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		if d := recv(t, p.ch, "the peer's copy"); d.from != l.addr() {
			t.Fatalf("the peer got a datagram from %v, want %v", d.from, l.addr())
		}
	}
}

// latchTo makes l latch to p: p speaks, l writes a run.
func (l *latched) latchTo(t *testing.T, p *peer) {
	t.Helper()
	p.send(t, l.addr(), "hello")
	recv(t, l.ch, "the peer's hello")
	l.write(t, p, Run)
	if a, ok := l.c.Latched(); !ok || a != p.addr() {
		t.Fatalf("after %d writes: latched %v %v, want %v", Run, a, ok, p.addr())
	}
}

// TestLatchesAfterARun: Run writes to a peer that has spoken latch the
// socket to it, and the peer's datagrams still come in.
func TestLatchesAfterARun(t *testing.T) {
	l, p := newLatched(t), newPeer(t)
	l.write(t, p, Run+1)
	if _, ok := l.c.Latched(); ok {
		t.Fatal("latched to a peer that never spoke")
	}
	l.latchTo(t, p)
	p.send(t, l.addr(), "after")
	if d := recv(t, l.ch, "the peer after the latch"); d.b != "after" || d.from != p.addr() {
		t.Fatalf("read %q from %v", d.b, d.from)
	}
	l.write(t, p, Run)
	if _, ok := l.c.Latched(); !ok {
		t.Fatal("unlatched from a peer that spoke")
	}
	if st := l.n.Stats(); st.Latches != 1 || st.Unlatches != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// TestWriteElsewhereUnlatches: a write to another address unlatches
// first, goes out from the same port, and that address is heard again;
// the first peer still reaches the socket on its port.
func TestWriteElsewhereUnlatches(t *testing.T) {
	l, p, q := newLatched(t), newPeer(t), newPeer(t)
	port := l.addr()
	l.latchTo(t, p)
	if _, err := l.c.WriteToAddrPort([]byte("check"), q.addr()); err != nil {
		t.Fatal(err)
	}
	if d := recv(t, q.ch, "the other address"); d.from != port {
		t.Fatalf("the other address got it from %v, want %v (the port changed)", d.from, port)
	}
	if _, ok := l.c.Latched(); ok {
		t.Fatal("still latched after a write elsewhere")
	}
	q.send(t, port, "answer")
	if d := recv(t, l.ch, "the other address's answer"); d.b != "answer" {
		t.Fatalf("read %q", d.b)
	}
	p.send(t, port, "still here")
	if d := recv(t, l.ch, "the first peer"); d.b != "still here" {
		t.Fatalf("read %q", d.b)
	}
	if st := l.n.Stats(); st.Unlatches != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// TestSilentPeerUnlatches: Run writes to the latched peer with nothing
// back unlatch (a datagram from elsewhere then comes in); the socket does
// not latch again until something is read.
func TestSilentPeerUnlatches(t *testing.T) {
	l, p, q := newLatched(t), newPeer(t), newPeer(t)
	l.latchTo(t, p)
	l.write(t, p, Run)
	if _, ok := l.c.Latched(); ok {
		t.Fatalf("still latched after %d writes with nothing back", Run)
	}
	l.write(t, p, 2*Run)
	if _, ok := l.c.Latched(); ok {
		t.Fatal("latched again to a peer that is still silent")
	}
	q.send(t, l.addr(), "from elsewhere")
	if d := recv(t, l.ch, "a datagram from elsewhere"); d.from != q.addr() {
		t.Fatalf("read from %v", d.from)
	}
	l.write(t, p, Run)
	if a, ok := l.c.Latched(); !ok || a != p.addr() {
		t.Fatalf("not latched again once something was read: %v %v", a, ok)
	}
}

// TestRefusedIsHidden: a latched peer's socket closes; the ICMP errors
// the connected socket then reports end neither the writes nor the read
// loop, and once the silence has unlatched the socket a new peer is heard.
func TestRefusedIsHidden(t *testing.T) {
	l, p, q := newLatched(t), newPeer(t), newPeer(t)
	l.latchTo(t, p)
	to := p.addr()
	p.c.Close()
	for i := range Run {
		if _, err := l.c.WriteToAddrPort([]byte("gone"), to); err != nil {
			t.Fatalf("write %d to a closed port: %v", i, err)
		}
	}
	if _, ok := l.c.Latched(); ok {
		t.Fatal("still latched to a closed port")
	}
	q.send(t, l.addr(), "new")
	if d := recv(t, l.ch, "a new peer after the refusals"); d.b != "new" {
		t.Fatalf("read %q", d.b)
	}
	if st := l.n.Stats(); st.Refused == 0 {
		t.Fatalf("no refusal counted: %+v", st)
	}
}

// TestTapTakesDatagrams checks that what the tap takes never reaches the
// reader, that the rest does, in order, and that a Net finds its Conns
// by local address until they close.
func TestTapTakesDatagrams(t *testing.T) {
	n, c := listenLoopback(t)
	taken := make(chan datagram, 8)
	n.SetTap(func(tc *Conn, p []byte, from netip.AddrPort) bool {
		if tc != c || len(p) == 0 || p[0] != 'x' {
			return false
		}
		taken <- datagram{string(p), from}
		return true
	})
	ch := reader(c.ReadFromAddrPort)
	p := newPeer(t)
	local := c.LocalAddr().(*net.UDPAddr).AddrPort()
	for _, b := range []string{"a1", "x1", "a2", "x2"} {
		p.send(t, local, b)
	}
	for _, want := range []string{"a1", "a2"} {
		if d := recv(t, ch, "reader"); d.b != want {
			t.Fatalf("reader got %q, want %q", d.b, want)
		}
	}
	for _, want := range []string{"x1", "x2"} {
		if d := recv(t, taken, "tap"); d.b != want || d.from != p.addr() {
			t.Fatalf("tap got %q from %v, want %q from %v", d.b, d.from, want, p.addr())
		}
	}
	n.SetTap(nil)
	p.send(t, local, "x3")
	if d := recv(t, ch, "reader after the tap went"); d.b != "x3" {
		t.Fatalf("reader got %q, want x3", d.b)
	}
	if got, ok := n.Conn(local); !ok || got != c {
		t.Fatalf("Conn(%v) = %v, %v; want the Conn", local, got, ok)
	}
	c.Close()
	if _, ok := n.Conn(local); ok {
		t.Fatal("a closed Conn is still found")
	}
}
