package bridge

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

// toneDevice is a paced microphone playing a tone and a paced speaker
// that hands every frame it plays to heard.
type toneDevice struct {
	tone     audio.Tone
	in, out  device.Pacer
	heard    chan []int16
	captured int
}

func newToneDevice(hz float64) *toneDevice {
	return &toneDevice{tone: audio.Tone{Freqs: []float64{hz}, Amplitude: 0.3},
		in: device.Pacer{On: true}, out: device.Pacer{On: true}, heard: make(chan []int16, 500)}
}

func (d *toneDevice) ReadFrame(ctx context.Context, f []int16) error {
	if err := d.in.Wait(ctx); err != nil {
		return err
	}
	d.tone.Fill(f)
	return nil
}

func (d *toneDevice) WriteFrame(ctx context.Context, f []int16) error {
	if err := d.out.Wait(ctx); err != nil {
		return err
	}
	select {
	case d.heard <- append([]int16(nil), f...):
	default:
	}
	return nil
}

func (d *toneDevice) Name() string        { return "tone" }
func (d *toneDevice) Stats() device.Stats { return device.Stats{} }
func (d *toneDevice) Close() error        { return nil }

// hears reports whether pcm holds hz far above another frequency.
func hears(pcm []int16, hz float64) bool {
	p := dtmf.Power(pcm, hz, device.SampleRate)
	q := dtmf.Power(pcm, hz*1.37, device.SampleRate)
	return audio.Measure(pcm).RMSDBFS > -30 && p > 100*q
}

// TestAudioThroughThePage: after a call is answered, a 1 kHz tone agentty
// sends as its microphone reaches the page's getUserMedia stream, the test
// page plays it back as the far end's stream on an audio element, and the
// page's tap brings it back to agentty's speaker, where Goertzel finds it.
// Levels and call.quality are reported as for the other backends.
func TestAudioThroughThePage(t *testing.T) {
	sdk, err := os.ReadFile("testdata/phonesdk/sdk.js")
	must(t, err)
	v := New(PhoneSDK(sdk, session.RoleAgent), map[string]string{"user": "8001"}, chromium(t), vendors.Config{})
	dev := newToneDevice(1000)
	v.OpenDevice = func() (device.Device, error) { return dev, nil }
	t.Cleanup(func() { v.Close() })
	open(t, v)
	var s session.State
	follow(t, v, &s, "rights", func(_ session.State, e session.Event) bool { return e.Type() == session.TypeAgentRights })
	ctx := ctx10(t)
	must(t, v.Post(ctx, wire.Call{Method: "ring"}))
	follow(t, v, &s, "ringing", func(st session.State, _ session.Event) bool { _, ok := st.Ringing(); return ok })
	must(t, v.Post(ctx, wire.Call{Method: "pickUp"}))
	follow(t, v, &s, "talking", func(st session.State, _ session.Event) bool { _, ok := st.Talking(); return ok })
	must(t, v.Post(ctx, wire.Call{Method: "loopAudio"}))

	deadline := time.After(15 * time.Second)
	dev.awaitTone(t, v, deadline, "the page")
	// The meters hold the latest frame's level; the speaker's may be a
	// prebuffer's silence at any one instant, so read them frame by frame.
	for l := v.StreamLevels(); l.Mic.PeakDBFS < -20 || l.Speaker.PeakDBFS < -30; l = v.StreamLevels() {
		select {
		case <-dev.heard:
		case <-deadline:
			t.Fatalf("levels %+v", l)
		}
	}
	follow(t, v, &s, "call.quality", func(_ session.State, e session.Event) bool {
		q, ok := e.(session.CallQuality)
		if ok {
			t.Logf("quality: %+v", q.Quality)
		}
		return ok && q.MOS > 1
	})
	st := v.MediaStats()
	t.Logf("media %+v, levels %+v", st, v.StreamLevels())
	if st.Sent == 0 || st.Received == 0 || st.Played == 0 || st.Refused != 0 {
		t.Errorf("media %+v", st)
	}
	must(t, v.Send(ctx, session.Command{Verb: session.VerbHangup, CallID: mustTalking(t, s)}))
	follow(t, v, &s, "ended", func(st session.State, _ session.Event) bool { return len(st.Recent) == 1 })
}

func mustTalking(t *testing.T, s session.State) string {
	t.Helper()
	c, ok := s.Talking()
	if !ok {
		t.Fatal("not talking")
	}
	return c.ID
}

// awaitTone waits, until deadline, for 200 ms of agentty's 1 kHz tone in
// a row on the device's speaker, coming back from where.
func (d *toneDevice) awaitTone(t *testing.T, v *Vendor, deadline <-chan time.Time, where string) {
	t.Helper()
	for run := 0; run < 10; {
		select {
		case f := <-d.heard:
			if hears(f, 1000) {
				run++
			} else {
				run = 0
			}
		case <-deadline:
			t.Fatalf("no 1 kHz tone back from %s; media %+v", where, v.MediaStats())
		}
	}
}
