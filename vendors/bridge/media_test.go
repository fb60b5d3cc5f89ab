package bridge

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/agentty/agentty/audio/device"
)

var testKey = bytes.Repeat([]byte{7}, 16)

func frameOf(key []byte, seq uint16, ts uint32, first int16) []byte {
	b := make([]byte, frameBytes)
	copy(b, key)
	binary.BigEndian.PutUint16(b[16:], seq)
	binary.BigEndian.PutUint32(b[18:], ts)
	binary.LittleEndian.PutUint16(b[frameHeader:], uint16(first))
	return b
}

func TestParseFrame(t *testing.T) {
	seq, ts, pcm, err := parseFrame(frameOf(testKey, 9, 8640, -3), testKey)
	if err != nil || seq != 9 || ts != 8640 || len(pcm) != device.FrameSamples || pcm[0] != -3 {
		t.Fatalf("seq %d ts %d pcm[0] %v err %v", seq, ts, pcm[:1], err)
	}
	bad := bytes.Repeat([]byte{8}, 16)
	for name, b := range map[string][]byte{
		"wrong secret": frameOf(bad, 1, 1, 1),
		"short":        frameOf(testKey, 1, 1, 1)[:frameBytes-1],
		"long":         append(frameOf(testKey, 1, 1, 1), 0),
		"empty":        nil,
	} {
		if _, _, _, err := parseFrame(b, testKey); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzParseFrame: any binary message from the page is a frame or an error,
// never a panic; a frame keeps its fields.
func FuzzParseFrame(f *testing.F) {
	f.Add(frameOf(testKey, 1, 960, 100))
	f.Add([]byte{})
	f.Add(frameOf(testKey, 1, 960, 100)[:40])
	f.Fuzz(func(t *testing.T, b []byte) {
		seq, ts, pcm, err := parseFrame(b, testKey)
		if err != nil {
			return
		}
		if len(pcm) != device.FrameSamples || seq != binary.BigEndian.Uint16(b[16:]) || ts != binary.BigEndian.Uint32(b[18:]) {
			t.Fatalf("frame misread")
		}
	})
}
