package media_test

import (
	"sync"
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/media"
)

const boHz = 1700 // the consulted agent's tone

// taps gives a party one tap per call (its phone opens a device per
// call), each playing the party's tone.
type taps struct {
	mu sync.Mutex
	hz float64
	by map[string]*tap
}

func newTaps(hz float64) *taps { return &taps{hz: hz, by: map[string]*tap{}} }

// of returns the tap of the call the party knows as id.
func (ts *taps) of(id string) *tap {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.by[id] == nil {
		ts.by[id] = newTap(nil, ts.hz)
	}
	return ts.by[id]
}

func (ts *taps) open(id string) (device.Device, error) { return ts.of(id), nil }

// callOf returns the id of the party's live call in phase ph.
func callOf(t *testing.T, p *party, ph session.Phase) string {
	t.Helper()
	p.Drain()
	for _, c := range p.State.Calls {
		if c.Phase == ph {
			return c.ID
		}
	}
	t.Fatalf("no %s call in %+v", ph, p.State.Calls)
	return ""
}

// TestConsultWhoHearsWhom: a kiosk talks to ana; ana consults bo (the
// kiosk hears music, ana and bo hear each other), cancels (ana and the
// kiosk again), consults bo again and completes (the kiosk and bo), then
// bo consults ana and makes a conference (all three hear each other).
// Each party's microphone plays its own tone; Goertzel says who hears
// whom, over real WebSockets and WebRTC legs.
func TestConsultWhoHearsWhom(t *testing.T) {
	c := newCentre(t, media.Config{})
	kd := newTap(nil, kioskHz)
	ana, bo := newTaps(agentHz), newTaps(boHz)
	agent := c.signInDev(session.RoleAgent, "ana", ana.open)
	target := c.signInDev(session.RoleAgent, "bo", bo.open)
	kiosk := c.signIn(session.RoleKiosk, "lobby", kd, map[string]string{"codec": "pcmu"}, nil)
	connect(t, kiosk, agent)
	target.MustDo("checkin")
	target.MustDo("ready")
	first := callOf(t, agent, session.PhaseTalking)

	const span = 600 * time.Millisecond
	// listen takes windows of what d records until they match want (a
	// switch of routes takes a moment), at most eight, and checks the last.
	listen := func(name, who string, d *tap, want heard) []int16 {
		t.Helper()
		var w []int16
		for range 8 {
			if w = d.window(t, 0, span); matches(w, want) {
				break
			}
		}
		expect(t, name, who, w, want)
		return w
	}
	answered := func(p *party, what string) string {
		p.WaitFor(what+" rings", func(st session.State) bool { _, ok := st.Ringing(); return ok })
		p.MustDo("answer")
		p.WaitFor(what+" talking", talking)
		return callOf(t, p, session.PhaseTalking)
	}
	consulting := func(p *party) {
		p.WaitFor("consultation answered", func(st session.State) bool {
			_, k, ok := st.Consultation()
			return ok && k.Phase == session.PhaseTalking
		})
	}
	listen("talk", "kiosk", kd, heard{agentHz: true})

	// 1. Consult: the kiosk hears music, not ana nor bo.
	agent.MustDo("consult agent:bo")
	boCall := answered(target, "bo")
	consulting(agent)
	k1 := callOf(t, agent, session.PhaseTalking)
	kw := listen("consult", "kiosk", kd, heard{agentHz: false, boHz: false})
	if l := audio.Measure(kw); l.RMSDBFS < -35 {
		t.Errorf("consult: the kiosk hears no music (%.1f dBFS)", l.RMSDBFS)
	}
	listen("consult", "ana", ana.of(k1), heard{boHz: true, kioskHz: false})
	listen("consult", "bo", bo.of(boCall), heard{agentHz: true, kioskHz: false})

	// 2. Cancel: ana and the kiosk hear each other again.
	agent.MustDo("cancel")
	target.WaitFor("bo's consultation ended", func(st session.State) bool { return !st.OnCall() })
	listen("cancel", "kiosk", kd, heard{agentHz: true, boHz: false})
	listen("cancel", "ana", ana.of(first), heard{kioskHz: true, boHz: false})

	// 3. Consult again and complete: the kiosk and bo hear each other.
	target.MustDo("done")
	target.WaitFor("bo ready", func(st session.State) bool { return st.Agent.State == session.AgentReady })
	agent.MustDo("consult agent:bo")
	boCall = answered(target, "bo")
	consulting(agent)
	agent.MustDo("complete")
	agent.WaitFor("ana off the calls", func(st session.State) bool { return !st.OnCall() })
	kiosk.WaitFor("kiosk retrieved", func(st session.State) bool { _, held := st.Held(); return !held && talking(st) })
	listen("complete", "kiosk", kd, heard{boHz: true, agentHz: false})
	listen("complete", "bo", bo.of(boCall), heard{kioskHz: true, agentHz: false})

	// 4. bo consults ana, then a conference: each hears the other two.
	agent.MustDo("done")
	agent.WaitFor("ana ready", func(st session.State) bool { return st.Agent.State == session.AgentReady })
	target.MustDo("consult agent:ana")
	anaCall := answered(agent, "ana")
	consulting(target)
	target.MustDo("conference")
	target.WaitFor("bo in the conference", func(st session.State) bool {
		return len(st.Calls) == 1 && st.Calls[0].Phase == session.PhaseTalking && len(st.Calls[0].Parties) == 3
	})
	kiosk.WaitFor("kiosk in the conference", func(st session.State) bool {
		return talking(st) && len(st.Calls[0].Parties) == 3
	})
	listen("conference", "kiosk", kd, heard{agentHz: true, boHz: true})
	listen("conference", "ana", ana.of(anaCall), heard{kioskHz: true, boHz: true})
	listen("conference", "bo", bo.of(boCall), heard{kioskHz: true, agentHz: true})

	// 5. bo leaves: the kiosk and ana talk on.
	target.MustDo("hangup")
	listen("left", "kiosk", kd, heard{agentHz: true, boHz: false})
	listen("left", "ana", ana.of(anaCall), heard{kioskHz: true, boHz: false})
	t.Logf("relay: %+v", c.media.Stats())
}

// matches reports whether pcm holds every tone want asks for and none it
// forbids, by expect's thresholds.
func matches(pcm []int16, want heard) bool {
	for hz, on := range want {
		if a := toneAmp(pcm, hz); on && a < 0.05 || !on && a > 0.01 {
			return false
		}
	}
	return true
}
