package session_test

import (
	"testing"

	"github.com/agentty/agentty/session"
)

func signedIn(role session.Role) []session.Event {
	return []session.Event{
		session.ConnectionEstablished{Base: base(0), Vendor: "local", Capabilities: session.Verbs()},
		session.AuthResult{Base: base(0), OK: true, User: "me", Role: role},
	}
}

func mustCheck(t *testing.T, s session.State, line string) {
	t.Helper()
	cmd, err := session.ParseCommand(line)
	if err != nil {
		t.Fatal(err)
	}
	if err := session.Check(s, cmd); err != nil {
		t.Errorf("%s refused after the snapshot: %v", line, err)
	}
}

// A restarted centre knows nothing of the agent's call or check-in: the
// snapshot's connection.synced ends the call and checks the agent out, so
// checkin, dial and the rest are allowed again.
func TestSyncedRestartedEndsCallAndCheckIn(t *testing.T) {
	es := append(signedIn(session.RoleAgent),
		session.AgentCheckedIn{Base: base(1), OK: true, Groups: []string{"sales"}},
		session.AgentStateChanged{Base: base(2), State: session.AgentReady},
		session.CallRinging{CallBase: cb(3, "c1"), From: "lobby"},
		session.CallAnswered{CallBase: cb(4, "c1")},
		session.ConnectionLost{Base: base(10), Reason: "link dropped"},
		session.ConnectionRestored{Base: base(12)},
		session.ConnectionEstablished{Base: base(12), Vendor: "local"},
		session.AuthResult{Base: base(12), OK: true, User: "me", Role: session.RoleAgent},
		session.ConnectionSynced{Base: base(12), Restarted: true},
	)
	s := build(t, es...)
	if len(s.Calls) != 0 || s.CheckedIn || s.Agent.State != session.AgentOffline {
		t.Fatalf("after the snapshot: calls %v, checked in %v, state %s", s.Calls, s.CheckedIn, s.Agent.State)
	}
	last := s.Recent[len(s.Recent)-1]
	if last.ID != "c1" || last.EndedBy != session.BySystem || last.Outcome != session.OutcomeCentreRestarted || last.Duration != session.Secs(8e9) {
		t.Fatalf("the call: %+v", last)
	}
	if s.ConnReason != "the centre restarted" {
		t.Fatalf("ConnReason %q", s.ConnReason)
	}
	mustCheck(t, s, "checkin")
}

// A snapshot that repeats the call and check-in changes nothing.
func TestSyncedKeepsWhatItRepeats(t *testing.T) {
	es := append(signedIn(session.RoleAgent),
		session.AgentCheckedIn{Base: base(1), OK: true, Groups: []string{"sales"}},
		session.CallRinging{CallBase: cb(3, "c1"), From: "lobby"},
		session.CallAnswered{CallBase: cb(4, "c1")},
		session.ConnectionSynced{Base: base(12), Calls: []string{"c1"}, CheckedIn: true, State: session.AgentBusy},
	)
	s := build(t, es...)
	if len(s.Calls) != 1 || !s.CheckedIn || s.Agent.State != session.AgentBusy {
		t.Fatalf("calls %v, checked in %v, state %s", s.Calls, s.CheckedIn, s.Agent.State)
	}
	mustCheck(t, s, "hangup")
}

// A ready agent with no call stays checked in when the snapshot says so, and
// is checked out when it does not.
func TestSyncedReadyAgent(t *testing.T) {
	es := append(signedIn(session.RoleAgent),
		session.AgentCheckedIn{Base: base(1), OK: true, Groups: []string{"sales"}},
		session.AgentStateChanged{Base: base(2), State: session.AgentReady},
	)
	s := build(t, append(es, session.ConnectionSynced{Base: base(5), Restarted: true})...)
	if s.CheckedIn || s.Agent.State != session.AgentOffline {
		t.Fatalf("checked in %v, state %s", s.CheckedIn, s.Agent.State)
	}
	mustCheck(t, s, "checkin")
}

// A queued kiosk caller whose centre restarted is out of the queue and may
// call again; one talking has the call ended.
func TestSyncedKiosk(t *testing.T) {
	queued := append(signedIn(session.RoleKiosk),
		session.CallDialing{CallBase: cb(1, "c1"), To: "sales"},
		session.QueueJoined{Base: base(1), Group: "sales", Position: 1},
	)
	s := build(t, append(queued, session.ConnectionSynced{Base: base(5), Restarted: true})...)
	if s.Queue.Waiting || len(s.Calls) != 0 {
		t.Fatalf("queued: waiting %v, calls %v", s.Queue.Waiting, s.Calls)
	}
	mustCheck(t, s, "call")
	talking := append(queued, session.CallAnswered{CallBase: cb(3, "c1")})
	s = build(t, append(talking, session.ConnectionSynced{Base: base(5), Restarted: true})...)
	if len(s.Calls) != 0 || s.Recent[0].Outcome != session.OutcomeCentreRestarted {
		t.Fatalf("talking: calls %v, recent %+v", s.Calls, s.Recent)
	}
	mustCheck(t, s, "call")
}

// call.media lost leaves no stale MOS on the call.
func TestMediaLostClearsQuality(t *testing.T) {
	s := build(t, append(signedIn(session.RoleAgent),
		session.CallRinging{CallBase: cb(1, "c1"), From: "lobby"},
		session.CallAnswered{CallBase: cb(2, "c1")},
		session.CallQuality{CallBase: cb(4, "c1"), Quality: session.Quality{MOS: 4.4}},
		session.CallMedia{CallBase: cb(9, "c1"), State: session.MediaLost},
	)...)
	if c := s.Calls[0]; c.HasQuality || c.Quality.MOS != 0 || c.Media != session.MediaLost {
		t.Fatalf("after media lost: %+v", c)
	}
}

// A phone's call.quality after the centre said the media is lost (the
// party's own uplink died; it still hears the far end) shows no score
// until call.media restored.
func TestQualityIgnoredWhileMediaLost(t *testing.T) {
	evs := append(signedIn(session.RoleKiosk),
		session.CallRinging{CallBase: cb(1, "c1"), From: "ana"},
		session.CallAnswered{CallBase: cb(2, "c1")},
		session.CallMedia{CallBase: cb(3, "c1"), State: session.MediaLost},
		session.CallQuality{CallBase: cb(4, "c1"), Quality: session.Quality{MOS: 4.4}},
	)
	if c := build(t, evs...).Calls[0]; c.HasQuality || c.Quality.MOS != 0 {
		t.Fatalf("quality while lost: %+v", c)
	}
	evs = append(evs,
		session.CallMedia{CallBase: cb(5, "c1"), State: session.MediaRestored},
		session.CallQuality{CallBase: cb(6, "c1"), Quality: session.Quality{MOS: 4.3}},
	)
	if c := build(t, evs...).Calls[0]; !c.HasQuality || c.Quality.MOS != 4.3 {
		t.Fatalf("quality after restored: %+v", c)
	}
}
