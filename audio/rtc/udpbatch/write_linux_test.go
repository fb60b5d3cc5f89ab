package udpbatch

import (
	"testing"
	"time"
)

// TestWritesDoNotTakeTheDescriptorsLock: a write goes out while another
// holds the net package's write lock on the socket (here a RawConn.Write
// that has not returned): the writers of a shared socket do not queue
// behind each other. Through the net package the write would wait for
// the lock.
func TestWritesDoNotTakeTheDescriptorsLock(t *testing.T) {
	tx, rx := listen(t), listen(t)
	rc, err := tx.c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	holding, release, released := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(released)
		rc.Write(func(uintptr) bool {
			close(holding)
			<-release
			return true
		})
	}()
	<-holding
	wrote := make(chan error, 1)
	go func() {
		_, err := tx.WriteToAddrPort([]byte("past the lock"), addrOf(rx))
		wrote <- err
	}()
	select {
	case err := <-wrote:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(10 * time.Second):
		t.Error("the write waited for the descriptor's write lock")
	}
	close(release)
	<-released
	buf := make([]byte, 100)
	rx.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, _, err := rx.ReadFromAddrPort(buf); err != nil || string(buf[:n]) != "past the lock" {
		t.Fatalf("read %q, %v", buf[:n], err)
	}
}

// TestWriteAllocatesNothing: a write makes no garbage (the socket
// address is built on the stack).
func TestWriteAllocatesNothing(t *testing.T) {
	tx, rx := listen(t), listen(t)
	p, to := make([]byte, 172), addrOf(rx)
	if a := testing.AllocsPerRun(100, func() { tx.WriteToAddrPort(p, to) }); a != 0 {
		t.Errorf("%.1f allocations a write", a)
	}
}

// TestQueueAllocatesNothing: queueing and sending a batch makes no
// garbage either.
func TestQueueAllocatesNothing(t *testing.T) {
	tx, rx := listen(t), listen(t)
	q, to := newQueue(), addrOf(rx)
	if a := testing.AllocsPerRun(100, func() {
		for range 8 {
			q.Add(tx, append(q.Buffer(), make([]byte, 172)...), to)
		}
		q.flush()
	}); a != 0 {
		t.Errorf("%.1f allocations a batch", a)
	}
	if s := tx.Stats(); s.Queued == 0 || s.WriteErrs != 0 {
		t.Fatalf("stats %+v", s)
	}
}
