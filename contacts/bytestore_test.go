package contacts

import (
	"bytes"
	"testing"
)

// TestByteStore: strings come back as stored across chunk boundaries,
// empty strings, a chunk filled to the byte and strings of a chunk or more.
func TestByteStore(t *testing.T) {
	var st byteStore
	var want [][]byte
	add := func(s []byte) {
		if i := st.add(s); int(i) != len(want) {
			t.Fatalf("add returned %d, want %d", i, len(want))
		}
		want = append(want, s)
	}
	for i := 0; i < 3000; i++ {
		add(bytes.Repeat([]byte{byte('a' + i%26)}, i%700))
	}
	fill := storeChunk - 1 - len(st.chunks[len(st.chunks)-1])
	add(bytes.Repeat([]byte("f"), fill)) // fills the chunk to its last byte
	add(nil)
	add(bytes.Repeat([]byte("B"), storeChunk+5))
	add([]byte("after big"))
	add(bytes.Repeat([]byte("C"), bigSpan))
	add(nil)
	add(bytes.Repeat([]byte("D"), storeChunk-1))
	add([]byte("x"))
	if st.len() != len(want) {
		t.Fatalf("len %d, want %d", st.len(), len(want))
	}
	for i, w := range want {
		if got := st.get(uint32(i)); !bytes.Equal(got, w) {
			t.Fatalf("string %d: got %d bytes, want %d", i, len(got), len(w))
		}
	}
	// A string handed out cannot be appended to over its neighbour.
	s := st.get(0)
	_ = append(s, 'Z')
	if !bytes.Equal(st.get(1), want[1]) {
		t.Fatal("appending to a returned string overwrote the next one")
	}
}
