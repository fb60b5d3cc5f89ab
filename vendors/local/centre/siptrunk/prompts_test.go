package siptrunk

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/store"
)

// TestWaitMinutesMatchesHumanize: the wait prompt chosen for an estimate
// says what the kiosk shows (session.Humanize) for every estimate up to
// three hours; an unknown estimate says nothing.
func TestWaitMinutesMatchesHumanize(t *testing.T) {
	for s := 0; s <= 3*3600; s += 7 {
		w := session.Secs(time.Duration(s) * time.Second)
		m, ok := waitMinutes(w)
		if !ok {
			t.Fatalf("%ds: unknown", s)
		}
		got := session.Humanize(session.Secs(time.Duration(m)*time.Minute), session.LangEnglish)
		if want := session.Humanize(w, session.LangEnglish); got != want {
			t.Fatalf("%ds: wait-%d.wav says %q, the kiosk %q", s, m, got, want)
		}
	}
	if _, ok := waitMinutes(session.Unknown); ok {
		t.Error("an unknown estimate picked a wait prompt")
	}
}

// TestClipsFor: the place's clip then the nearest wait clip; a place past
// the numbered ones says position-more; nothing for what is not given.
func TestClipsFor(t *testing.T) {
	clip := func(n int) []int16 { return []int16{int16(n)} }
	p := Prompts{Position: map[int][]int16{1: clip(1), 2: clip(2)}, PositionMore: clip(99),
		Wait: map[int][]int16{0: clip(100), 2: clip(102), 5: clip(105), 60: clip(160)}}
	min := func(m int) session.Seconds { return session.Secs(time.Duration(m) * time.Minute) }
	for _, tc := range []struct {
		pos  int
		wait session.Seconds
		want []int16
	}{
		{1, session.Unknown, []int16{1}},
		{2, session.Secs(20 * time.Second), []int16{2, 100}},
		{3, min(3), []int16{99, 102}},
		{0, min(4), []int16{105}},
		{1, min(7), []int16{1, 105}},
		{1, min(40), []int16{1, 160}},
		{1, min(300), []int16{1, 160}},
	} {
		var got []int16
		for _, c := range p.clipsFor(tc.pos, tc.wait) {
			got = append(got, c[0])
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("pos %d wait %v: %v, want %v", tc.pos, tc.wait, got, tc.want)
		}
	}
	if got := (&Prompts{Position: map[int][]int16{1: clip(1)}}).clipsFor(4, session.Unknown); len(got) != 0 {
		t.Errorf("no position-more: %d clips for place 4, want none", len(got))
	}
}

// writeTone writes secs of freq as a mono WAV at rate.
func writeTone(t *testing.T, path string, freq float64, secs float64, rate int) {
	t.Helper()
	pcm := make([]int16, int(secs*float64(rate)))
	(&audio.Tone{Freqs: []float64{freq}, Amplitude: 0.3, Rate: rate}).Fill(pcm)
	if err := device.WriteWAV(path, pcm, rate); err != nil {
		t.Fatal(err)
	}
}

