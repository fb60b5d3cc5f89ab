//go:build unix

package contacts

import (
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
