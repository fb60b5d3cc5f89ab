package udpbatch

import (
	"bytes"
	"net"
	"net/netip"
	"runtime"
	"testing"
	"time"
)

// TestTapQueue: a relay's tap forwards each datagram it takes through the
// queue, on its own socket and on another; the queue sends them when the
// tap has seen the batch, or before the reader gets a datagram, in order,
// in fewer system calls than datagrams on Linux. A full queue is sent
// before more is queued, and what was built outside Buffer is copied.
func TestTapQueue(t *testing.T) {
	relay, other := listen(t), listen(t)
	phone, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer phone.Close()
	far, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer far.Close()
	relay.SetTap(func(p []byte, from netip.AddrPort, q *Queue) bool {
		if p[0] == 255 { // the reader's
			return false
		}
		// Forward to far twice: once on relay itself, built in the
		// queue's buffer, once on other from a slice of the tap's own.
		q.Add(relay, append(append(q.Buffer(), 'r'), p...), addrOf(far))
		q.Add(other, append([]byte{'o'}, p...), addrOf(far))
		return true
	})
	const n = 40 // 80 forwards: more than a queue holds when the batch is one read
	for i := range n {
		if _, err := phone.WriteToUDPAddrPort([]byte{byte(i), 1, 2, 3}, addrOf(relay)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := phone.WriteToUDPAddrPort([]byte{255}, addrOf(relay)); err != nil {
		t.Fatal(err)
	}
	relay.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 16)
	if k, _, err := relay.ReadFromAddrPort(buf); err != nil || k != 1 || buf[0] != 255 {
		t.Fatalf("the reader got %v, %v; want the last datagram", buf[:k], err)
	}
	// Every forward was sent before the reader got its datagram.
	got := map[byte][]byte{}
	far.SetReadDeadline(time.Now().Add(5 * time.Second))
	for range 2 * n {
		k, from, err := far.ReadFromUDPAddrPort(buf)
		if err != nil {
			t.Fatalf("%d forwards arrived: %v", len(got['r'])+len(got['o']), err)
		}
		d := buf[:k]
		if k != 5 || (d[0] == 'r') != (from == addrOf(relay)) || (d[0] == 'o') != (from == addrOf(other)) {
			t.Fatalf("forward %v from %v", d, from)
		}
		got[d[0]] = append(got[d[0]], d[1])
	}
	for _, via := range []byte{'r', 'o'} {
		want := make([]byte, n)
		for i := range want {
			want[i] = byte(i)
		}
		if !bytes.Equal(got[via], want) {
			t.Errorf("forwards via %c arrived as %v, want %v", via, got[via], want)
		}
	}
	s := relay.Stats().Plus(other.Stats())
	if s.Writes != 2*n || s.WriteErrs != 0 || s.Queued == 0 || s.Queued > s.Writes || s.QueueCalls > s.Queued {
		t.Fatalf("stats %+v: want %d writes, some of them queued", s, 2*n)
	}
	if runtime.GOOS == "linux" && s.QueueCalls >= s.Queued {
		t.Errorf("%d queued datagrams took %d system calls", s.Queued, s.QueueCalls)
	}
	t.Logf("%+v", s)
}

// TestQueueOnAClosedConn: what is queued for a Conn that has closed is
// counted as refused, and the reader goes on.
func TestQueueOnAClosedConn(t *testing.T) {
	relay, gone := listen(t), listen(t)
	phone, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer phone.Close()
	gone.Close()
	relay.SetTap(func(p []byte, from netip.AddrPort, q *Queue) bool {
		if p[0] == 1 {
			q.Add(gone, p, from)
			return true
		}
		return false
	})
	phone.WriteToUDPAddrPort([]byte{1}, addrOf(relay))
	phone.WriteToUDPAddrPort([]byte{2}, addrOf(relay))
	relay.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 4)
	if k, _, err := relay.ReadFromAddrPort(buf); err != nil || k != 1 || buf[0] != 2 {
		t.Fatalf("the reader got %v, %v", buf[:k], err)
	}
	if s := gone.Stats(); s.WriteErrs != 1 || s.Writes != 0 {
		t.Fatalf("the closed Conn's stats %+v, want 1 refused", s)
	}
}
