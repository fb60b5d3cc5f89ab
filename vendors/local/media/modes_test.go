package media_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/media"
)

// Each party's microphone plays its own tone; Goertzel at each listener
// says who hears whom.
const (
	kioskHz = 700
	agentHz = 1100
	supHz   = 1700
)

type heard map[float64]bool // tone -> must be heard (true) or must not (false)

// expect checks one listener's window.
func expect(t *testing.T, phase, who string, pcm []int16, want heard) {
	t.Helper()
	var got []string
	for hz, on := range want {
		a := toneAmp(pcm, hz)
		got = append(got, fmt.Sprintf("%.0f Hz %.3f", hz, a))
		switch {
		case on && a < 0.05:
			t.Errorf("%s: %s does not hear %.0f Hz (amplitude %.3f)", phase, who, hz, a)
		case !on && a > 0.01:
			t.Errorf("%s: %s hears %.0f Hz (amplitude %.3f) and must not", phase, who, hz, a)
		}
	}
	t.Logf("%s: %s hears %s", phase, who, strings.Join(got, ", "))
}

// TestWhoHearsWhom runs one call through talk, whisper, barge, listen,
// hold and intercept and checks every party's ears in each.
func TestWhoHearsWhom(t *testing.T) {
	c := newCentre(t, media.Config{})
	opts := map[string]string{"codec": "pcmu"}
	kd, ad, sd := newTap(nil, kioskHz), newTap(nil, agentHz), newTap(nil, supHz)
	agent := c.signIn(session.RoleAgent, "ana", ad, opts, nil)
	boss := c.signIn(session.RoleSupervisor, "boss", sd, opts, nil)
	kiosk := c.signIn(session.RoleKiosk, "lobby", kd, opts, nil)
	connect(t, kiosk, agent)

	const settle, span = 400 * time.Millisecond, 600 * time.Millisecond
	phase := func(name string, k, a, s heard) {
		t.Helper()
		// The windows overlap in time: all three record at real time.
		kw := kd.window(t, settle, span)
		expect(t, name, "kiosk", kw, k)
		aw := ad.window(t, 0, span)
		expect(t, name, "agent", aw, a)
		if s != nil {
			sw := sd.window(t, 0, span)
			expect(t, name, "supervisor", sw, s)
		}
	}
	phase("talk", heard{agentHz: true, kioskHz: false}, heard{kioskHz: true, agentHz: false}, nil)

	boss.MustDo("whisper ana")
	boss.WaitFor("boss monitoring", talking)
	sd.await(t, sd.mark()+samples(300e6)) // the supervisor's leg plays
	phase("whisper", heard{agentHz: true, supHz: false}, heard{kioskHz: true, supHz: true},
		heard{kioskHz: true, agentHz: true})

	// The agent's digits reach the kiosk as they are and the supervisor,
	// who hears a mix, through the mixer.
	if got := dtmf(t, agent, kiosk, "12"); got != "12" {
		t.Errorf("whisper: kiosk received %q of the agent's 12", got)
	}
	if got := digitsOf(t, boss, 2); got != "12" {
		t.Errorf("whisper: supervisor received %q of the agent's 12", got)
	}

	boss.MustDo("barge ana")
	phase("barge", heard{agentHz: true, supHz: true}, heard{kioskHz: true, supHz: true},
		heard{kioskHz: true, agentHz: true})
	// Everyone hears a mix: the agent's digits reach the kiosk and the
	// supervisor through the mixer, once each.
	if got := dtmf(t, agent, kiosk, "34#"); got != "34#" {
		t.Errorf("barge: kiosk received %q of the agent's 34#", got)
	}
	if got := digitsOf(t, boss, 3); got != "34#" {
		t.Errorf("barge: supervisor received %q of the agent's 34#", got)
	}

	boss.MustDo("listen ana")
	phase("listen", heard{agentHz: true, supHz: false}, heard{kioskHz: true, supHz: false},
		heard{kioskHz: true, agentHz: true})

	boss.MustDo("hangup")
	boss.WaitFor("boss off the call", func(st session.State) bool { return !st.OnCall() })

	agent.MustDo("hold")
	kiosk.WaitFor("kiosk held", func(st session.State) bool { _, ok := st.Held(); return ok })
	kw := kd.window(t, settle, span)
	expect(t, "hold", "kiosk", kw, heard{agentHz: false})
	if l := audio.Measure(kw); l.RMSDBFS < -35 {
		t.Errorf("hold: kiosk hears no music (%.1f dBFS)", l.RMSDBFS)
	}
	expect(t, "hold", "agent", ad.window(t, 0, span), heard{kioskHz: false})
	agent.MustDo("retrieve")
	phase("retrieved", heard{agentHz: true}, heard{kioskHz: true}, nil)

	boss.MustDo("intercept ana")
	agent.WaitFor("agent dropped", func(st session.State) bool { return !st.OnCall() })
	sd.await(t, sd.mark()+samples(300e6))
	kw = kd.window(t, settle, span)
	expect(t, "intercept", "kiosk", kw, heard{supHz: true, agentHz: false})
	sw := sd.window(t, 0, span)
	expect(t, "intercept", "supervisor", sw, heard{kioskHz: true, agentHz: false})
	t.Logf("relay: %+v", c.media.Stats())
}

// TestMixConcealsLoss: with 10 % of the kiosk's packets lost, the
// supervisor who barges hears the kiosk through the mixer, which conceals
// the losses as a phone does (no 20 ms holes in a steady tone).
func TestMixConcealsLoss(t *testing.T) {
	c := newCentre(t, media.Config{})
	opts := map[string]string{"codec": "pcmu"}
	kd, ad, sd := newTap(nil, kioskHz), newTap(nil, agentHz), newTap(nil, supHz)
	agent := c.signIn(session.RoleAgent, "ana", ad, opts, nil)
	boss := c.signIn(session.RoleSupervisor, "boss", sd, opts, nil)
	var n atomic.Uint64
	lossy := func(uint16) bool { return n.Add(1)%10 == 3 }
	kiosk := c.signIn(session.RoleKiosk, "lobby", kd, opts, lossy)
	connect(t, kiosk, agent)
	boss.MustDo("barge ana")
	boss.WaitFor("boss monitoring", talking)
	sd.await(t, sd.mark()+samples(300e6))
	w := sd.window(t, 400*time.Millisecond, 2*time.Second)
	holes := 0
	const frame = audio.FrameSamples
	for i := 0; i+frame <= len(w); i += frame {
		if toneAmp(w[i:i+frame], kioskHz) < 0.1 {
			holes++
		}
	}
	t.Logf("supervisor: %d of %d frames without the kiosk's tone; relay %+v", holes, len(w)/frame, c.media.Stats())
	if holes > 1 {
		t.Errorf("%d of %d frames of the kiosk's tone missing in the mix: losses not concealed", holes, len(w)/frame)
	}
}
