package media_test

import (
	"context"
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/media"
	"github.com/agentty/agentty/vendors/local/sim"
)

// TestSimulatedCallerSpeaksAndEchoes: an agent answering a simulated
// caller hears its spoken prompt, then itself a second later.
func TestSimulatedCallerSpeaksAndEchoes(t *testing.T) {
	c := newCentre(t, media.Config{Parties: sim.NewPhones(sim.PhonesConfig{Prompt: "Hello.", Loopback: true}).Open})
	ad := newTap(nil, agentHz)
	agent := c.signIn(session.RoleAgent, "ana", ad, map[string]string{"codec": "pcmu"}, nil)
	agent.MustDo("checkin")
	agent.MustDo("ready")
	if _, err := c.srv.SimCall(context.Background(), "+34600000000", "sales", nil); err != nil {
		t.Fatal(err)
	}
	agent.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	agent.MustDo("answer")
	agent.WaitFor("talking", talking)
	prompt := ad.window(t, 200*time.Millisecond, 500*time.Millisecond)
	if l := audio.Measure(prompt); l.RMSDBFS < -40 {
		t.Errorf("the prompt is silent at the agent (%.1f dBFS)", l.RMSDBFS)
	}
	// The echo: the agent's own tone comes back once the prompt is over.
	deadline := time.Now().Add(10 * time.Second)
	for {
		w := ad.window(t, 0, 400*time.Millisecond)
		a := toneAmp(w, agentHz)
		if a > 0.05 {
			t.Logf("echo heard: %.0f Hz at %.3f", float64(agentHz), a)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the agent never heard its echo (last %.3f)", a)
		}
	}
}
