//go:build !unix

package contacts

import (
	"os"
	"unsafe"
)

// mapFile reads the file at path into memory, 8-byte aligned (no mapping
// on this system).
func mapFile(path string) (data []byte, unmap func() error, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	words := make([]uint64, (len(b)+7)/8)
	if len(words) > 0 {
		data = unsafe.Slice((*byte)(unsafe.Pointer(&words[0])), len(b))
		copy(data, b)
	}
	return data, func() error { return nil }, nil
}

// offHeapChunk: no anonymous mapping here; the chunks stay in the heap.
func offHeapChunk(size int) []byte { return nil }

func freeOffHeap(c []byte) {}

// dirLocked: lockDir does not lock (see Book.closeIndexWhile).
const dirLocked = false

// lockDir takes no lock on this system: a second Open of dir fails on
// bleve's lock alone.
func lockDir(dir string) (unlock func(), err error) { return func() {}, nil }