// TestLoadPrompts: WAVs of any rate load at 48 kHz; a bad file, a name
// that is no prompt's and a directory without prompts are one-line
// errors naming the file.
func TestLoadPrompts(t *testing.T) {
	dir := t.TempDir()
	writeTone(t, filepath.Join(dir, "position-1.wav"), 900, 0.5, 8000)
	writeTone(t, filepath.Join(dir, "wait-3.wav"), 1300, 0.5, 16000)
	writeTone(t, filepath.Join(dir, "position-more.wav"), 1500, 0.5, 44100)
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("not a prompt"), 0o600); err != nil {
		t.Fatal(err)
	}
	music := filepath.Join(t.TempDir(), "music.wav")
	writeTone(t, music, 300, 1, 22050)
	p, err := LoadPrompts(PromptFiles{Dir: dir, Music: music})
	if err != nil {
		t.Fatal(err)
	}
	near := func(n, want int) bool { return n >= want-2*audio.FrameSamples && n <= want+2*audio.FrameSamples }
	if !near(len(p.Position[1]), audio.SampleRate/2) || !near(len(p.Wait[3]), audio.SampleRate/2) ||
		!near(len(p.PositionMore), audio.SampleRate/2) || !near(len(p.Music), audio.SampleRate) {
		t.Errorf("lengths %d %d %d %d, want about 24000, 24000, 24000, 48000", len(p.Position[1]), len(p.Wait[3]), len(p.PositionMore), len(p.Music))
	}
	if dtmf.Power(p.Position[1][:4800], 900, audio.SampleRate) < 0.001 {
		t.Error("position-1.wav lost its 900 Hz in resampling")
	}

	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "position-2.wav"), []byte("RIFF junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	zero := t.TempDir()
	writeTone(t, filepath.Join(zero, "position-0.wav"), 900, 0.1, 8000)
	for _, tc := range []struct {
		f    PromptFiles
		want string
	}{
		{PromptFiles{Dir: bad}, "position-2.wav"},
		{PromptFiles{Dir: empty}, empty},
		{PromptFiles{Dir: zero}, "position-0.wav"},
		{PromptFiles{Dir: "/nonexistent"}, "/nonexistent"},
		{PromptFiles{Music: "/nonexistent/m.wav"}, "/nonexistent/m.wav"},
		{PromptFiles{NoAgents: filepath.Join(dir, "README")}, "README"},
	} {
		_, err := LoadPrompts(tc.f)
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one line naming %s", tc.f, err, tc.want)
		}
	}
}

// Tone frequencies of the test prompts.
const (
	hzMusic = 300.0
	hzPos1  = 900.0
	hzPos2  = 1100.0
	hzNoAg  = 700.0
)

// heardSequence labels what dev recorded in 100 ms windows by the
// strongest of freqs (0: none above the floor) and returns the labels
// with runs collapsed.
func heardSequence(rec []int16, freqs ...float64) []float64 {
	const win = audio.SampleRate / 10
	var seq []float64
	for i := 0; i+win <= len(rec); i += win {
		best, bestP := 0.0, 0.002
		for _, f := range freqs {
			if p := dtmf.Power(rec[i:i+win], f, audio.SampleRate); p > bestP {
				best, bestP = f, p
			}
		}
		if best == 0 {
			continue // silence or a boundary
		}
		if len(seq) == 0 || seq[len(seq)-1] != best {
			seq = append(seq, best)
		}
	}
	return seq
}

