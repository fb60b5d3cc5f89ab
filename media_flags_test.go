package main

import (
	"testing"

	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/local"
)

// The media flags reach a backend typed (vendors.Config.Media), and the
// centre's client builds its phone from them, or none when media is off.
func TestMediaFlagsAreTyped(t *testing.T) {
	g := &globals{}
	root := newRoot(g)
	if err := root.ParseFlags([]string{"--mic", "USB", "--speaker-wav", "out.wav", "--codec", "pcmu"}); err != nil {
		t.Fatal(err)
	}
	want := vendors.Media{Mic: "USB", SpeakerWAV: "out.wav", Codec: "pcmu"}
	if got := g.mediaConfig(); got != want {
		t.Errorf("media %+v, want %+v", got, want)
	}
	if d := local.Devices(want); d.Mic != "USB" || d.SpeakerWAV != "out.wav" || d.Speaker != "" {
		t.Errorf("devices %+v", d)
	}
	for off, phone := range map[bool]bool{false: true, true: false} {
		v, err := vendors.New(local.Name, vendors.Config{Server: "ws://127.0.0.1:1", Token: "x", Media: vendors.Media{Codec: "pcmu", Off: off}})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := v.(*local.MediaClient); ok != phone {
			t.Errorf("media off=%v: %T", off, v)
		}
		v.Close()
	}
}
