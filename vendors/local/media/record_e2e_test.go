package media_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/media"
)

type recEvent struct {
	id, path string
	on       bool
	err      error
}

func awaitRec(t *testing.T, ch chan recEvent, what string) recEvent {
	t.Helper()
	select {
	case e := <-ch:
		return e
	case <-time.After(wait):
		t.Fatalf("no recording event: %s", what)
		return recEvent{}
	}
}

// TestRecordingThroughTheCentre: the kiosk sends one tone, the agent
// another, over real WebSockets and WebRTC; the centre's recording holds
// the kiosk's in the left channel and the agent's in the right, record off
// stops the writing, and the file is closed when the call ends.
func TestRecordingThroughTheCentre(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "recordings")
	evs := make(chan recEvent, 8)
	c := newCentre(t, media.Config{Recordings: dir, OnRecording: func(id, path string, on bool, err error) {
		evs <- recEvent{id, path, on, err}
	}})
	const kioskHz, agentHz = 700.0, 1300.0
	agentDev, kioskDev := newTap(nil, agentHz), newTap(nil, kioskHz)
	opts := map[string]string{"codec": "pcmu"}
	agent := c.signIn(session.RoleAgent, "ana", agentDev, opts, nil)
	kiosk := c.signIn(session.RoleKiosk, "lobby", kioskDev, opts, nil)
	connect(t, kiosk, agent)
	call, _ := agent.State.Talking()
	agentDev.await(t, agentDev.mark()+samples(200e6))

	c.media.Record(call.ID, true)
	on := awaitRec(t, evs, "on")
	if !on.on || on.err != nil || on.path != filepath.Join(dir, call.ID+".wav") {
		t.Fatalf("record on: %+v", on)
	}
	agentDev.await(t, agentDev.mark()+samples(time.Second))
	c.media.Record(call.ID, false)
	if off := awaitRec(t, evs, "off"); off.on || off.err != nil {
		t.Fatalf("record off: %+v", off)
	}
	// Past the mixer's tick in flight: the size stays put while off.
	agentDev.await(t, agentDev.mark()+samples(100e6))
	st1, err := os.Stat(on.path)
	if err != nil {
		t.Fatal(err)
	}
	agentDev.await(t, agentDev.mark()+samples(500e6))
	st2, _ := os.Stat(on.path)
	if st2.Size() != st1.Size() {
		t.Fatalf("record off: file grew from %d to %d bytes", st1.Size(), st2.Size())
	}
	agent.MustDo("hangup")
	if end := awaitRec(t, evs, "closed"); end.on || end.err != nil || end.path != on.path {
		t.Fatalf("call end: %+v", end)
	}
	b, err := os.ReadFile(on.path)
	if err != nil {
		t.Fatal(err)
	}
	_, left, right, err := media.ReadStereoWAV(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	secs := float64(len(left)) / 48000
	if secs < 0.8 || secs > 1.6 {
		t.Fatalf("recorded %.2f s, want about 1 s", secs)
	}
	mid := len(left) / 4
	l, r := left[mid:3*mid], right[mid:3*mid]
	lk, la, rk, ra := toneAmp(l, kioskHz), toneAmp(l, agentHz), toneAmp(r, kioskHz), toneAmp(r, agentHz)
	t.Logf("%.2f s; left: kiosk %.3f agent %.3f; right: kiosk %.3f agent %.3f", secs, lk, la, rk, ra)
	if lk < 0.1 || la > lk/10 || ra < 0.1 || rk > ra/10 {
		t.Fatal("want the kiosk's tone left and the agent's right")
	}
}

// TestRecordingFullDiskKeepsTheCall: the recording's file is /dev/full;
// recording ends with an error event, the call goes on.
func TestRecordingFullDiskKeepsTheCall(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	dir := t.TempDir()
	evs := make(chan recEvent, 8)
	c := newCentre(t, media.Config{Recordings: dir, OnRecording: func(id, path string, on bool, err error) {
		evs <- recEvent{id, path, on, err}
	}})
	agentDev, kioskDev := newTap(nil, 1300), newTap(nil, 700)
	opts := map[string]string{"codec": "pcmu"}
	agent := c.signIn(session.RoleAgent, "ana", agentDev, opts, nil)
	kiosk := c.signIn(session.RoleKiosk, "lobby", kioskDev, opts, nil)
	connect(t, kiosk, agent)
	call, _ := agent.State.Talking()
	if err := os.Symlink("/dev/full", filepath.Join(dir, call.ID+".wav")); err != nil {
		t.Fatal(err)
	}
	c.media.Record(call.ID, true)
	if e := awaitRec(t, evs, "error"); e.on || e.err == nil {
		t.Fatalf("want an error event, got %+v", e)
	}
	// The call goes on: the agent still hears the kiosk's tone.
	agentDev.await(t, agentDev.mark()+samples(200e6))
	from := agentDev.mark()
	heard := agentDev.await(t, from+samples(500e6))[from:]
	if a := toneAmp(heard, 700); a < 0.1 {
		t.Fatalf("after the recording failed the agent hears the kiosk at %.3f", a)
	}
	agent.Drain()
	if _, ok := agent.State.Talking(); !ok {
		t.Fatal("the call ended")
	}
}
