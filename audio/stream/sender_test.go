package stream

import (
	"context"
	"testing"

	"github.com/agentty/agentty/audio/device"
)

// droppingSource reports capture drops as a sound card does.
type droppingSource struct{ drops uint64 }

func (d *droppingSource) ReadFrame(context.Context, []int16) error { return nil }
func (d *droppingSource) Stats() device.Stats                      { return device.Stats{CaptureDrops: d.drops} }

// TestTimestampsSkipDroppedCapture: audio the device dropped moves the RTP
// clock on by its length in the codec's clock, so timestamps stay the
// sampling times.
func TestTimestampsSkipDroppedCapture(t *testing.T) {
	src := &droppingSource{drops: 480} // drops before the call do not count
	o := NewSender(SenderConfig{Source: src})
	st := &sendState{f: Format{Codec: Codec{Clock: 8000}}, ts: 1000}
	o.skipDropped(st)
	if st.ts != 1000 {
		t.Fatalf("first read moved ts to %d", st.ts)
	}
	src.drops += 960 // 20 ms at 48 kHz
	o.skipDropped(st)
	if st.ts != 1160 {
		t.Fatalf("ts %d after 20 ms dropped, want 1160 (160 at 8 kHz)", st.ts)
	}
	o.skipDropped(st)
	if st.ts != 1160 {
		t.Fatalf("ts moved to %d with nothing dropped", st.ts)
	}
}
