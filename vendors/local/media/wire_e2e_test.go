package media_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	lc "github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/local/media"
	"github.com/agentty/agentty/vendors/local/sim"
)

// The centre's callback and recording wiring, end to end: real WebSocket
// clients with real WebRTC phones whose devices play tones.

// newWiredCentre is a centre whose group sales records as record says,
// into dir, with the media layer's reports also copied to reports.
func newWiredCentre(t *testing.T, record string, reports chan recEvent) (c *centre, dir string) {
	t.Helper()
	data := t.TempDir()
	dir = filepath.Join(data, "recordings")
	if err := lc.SetGroup(data, lc.GroupSpec{ID: "sales", Record: record, WrapUp: time.Second}); err != nil {
		t.Fatal(err)
	}
	link := &lc.RecordingLink{}
	parties := sim.NewPhones(sim.PhonesConfig{Prompt: "Hello", Loopback: true}).Open
	m, err := media.New(media.Config{Loopback: true, Recordings: dir, Parties: parties, OnRecording: func(id, path string, on bool, err error) {
		link.Report(id, path, on, err)
		select {
		case reports <- recEvent{id, path, on, err}:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := lc.NewServer(lc.ServerConfig{DataDir: data, Listen: "127.0.0.1:0", Media: m, Recordings: link})
	if err != nil {
		m.Close()
		t.Fatal(err)
	}
	url, err := srv.Start()
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &centre{t: t, srv: srv, media: m, url: url}, dir
}

func recMark(on bool) func(session.State) bool {
	return func(st session.State) bool {
		for _, c := range st.Calls {
			if c.Recording == on && (on || !c.Answered.IsZero()) {
				return true
			}
		}
		return false
	}
}

// hears checks that p's speaker carries hz: a full half second of it
// within three seconds.
func hears(t *testing.T, who string, d *tap, hz float64) {
	t.Helper()
	// Within three seconds: a leg that just connected may start a little late.
	var a float64
	for range 6 {
		if a = toneAmp(d.window(t, 0, 500*time.Millisecond), hz); a >= 0.15 {
			break
		}
	}
	t.Logf("%s hears %.0f Hz at %.3f", who, hz, a)
	if a < 0.1 {
		t.Fatalf("%s hears %.0f Hz at %.3f", who, hz, a)
	}
}

// awaitOff waits for the media layer's report that path is off: paused
// (record off) or closed (the call's end) alike, so a test that pauses
// takes the pause's report before it waits for the close's.
func awaitOff(t *testing.T, reports chan recEvent, path string) {
	t.Helper()
	for {
		e := awaitRec(t, reports, "recording closed")
		if e.path == path && !e.on {
			if e.err != nil {
				t.Fatalf("recording ended with %v", e.err)
			}
			return
		}
	}
}

// TestCallbackRingsTheCallerBack: the kiosk waits, asks for a callback to
// its number and hangs up; the agent, ready later, is offered a callback
// with that number and the wait; answering rings the kiosk's session with
// that number, the kiosk answers and each hears the other's tone. The
// records say callback.
func TestCallbackRingsTheCallerBack(t *testing.T) {
	c, _ := newWiredCentre(t, "", make(chan recEvent, 16))
	const kioskHz, agentHz = 700.0, 1300.0
	agentDev, kioskDev := newTap(nil, agentHz), newTap(nil, kioskHz)
	opts := map[string]string{"codec": "pcmu"}
	agent := c.signIn(session.RoleAgent, "ana", agentDev, opts, nil)
	kiosk := c.signIn(session.RoleKiosk, "lobby", kioskDev, opts, nil)
	agent.MustDo("checkin")
	kiosk.MustDo("call")
	kiosk.WaitFor("queued", func(st session.State) bool { return st.Queue.Waiting })
	kiosk.MustDo("callback +15550100")
	kiosk.WaitFor("callback booked", func(st session.State) bool {
		return st.Callback.Booked && st.Callback.Number == "+15550100" && len(st.Calls) == 0
	})
	agent.WaitFor("the board shows the callback", func(st session.State) bool {
		return len(st.Queues) == 1 && st.Queues[0].Callbacks == 1
	})
	agent.MustDo("ready")
	agent.WaitFor("callback offered", func(st session.State) bool {
		r, ok := st.Ringing()
		return ok && r.Callback && r.From == "+15550100"
	})
	agent.MustDo("answer")
	agent.WaitFor("dialling the caller", func(st session.State) bool {
		return len(st.Calls) == 1 && st.Calls[0].Phase == session.PhaseDialing && st.Calls[0].To == "+15550100"
	})
	kiosk.WaitFor("the kiosk rung back", func(st session.State) bool {
		r, ok := st.Ringing()
		return ok && r.Callback && r.To == "+15550100" && !st.Callback.Booked
	})
	kiosk.MustDo("answer")
	kiosk.WaitFor("kiosk talking", talking)
	agent.WaitFor("agent talking", talking)
	hears(t, "the agent", agentDev, kioskHz)
	hears(t, "the kiosk", kioskDev, agentHz)
	agent.MustDo("hangup")
	kiosk.WaitFor("call over", func(st session.State) bool { return len(st.Calls) == 0 })
	recs, err := c.srv.Store().Calls(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Disposition != "callback" || recs[1].Disposition != "answered" ||
		recs[1].Note != "callback" || recs[1].From != "+15550100" || recs[1].Agent != "ana" {
		t.Fatalf("records: %+v", recs)
	}
}

// TestCallbackDialsTheNumber: a kiosk books a callback to a number and
// goes away; the agent's answer dials that number (an external party, the
// centre's simulated phone, which says a prompt and then echoes what it
// hears), and the agent hears it over the call.
func TestCallbackDialsTheNumber(t *testing.T) {
	c, _ := newWiredCentre(t, "", make(chan recEvent, 16))
	const agentHz = 1300.0
	agentDev := newTap(nil, agentHz)
	opts := map[string]string{"codec": "pcmu"}
	agent := c.signIn(session.RoleAgent, "ana", agentDev, opts, nil)
	kiosk := c.signIn(session.RoleKiosk, "lobby", newTap(nil, 700), opts, nil)
	agent.MustDo("checkin")
	kiosk.MustDo("call")
	kiosk.WaitFor("queued", func(st session.State) bool { return st.Queue.Waiting })
	kiosk.MustDo("callback +34600111222")
	kiosk.WaitFor("callback booked", func(st session.State) bool { return st.Callback.Booked })
	kiosk.cl.Close() // the caller's kiosk is gone: the number is dialled
	agent.MustDo("ready")
	agent.WaitFor("callback offered", func(st session.State) bool {
		r, ok := st.Ringing()
		return ok && r.Callback && r.From == "+34600111222"
	})
	agent.MustDo("answer")
	agent.WaitFor("the number answers", talking)
	if call, _ := agent.State.Talking(); call.To != "+34600111222" {
		t.Fatalf("dialled %q", call.To)
	}
	// The number's phone says its prompt: the agent hears it. (Its echo
	// of the agent's tone a second later is logged, not asserted: the
	// echo crosses two jitter buffers and a transcode, and a loaded
	// machine smears it.)
	from := agentDev.mark()
	got := agentDev.await(t, from+samples(3*time.Second))[from:]
	loudest := 0.0
	for i := 0; i+samples(500e6) <= len(got); i += samples(500e6) {
		w := got[i : i+samples(500e6)]
		var e float64
		for _, x := range w {
			e += float64(x) * float64(x)
		}
		r := math.Sqrt(e/float64(len(w))) / 32768
		loudest = max(loudest, r)
		t.Logf("%.1f s: rms %.3f, the agent's %.0f Hz echoed at %.3f", float64(i)/48000, r, agentHz, toneAmp(w, agentHz))
	}
	if loudest < 0.02 {
		t.Fatalf("the agent hears nothing from the number called back (loudest rms %.3f)", loudest)
	}
	agent.MustDo("hangup")
	recs, err := c.srv.Store().Calls(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if last := recs[len(recs)-1]; last.From != "+34600111222" || last.Note != "callback" || last.Disposition != "answered" {
		t.Fatalf("record: %+v", last)
	}
}

// TestRecordingOnDemand: record on shows REC on both panels and the file
// holds the kiosk's tone left and the agent's right; record off clears the
// mark; agentty calls shows the file.
func TestRecordingOnDemand(t *testing.T) {
	reports := make(chan recEvent, 16)
	c, dir := newWiredCentre(t, "on-demand", reports)
	const kioskHz, agentHz = 700.0, 1300.0
	agentDev, kioskDev := newTap(nil, agentHz), newTap(nil, kioskHz)
	opts := map[string]string{"codec": "pcmu"}
	agent := c.signIn(session.RoleAgent, "ana", agentDev, opts, nil)
	kiosk := c.signIn(session.RoleKiosk, "lobby", kioskDev, opts, nil)
	connect(t, kiosk, agent)
	// Talking on both panels does not mean the media flows yet: a leg
	// is recorded from its first packet on.
	hears(t, "the agent", agentDev, kioskHz)
	hears(t, "the kiosk", kioskDev, agentHz)
	if err := kiosk.Do("record on"); err == nil {
		t.Fatal("a kiosk started a recording")
	}
	agent.MustDo("record on")
	agent.WaitFor("REC on the agent's panel", recMark(true))
	kiosk.WaitFor("REC on the kiosk's panel", recMark(true))
	call, _ := agent.State.Talking()
	path := filepath.Join(dir, call.ID+".wav")
	agentDev.await(t, agentDev.mark()+samples(time.Second))
	agent.MustDo("record off")
	agent.WaitFor("REC off", recMark(false))
	kiosk.WaitFor("REC off on the kiosk", recMark(false))
	awaitOff(t, reports, path) // paused: the file's header is written at its close
	agent.MustDo("hangup")
	awaitOff(t, reports, path)
	left, right := readWAV(t, path)
	checkChannels(t, left, right, kioskHz, agentHz)
	recs, err := c.srv.Store().Calls(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := lc.WriteCalls(&out, recs, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), path) {
		t.Fatalf("agentty calls does not show %s:\n%s", path, out.String())
	}
}

// TestRecordingAlwaysAcrossATransfer: a group that always records starts
// at the answer, refuses record off, and keeps one file across a transfer:
// the right channel holds the first agent's tone, then the second's, the
// left the kiosk's throughout; the second agent's panel gets the REC mark.
func TestRecordingAlwaysAcrossATransfer(t *testing.T) {
	reports := make(chan recEvent, 16)
	c, dir := newWiredCentre(t, "always", reports)
	const kioskHz, anaHz, boHz = 700.0, 1300.0, 1900.0
	anaDev, boDev, kioskDev := newTap(nil, anaHz), newTap(nil, boHz), newTap(nil, kioskHz)
	opts := map[string]string{"codec": "pcmu"}
	ana := c.signIn(session.RoleAgent, "ana", anaDev, opts, nil)
	bo := c.signIn(session.RoleAgent, "bo", boDev, opts, nil)
	kiosk := c.signIn(session.RoleKiosk, "lobby", kioskDev, opts, nil)
	connect(t, kiosk, ana)
	ana.WaitFor("REC at the answer", recMark(true))
	kiosk.WaitFor("REC on the kiosk", recMark(true))
	if err := ana.Do("record off"); err == nil {
		t.Fatal("record off accepted in a group that always records")
	}
	call, _ := ana.State.Talking()
	path := filepath.Join(dir, call.ID+".wav")
	hears(t, "ana", anaDev, kioskHz)
	hears(t, "the kiosk", kioskDev, anaHz)
	anaDev.await(t, anaDev.mark()+samples(time.Second))
	bo.MustDo("checkin")
	bo.MustDo("ready")
	ana.MustDo("transfer agent:bo")
	bo.WaitFor("bo rung", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	bo.MustDo("answer")
	bo.WaitFor("REC on bo's panel", recMark(true))
	boDev.await(t, boDev.mark()+samples(time.Second))
	bo.MustDo("hangup")
	awaitOff(t, reports, path)
	left, right := readWAV(t, path)
	n := len(left)
	checkChannels(t, left[:n/3], right[:n/3], kioskHz, anaHz)
	checkChannels(t, left[2*n/3:], right[2*n/3:], kioskHz, boHz)
}

// TestRecordingFullDiskWarns: the recording's file is /dev/full: both
// panels get a warning with the REC mark off, and the call goes on.
func TestRecordingFullDiskWarns(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	c, dir := newWiredCentre(t, "on-demand", make(chan recEvent, 16))
	agentDev, kioskDev := newTap(nil, 1300), newTap(nil, 700)
	opts := map[string]string{"codec": "pcmu"}
	agent := c.signIn(session.RoleAgent, "ana", agentDev, opts, nil)
	kiosk := c.signIn(session.RoleKiosk, "lobby", kioskDev, opts, nil)
	connect(t, kiosk, agent)
	call, _ := agent.State.Talking()
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/full", filepath.Join(dir, call.ID+".wav")); err != nil {
		t.Fatal(err)
	}
	agent.MustDo("record on")
	full := func(st session.State) bool {
		c, ok := st.Talking()
		return ok && !c.Recording && strings.Contains(c.RecordError, "disk is full")
	}
	agent.WaitFor("a full-disk warning", full)
	kiosk.WaitFor("a full-disk warning on the kiosk", full)
	hears(t, "the agent after the disk filled", agentDev, 700)
}

func readWAV(t *testing.T, path string) (left, right []int16) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, left, right, err = media.ReadStereoWAV(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(left) < samples(500*time.Millisecond) {
		t.Fatalf("%s holds %d samples", path, len(left))
	}
	return left, right
}

// checkChannels wants the customer's tone left and the agent's right, each
// at least ten times the other in its channel.
func checkChannels(t *testing.T, left, right []int16, customerHz, agentHz float64) {
	t.Helper()
	q := len(left) / 4
	l, r := left[q:3*q], right[q:3*q]
	lc, la, rc, ra := toneAmp(l, customerHz), toneAmp(l, agentHz), toneAmp(r, customerHz), toneAmp(r, agentHz)
	t.Logf("%.2f s; left: customer %.3f agent %.3f; right: customer %.3f agent %.3f", float64(len(left))/48000, lc, la, rc, ra)
	if lc < 0.1 || la > lc/10 || ra < 0.1 || rc > ra/10 {
		t.Fatalf("want the customer's %.0f Hz left and the agent's %.0f Hz right", customerHz, agentHz)
	}
}

// TestRecordingRetention: the centre's housekeeping removes recordings
// older than RecordingRetention and keeps younger ones.
func TestRecordingRetention(t *testing.T) {
	data := t.TempDir()
	dir := filepath.Join(data, "recordings")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	old, young := filepath.Join(dir, "c1.wav"), filepath.Join(dir, "c2.wav")
	for _, p := range []string{old, young} {
		if err := os.WriteFile(p, []byte("RIFF"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	m, err := media.New(media.Config{Loopback: true, Recordings: dir,
		Parties: sim.NewPhones(sim.PhonesConfig{Loopback: true}).Open})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := lc.NewServer(lc.ServerConfig{DataDir: data, Listen: "127.0.0.1:0", Media: m, RecordingRetention: 24 * time.Hour})
	if err != nil {
		m.Close()
		t.Fatal(err)
	}
	defer srv.Close()
	srv.Housekeep()
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("a 48 h old recording is still there (%v)", err)
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("a new recording was removed: %v", err)
	}
}
