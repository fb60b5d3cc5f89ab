package siptrunk

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// never fails t if cond holds at any poll within d (every 20 ms).
func never(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	end := time.After(d)
	for {
		select {
		case <-tick.C:
			if cond() {
				t.Fatalf("%s", what)
			}
		case <-end:
			return
		}
	}
}

// TestSupervisorListensWhispersInterceptsSIPCall: on a SIP caller's call
// with agent ana, a supervisor
//   - listens: hears the caller and the agent; neither hears it;
//   - whispers: the agent hears it, the SIP caller does not;
//   - intercepts: takes the caller over; caller and supervisor hear each
//     other, the agent's call ends.
func TestSupervisorListensWhispersInterceptsSIPCall(t *testing.T) {
	l := newLab(t, Config{})
	defer func() {
		if t.Failed() {
			l.log.dump(t)
		}
	}()
	a := l.agent("ana", 1400, "")
	boss := l.user(session.RoleSupervisor, "boss", 2200, "")
	a.goReady()
	c := newCaller(t, 600)
	if code, err := c.dial(l.trunk.Addr(), "900", "+34600000009", nil); err != nil || code != 200 {
		t.Fatalf("dial: %d %v", code, err)
	}
	a.answerRinging()
	eventually(t, "caller hears the agent", func() bool { return hears(c.dev, 1400) })

	boss.MustDo("listen ana")
	eventually(t, "listening supervisor hears the SIP caller's 600 Hz", func() bool { return hears(boss.dev, 600) })
	eventually(t, "listening supervisor hears the agent's 1400 Hz", func() bool { return hears(boss.dev, 1400) })
	never(t, "the SIP caller hears a listening supervisor", time.Second, func() bool { return hears(c.dev, 2200) })
	if hears(a.dev, 2200) {
		t.Error("the agent hears a listening supervisor")
	}

	boss.MustDo("whisper ana")
	eventually(t, "agent hears the whispering supervisor", func() bool { return hears(a.dev, 2200) })
	never(t, "the SIP caller hears the whisper", time.Second, func() bool { return hears(c.dev, 2200) })
	if !hears(c.dev, 1400) {
		t.Error("the SIP caller stopped hearing the agent during a whisper")
	}
	if !hears(boss.dev, 600) {
		t.Error("the whispering supervisor does not hear the SIP caller")
	}

	boss.MustDo("intercept ana")
	a.WaitFor("the agent leaves the call", func(st session.State) bool { _, ok := st.Active(); return !ok })
	boss.WaitFor("the supervisor talks to the caller", func(st session.State) bool { _, ok := st.Talking(); return ok })
	eventually(t, "the SIP caller hears the supervisor", func() bool { return hears(c.dev, 2200) && !hears(c.dev, 1400) })
	eventually(t, "the supervisor hears the SIP caller", func() bool { return hears(boss.dev, 600) && !hears(boss.dev, 1400) })
	boss.MustDo("hangup")
	select {
	case <-c.bye:
	case <-timeout():
		t.Fatal("the caller got no BYE after the supervisor hung up")
	}
	eventually(t, "no live call", func() bool { return l.trunk.Stats().Live == 0 && l.media.Stats().RTPLegs == 0 })
}
