//go:build unix

package contacts

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// mapFile maps the file at path read-only. The mapping is private and
// never written: a write through it would fault, not change the file.
// unmap releases it; nothing read from it may be used afterwards.
func mapFile(path string) (data []byte, unmap func() error, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := st.Size()
	if size <= 0 || size != int64(int(size)) {
		return nil, nil, fmt.Errorf("truncated: %d bytes", size)
	}
	data, err = syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, fmt.Errorf("map %s: %w", path, err)
	}
	return data, func() error { return syscall.Munmap(data) }, nil
}

// offHeapChunk returns size bytes of anonymous memory outside the Go heap
// (nil if the system refuses): a staging store of hundreds of MB there
// leaves the heap, its collection goal and the runtime's scavenging as
// they would be without it.
func offHeapChunk(size int) []byte {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	return b
}

// freeOffHeap releases a chunk that offHeapChunk returned.
func freeOffHeap(c []byte) { _ = syscall.Munmap(c) }

// dirLocked: lockDir locks (see Book.closeIndexWhile).
const dirLocked = true

// lockDir takes an exclusive lock on the book directory dir (on a file
// in it), held until unlock: a second Open of dir, in this process or
// another, fails meanwhile. The lock goes with the process.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.OpenFile(dir+string(os.PathSeparator)+lockName, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrInUse
		}
		return nil, fmt.Errorf("lock: %w", err)
	}
	return func() { f.Close() }, nil // closing the file releases the lock
}