// TestQueuePositionPromptsAndMusic: with prompts_dir and music WAVs
// (tones of distinct frequencies), a queued caller hears its place
// (position-1) first, then the operator's music (not the built-in
// music), then its place again after prompt_every; a second caller hears
// position-2 then the music. Checked by Goertzel on what the callers'
// RTP legs received.
func TestQueuePositionPromptsAndMusic(t *testing.T) {
	dir := t.TempDir()
	writeTone(t, filepath.Join(dir, "position-1.wav"), hzPos1, 0.8, 8000)
	writeTone(t, filepath.Join(dir, "position-2.wav"), hzPos2, 0.8, 16000)
	music := filepath.Join(t.TempDir(), "music.wav")
	writeTone(t, music, hzMusic, 1, 44100)
	p, err := LoadPrompts(PromptFiles{Dir: dir, Music: music, Every: 2500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	l := newLab(t, Config{NoAgents: NoAgentsQueue, Prompts: p})
	defer func() {
		if t.Failed() {
			l.log.dump(t)
		}
	}()
	a := l.agent("ana", 1400, "")
	a.MustDo("checkin sales") // checked in, not ready: callers wait
	a.WaitFor("checked in", func(st session.State) bool { return st.CheckedIn })

	c1 := newCaller(t, 600)
	if code, err := c1.dial(l.trunk.Addr(), "900", "+34600000011", nil); err != nil || code != 200 {
		t.Fatalf("dial: %d %v", code, err)
	}
	// position-1, music, position-1 again, music again.
	want := []float64{hzPos1, hzMusic, hzPos1, hzMusic}
	eventually(t, "caller 1 hears position-1, music, position-1, music", func() bool {
		return hasInOrder(heardSequence(c1.dev.Recorded(), hzMusic, hzPos1, hzPos2), want)
	})
	seq := heardSequence(c1.dev.Recorded(), hzMusic, hzPos1, hzPos2)
	if seq[0] != hzPos1 {
		t.Errorf("caller 1 heard %v first, want position-1 (%v Hz) on entry", seq, hzPos1)
	}
	if slices.Contains(seq, hzPos2) {
		t.Errorf("caller 1 heard position-2: %v", seq)
	}
	if hearsMusic(c1.dev) {
		t.Error("caller 1 hears the built-in music besides the operator's")
	}

	c2 := newCaller(t, 600)
	if code, err := c2.dial(l.trunk.Addr(), "900", "+34600000012", nil); err != nil || code != 200 {
		t.Fatalf("dial: %d %v", code, err)
	}
	eventually(t, "caller 2 hears position-2 then music", func() bool {
		return hasInOrder(heardSequence(c2.dev.Recorded(), hzMusic, hzPos1, hzPos2), []float64{hzPos2, hzMusic})
	})
	if seq := heardSequence(c2.dev.Recorded(), hzMusic, hzPos1, hzPos2); seq[0] != hzPos2 || slices.Contains(seq, hzPos1) {
		t.Errorf("caller 2 heard %v, want position-2 first and never position-1", seq)
	}
	c1.hangup()
	c2.hangup()
	eventually(t, "both abandoned", func() bool { return l.trunk.Stats().Outcomes["abandoned"] == 2 })
}

// hasInOrder reports whether want occurs in seq as a contiguous run.
func hasInOrder(seq, want []float64) bool {
	for i := 0; i+len(want) <= len(seq); i++ {
		if slices.Equal(seq[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

// TestNoAgentsPrompt: no_agents = "prompt" with a WAV: nobody is checked
// in, so the centre answers, the caller hears the prompt (its 700 Hz),
// then gets a BYE; the record says no_agents, ended by the system.
func TestNoAgentsPrompt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "closed.wav")
	writeTone(t, path, hzNoAg, 1.2, 8000)
	p, err := LoadPrompts(PromptFiles{NoAgents: path})
	if err != nil {
		t.Fatal(err)
	}
	l := newLab(t, Config{NoAgents: NoAgentsPrompt, Prompts: p})
	c := newCaller(t, 600)
	if code, err := c.dial(l.trunk.Addr(), "900", "+34600000013", nil); err != nil || code != 200 {
		t.Fatalf("dial: %d %v (want 200: the prompt is played)", code, err)
	}
	select {
	case <-c.bye:
	case <-timeout():
		t.Fatal("no BYE after the no-agents prompt")
	}
	if seq := heardSequence(c.dev.Recorded(), hzNoAg, 261.63, 392); !slices.Contains(seq, hzNoAg) {
		t.Errorf("the caller heard %v, want the prompt's %v Hz", seq, hzNoAg)
	}
	r := l.record("no_agents record", func(r store.CallRecord) bool { return r.Disposition == "no_agents" })
	if r.Channel != "sip" || r.From != "+34600000013" || r.EndedBy != string(session.BySystem) {
		t.Errorf("record %+v", r)
	}
	eventually(t, "no_agents counted", func() bool { return l.trunk.Stats().Outcomes["no_agents"] == 1 })
}

// TestNoAgentsPromptBuiltIn: without a WAV the built-in spoken prompt (or
// a tone without espeak-ng) is played: the caller hears sound, then a
// BYE, and the record says no_agents.
func TestNoAgentsPromptBuiltIn(t *testing.T) {
	l := newLab(t, Config{NoAgents: NoAgentsPrompt})
	c := newCaller(t, 600)
	if code, err := c.dial(l.trunk.Addr(), "900", "+34600000014", nil); err != nil || code != 200 {
		t.Fatalf("dial: %d %v", code, err)
	}
	select {
	case <-c.bye:
	case <-timeout():
		t.Fatal("no BYE after the built-in no-agents prompt")
	}
	loud := 0
	rec := c.dev.Recorded()
	for _, s := range rec {
		if s > 1000 || s < -1000 {
			loud++
		}
	}
	if loud < audio.SampleRate/4 {
		t.Errorf("the caller heard %d loud samples of %d, want the spoken prompt", loud, len(rec))
	}
	l.record("no_agents record", func(r store.CallRecord) bool { return r.Disposition == "no_agents" })
}

// TestHoldPlaysOperatorMusic: the operator's music WAV is also what a SIP
// caller hears while the agent holds it (not the built-in music).
func TestHoldPlaysOperatorMusic(t *testing.T) {
	music := filepath.Join(t.TempDir(), "music.wav")
	writeTone(t, music, hzMusic, 1, 16000)
	p, err := LoadPrompts(PromptFiles{Music: music})
	if err != nil {
		t.Fatal(err)
	}
	l := newLab(t, Config{Prompts: p})
	a := l.agent("ana", 1400, "")
	a.goReady()
	c := newCaller(t, 600)
	if code, err := c.dial(l.trunk.Addr(), "900", "+34600000015", nil); err != nil || code != 200 {
		t.Fatalf("dial: %d %v", code, err)
	}
	a.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	a.MustDo("answer")
	eventually(t, "caller hears the agent", func() bool { return hears(c.dev, 1400) })
	a.MustDo("hold")
	eventually(t, "caller hears the operator's music on hold", func() bool { return hears(c.dev, hzMusic) && !hears(c.dev, 1400) })
	if hearsMusic(c.dev) {
		t.Error("the built-in music plays besides the operator's")
	}
	a.MustDo("retrieve")
	eventually(t, "caller hears the agent again", func() bool { return hears(c.dev, 1400) && !hears(c.dev, hzMusic) })
	c.hangup()
}

// TestQueueWaitPrompt: once the group has handled three calls the ACD
// knows a wait; with the only agent busy on a fourth, a fifth caller
// hears its place (position-1), then its humanized wait (a few hundred
// milliseconds of handle time: under a minute, wait-0.wav), then music.
func TestQueueWaitPrompt(t *testing.T) {
	const hzWait0 = 1300.0
	dir := t.TempDir()
	writeTone(t, filepath.Join(dir, "position-1.wav"), hzPos1, 0.8, 8000)
	writeTone(t, filepath.Join(dir, "wait-0.wav"), hzWait0, 0.8, 8000)
	writeTone(t, filepath.Join(dir, "wait-5.wav"), 1700, 0.8, 8000)
	music := filepath.Join(t.TempDir(), "music.wav")
	writeTone(t, music, hzMusic, 1, 8000)
	p, err := LoadPrompts(PromptFiles{Dir: dir, Music: music, Every: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	l := newLab(t, Config{Prompts: p})
	defer func() {
		if t.Failed() {
			l.log.dump(t)
		}
	}()
	a := l.agent("ana", 1400, "")
	a.goReady()
	for i := range 4 {
		c := newCaller(t, 600)
		if code, err := c.dial(l.trunk.Addr(), "900", "+3460000003"+string(rune('0'+i)), nil); err != nil || code != 200 {
			t.Fatalf("call %d: %d %v", i, code, err)
		}
		a.answerRinging()
		if i == 3 {
			break // the agent stays on this one
		}
		a.MustDo("hangup")
		a.WaitFor("call over", func(st session.State) bool { _, ok := st.Talking(); return !ok })
		if a.State.Agent.State == session.AgentWrapUp {
			a.MustDo("done")
		}
		a.WaitFor("ready again", func(st session.State) bool { return st.Agent.State == session.AgentReady })
	}
	c := newCaller(t, 600)
	if code, err := c.dial(l.trunk.Addr(), "900", "+34600000039", nil); err != nil || code != 200 {
		t.Fatalf("dial: %d %v", code, err)
	}
	want := []float64{hzPos1, hzWait0, hzMusic}
	eventually(t, "the fifth caller hears position-1, wait-0, music", func() bool {
		return hasInOrder(heardSequence(c.dev.Recorded(), hzMusic, hzPos1, hzWait0, 1700), want)
	})
	if seq := heardSequence(c.dev.Recorded(), hzMusic, hzPos1, hzWait0, 1700); seq[0] != hzPos1 || slices.Contains(seq, 1700) {
		t.Errorf("heard %v, want position-1 first and never wait-5", seq)
	}
}
