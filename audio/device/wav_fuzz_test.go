package device

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// wav28 is the 28-byte file that made DecodeWAV panic: a fmt chunk whose
// size 0xFFFFFFFF wrapped to 0 once its pad byte was added.
func wav28() []byte {
	b := []byte("RIFF\x14\x00\x00\x00WAVEfmt \xff\xff\xff\xff")
	return append(b, make([]byte, 28-len(b))...)
}

func TestDecodeWAVHugeFmtChunk(t *testing.T) {
	if _, _, err := DecodeWAV(bytes.NewReader(wav28())); err == nil {
		t.Fatal("a fmt chunk of 0xFFFFFFFF bytes was accepted")
	}
}

func TestDecodeWAVHugeOtherChunk(t *testing.T) {
	b := []byte("RIFF\x14\x00\x00\x00WAVELIST\xff\xff\xff\xff")
	if _, _, err := DecodeWAV(bytes.NewReader(b)); err == nil {
		t.Fatal("a truncated 4 GiB LIST chunk was accepted")
	}
}

// FuzzDecodeWAV: any bytes give samples or an error, never a panic, and
// what WriteWAV's header wraps decodes back to the same samples.
func FuzzDecodeWAV(f *testing.F) {
	f.Add(wav28())
	var buf bytes.Buffer
	writeHeader(&buf, 8000, 3)
	binary.Write(&buf, binary.LittleEndian, []int16{1, -2, 3})
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		pcm, rate, err := DecodeWAV(bytes.NewReader(b))
		if err != nil {
			return
		}
		var out bytes.Buffer
		writeHeader(&out, rate, len(pcm))
		binary.Write(&out, binary.LittleEndian, pcm)
		pcm2, rate2, err := DecodeWAV(&out)
		if err != nil || rate2 != rate || len(pcm2) != len(pcm) {
			t.Fatalf("round trip: %v rate %d/%d len %d/%d", err, rate, rate2, len(pcm), len(pcm2))
		}
		for i := range pcm {
			if pcm[i] != pcm2[i] {
				t.Fatalf("sample %d: %d then %d", i, pcm[i], pcm2[i])
			}
		}
	})
}
