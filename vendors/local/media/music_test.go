package media

import (
	"bytes"
	"slices"
	"testing"

	"github.com/agentty/agentty/audio"
)

// TestMusicTimeline: the relay's music goes on one frame per new slot,
// however far the slot jumps, never back; every listener of a slot gets
// the same frame and the same payload, encoded once.
func TestMusicTimeline(t *testing.T) {
	var want audio.MusicOnHold
	frames := make([][]int16, 3)
	for i := range frames {
		frames[i] = make([]int16, audio.FrameSamples)
		want.Fill(frames[i])
	}
	var m music
	defer m.close()
	got := make([]int16, audio.FrameSamples)
	for i, slot := range []int64{7, 8, 40} { // a jump: the music continues
		m.frame(slot, got)
		if !slices.Equal(got, frames[i]) {
			t.Fatalf("slot %d: not the music's frame %d", slot, i)
		}
	}
	m.frame(39, got) // a mixer a slot behind: the newest frame, no step back
	if !slices.Equal(got, frames[2]) {
		t.Fatal("an older slot moved the music")
	}

	a, b := make([]byte, audio.MaxPayload), make([]byte, audio.MaxPayload)
	na, ok := m.encoded(41, audio.NamePCMU, a)
	if want := int(audio.FrameTicks(8000)); !ok || na != want {
		t.Fatalf("PCMU music: %d bytes, ok %v; want %d", na, ok, want)
	}
	nb, _ := m.encoded(41, audio.NamePCMU, b)
	if !bytes.Equal(a[:na], b[:nb]) {
		t.Fatal("two listeners of one slot got different payloads")
	}
	if e := m.encs[audio.NamePCMU]; e == nil || e.slot != 41 {
		t.Fatalf("encoder state %+v, want slot 41", e)
	}
	nb, _ = m.encoded(42, audio.NamePCMU, b)
	if bytes.Equal(a[:na], b[:nb]) {
		t.Fatal("the next slot's payload is the same as this one's")
	}
	if _, ok := m.encoded(43, "G729", b); ok {
		t.Fatal("a codec the relay cannot encode gave music")
	}
}
