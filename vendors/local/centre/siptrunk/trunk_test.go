package siptrunk

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/store"
)

// TestRefusals: an unknown number gets 404, an INVITE with no offer 488,
// a malformed offer 400, an offer with no common codec 488, and a source
// outside the allowed networks 403; each refusal is a log line and no
// call record.
func TestRefusals(t *testing.T) {
	l := newLab(t, Config{})
	at := l.trunk.Addr()
	cases := []struct {
		name, number string
		body         []byte
		want         int
		log          string
	}{
		{"unknown number", "999", nil, 404, "no route"},
		{"no offer", "900", []byte{}, 488, "no SDP offer"},
		{"malformed offer", "900", []byte("v=0\r\nthis is not sdp\r\n"), 400, "offer:"},
		{"no common codec", "900", []byte("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n"), 488, "offer:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCaller(t, 600)
			code, err := c.dial(at, tc.number, "+34600000001", tc.body)
			if err != nil {
				t.Fatal(err)
			}
			if code != tc.want {
				t.Fatalf("status %d, want %d", code, tc.want)
			}
			if !l.log.has(tc.log) {
				l.log.dump(t)
				t.Errorf("no log line with %q", tc.log)
			}
		})
	}
	if n := len(l.calls()); n != 0 {
		t.Errorf("%d call records for refused INVITEs, want none", n)
	}

	// A trunk that admits only another network.
	l2 := newLab(t, Config{Allow: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	c := newCaller(t, 600)
	code, err := c.dial(l2.trunk.Addr(), "900", "+34600000001", nil)
	if err != nil {
		t.Fatal(err)
	}
	if code != 403 {
		t.Fatalf("status %d from a source not allowed, want 403", code)
	}
	if !l2.log.has("source not allowed") {
		t.Error("no log line for the 403")
	}
	if got := l2.trunk.Stats().Outcomes["forbidden"]; got != 1 {
		t.Errorf("forbidden outcomes %d, want 1", got)
	}
}

// TestNoAgentsBusy: nobody serves the group: 486, and the record says
// no_agents, channel sip, with the caller's number.
func TestNoAgentsBusy(t *testing.T) {
	l := newLab(t, Config{})
	c := newCaller(t, 600)
	code, err := c.dial(l.trunk.Addr(), "900", "+34600000002", nil)
	if err != nil {
		t.Fatal(err)
	}
	if code != 486 {
		t.Fatalf("status %d with no agents, want 486", code)
	}
	r := l.record("no_agents record", func(r store.CallRecord) bool { return r.Disposition == "no_agents" })
	if r.Channel != "sip" || r.From != "+34600000002" || r.Group != "sales" || r.EndedBy != string(session.BySystem) {
		t.Errorf("record %+v", r)
	}
}

// TestQueueMusicThenAbandon: an agent is checked in but not ready, so the
// caller waits in the queue hearing music, then hangs up: queue.left by
// customer, recorded abandoned with channel sip.
func TestQueueMusicThenAbandon(t *testing.T) {
	l := newLab(t, Config{})
	a := l.agent("ana", 1400, "")
	a.MustDo("checkin sales")
	a.WaitFor("checked in", func(st session.State) bool { return st.CheckedIn })
	c := newCaller(t, 600)
	code, err := c.dial(l.trunk.Addr(), "900", "+34600000003", nil)
	if err != nil {
		t.Fatal(err)
	}
	if code != 200 {
		t.Fatalf("status %d, want 200 (queued)", code)
	}
	eventually(t, "caller hears music on hold", func() bool { return hearsMusic(c.dev) })
	c.hangup()
	r := l.record("abandoned record", func(r store.CallRecord) bool { return r.Disposition == "abandoned" })
	if r.Channel != "sip" || r.From != "+34600000003" || r.EndedBy != string(session.ByCustomer) {
		t.Errorf("record %+v", r)
	}
	eventually(t, "trunk counts the abandon", func() bool { return l.trunk.Stats().Outcomes["abandoned"] == 1 })
	eventually(t, "no live call", func() bool { return l.trunk.Stats().Live == 0 && l.media.Stats().RTPLegs == 0 })
}

// TestBridge: an agent answers; caller and agent each hear the other's
// tone through the relay, PCMU forwarded without transcoding; the agent
// holds (the caller hears music) and retrieves; the caller's RFC 4733 digits reach the agent as call.dtmf; the agent hangs
// up and the caller gets a BYE; the record is answered, channel sip.
func TestBridge(t *testing.T) {
	l := newLab(t, Config{})
	a := l.agent("ana", 1400, "")
	a.goReady()
	c := newCaller(t, 600)
	code, err := c.dial(l.trunk.Addr(), "900", "+34600000004", nil)
	if err != nil || code != 200 {
		t.Fatalf("dial: %d %v", code, err)
	}
	a.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	if rc, _ := a.State.Ringing(); !strings.Contains(rc.Remote(), "+34600000004") {
		t.Errorf("agent sees the call from %q, want the caller's number", rc.Remote())
	}
	a.MustDo("answer")
	a.WaitFor("talking", func(st session.State) bool { _, ok := st.Talking(); return ok })
	eventually(t, "agent hears the caller's 600 Hz", func() bool { return hears(a.dev, 600) })
	eventually(t, "caller hears the agent's 1400 Hz", func() bool { return hears(c.dev, 1400) })
	mixed := l.media.Stats().Mixed
	defer func() {
		if t.Failed() {
			l.log.dump(t)
		}
	}()
	eventually(t, "PCMU forwarded both ways", func() bool { return l.media.Stats().Forwarded > 100 })
	if s := l.media.Stats(); s.Mixed-mixed > 10 || s.RTPLegs != 1 {
		t.Errorf("relay stats %+v: want forwarding only (no transcoding) and one RTP leg", s)
	}
	a.MustDo("hold")
	eventually(t, "caller hears music while held", func() bool { return hearsMusic(c.dev) && !hears(c.dev, 1400) })
	a.MustDo("retrieve")
	eventually(t, "caller hears the agent again", func() bool { return hears(c.dev, 1400) })
	if err := c.leg.SendDTMF("7#"); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("call.dtmf 7#", func(st session.State) bool {
		cl, ok := st.Talking()
		return ok && cl.DTMF == "7#"
	})
	a.MustDo("hangup")
	select {
	case <-c.bye:
	case <-timeout():
		t.Fatal("caller got no BYE after the agent hung up")
	}
	r := l.record("answered record", func(r store.CallRecord) bool { return r.Disposition == "answered" })
	if r.Channel != "sip" || r.From != "+34600000004" || r.Agent != "ana" {
		t.Errorf("record %+v", r)
	}
	eventually(t, "no live call", func() bool { return l.trunk.Stats().Live == 0 && l.media.Stats().RTPLegs == 0 })
}

// TestCallerHangsUpWhileTalking: the caller's BYE ends the agent's call.
func TestCallerHangsUpWhileTalking(t *testing.T) {
	l := newLab(t, Config{})
	a := l.agent("bo", 1400, "")
	a.goReady()
	c := newCaller(t, 600)
	if code, err := c.dial(l.trunk.Addr(), "900", "+34600000005", nil); err != nil || code != 200 {
		t.Fatalf("dial: %d %v", code, err)
	}
	a.answerRinging()
	c.hangup()
	a.WaitFor("call ended", func(st session.State) bool { _, ok := st.Talking(); return !ok })
	r := l.record("answered record", func(r store.CallRecord) bool { return r.Disposition == "answered" })
	if r.EndedBy != string(session.ByCustomer) || r.Channel != "sip" {
		t.Errorf("record %+v", r)
	}
}

// TestSupervisorBargesOnSIPCall: a supervisor barges on a SIP call: the
// caller hears the supervisor, the supervisor hears the caller; the
// relay mixes for the three. /metrics counts the SIP call and its leg.
func TestSupervisorBargesOnSIPCall(t *testing.T) {
	l := newLab(t, Config{})
	if err := l.srv.RegisterCollector(l.trunk.Collector(func() int64 { return l.media.Stats().RTPLegs })); err != nil {
		t.Fatal(err)
	}
	a := l.agent("ana", 1400, "")
	boss := l.user(session.RoleSupervisor, "boss", 2200, "")
	a.goReady()
	c := newCaller(t, 600)
	if code, err := c.dial(l.trunk.Addr(), "900", "+34600000006", nil); err != nil || code != 200 {
		t.Fatalf("dial: %d %v", code, err)
	}
	a.answerRinging()
	eventually(t, "caller hears the agent", func() bool { return hears(c.dev, 1400) })
	boss.MustDo("barge ana")
	eventually(t, "caller hears the supervisor's 2200 Hz", func() bool { return hears(c.dev, 2200) })
	eventually(t, "supervisor hears the caller's 600 Hz", func() bool { return hears(boss.dev, 600) })
	eventually(t, "agent hears the supervisor", func() bool { return hears(a.dev, 2200) })
	body := l.metrics()
	for _, want := range []string{"agentty_sip_live_calls 1", "agentty_sip_rtp_legs 1"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	c.hangup()
	eventually(t, "answered counted", func() bool {
		return strings.Contains(l.metrics(), `agentty_sip_calls_total{outcome="answered"} 1`)
	})
}

// TestFloodAndVanishedCaller: INVITEs past the per-address rate get 503
// with Retry-After; a caller whose RTP stops without a BYE is ended after
// RTPTimeout (a BYE to it, the call recorded, the outcome rtp_timeout).
func TestFloodAndVanishedCaller(t *testing.T) {
	l := newLab(t, Config{Rate: 0.01, Burst: 2, RTPTimeout: time.Second})
	a := l.agent("ana", 1400, "")
	a.MustDo("checkin sales")
	a.WaitFor("checked in", func(st session.State) bool { return st.CheckedIn })
	c := newCaller(t, 600)
	if code, err := c.dial(l.trunk.Addr(), "900", "+34600000007", nil); err != nil || code != 200 {
		t.Fatalf("dial: %d %v", code, err)
	}
	eventually(t, "caller hears music", func() bool { return hearsMusic(c.dev) })
	c.leg.Close() // the phone vanishes: no more RTP, no BYE
	select {
	case <-c.bye:
	case <-timeout():
		t.Fatal("no BYE to a caller whose RTP stopped")
	}
	r := l.record("record of the vanished caller", func(r store.CallRecord) bool { return r.From == "+34600000007" })
	if r.Disposition != "abandoned" || r.Channel != "sip" {
		t.Errorf("record %+v", r)
	}
	eventually(t, "rtp_timeout counted", func() bool { return l.trunk.Stats().Outcomes["rtp_timeout"] == 1 })

	// The burst of 2 is spent (one call above, one here); the next is refused.
	codes := []int{}
	for range 2 {
		c := newCaller(t, 600)
		code, err := c.dial(l.trunk.Addr(), "999", "+34600000008", nil)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, code)
	}
	if codes[0] != 404 || codes[1] != 503 {
		t.Errorf("statuses %v, want [404 503]", codes)
	}
	if !l.log.has("too many INVITEs") {
		t.Error("no log line for the 503")
	}
}
